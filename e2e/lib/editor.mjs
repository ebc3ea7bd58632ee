// `n8n start` (the editor and its REST API) on 127.0.0.1 for one user folder, and the few REST
// calls the suite and the editor script need: owner setup / login and the credential Test button
// (POST /rest/credentials/test, exactly what the editor's "Test" / "Save" does).
import { spawn } from 'node:child_process';

import { N8N_BIN, NODE24 } from './install.mjs';
import { killGroup } from './processes.mjs';

/** The owner account the e2e suite and `npm run editor` create on a fresh user folder (local only). */
export const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	password: 'Demo-password-1',
};

/**
 * @param {import('./n8n.mjs').N8n} n8n
 * @param {{ port: number, timeoutMs?: number, echo?: boolean }} options
 */
export async function startEditor(n8n, { port, timeoutMs = 120_000, echo = false }) {
	const url = `http://127.0.0.1:${port}`;
	const env = {
		...n8n.env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false',
	};
	const child = spawn(NODE24, [N8N_BIN, 'start'], {
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const collect = (chunk) => {
		output = (output + chunk).slice(-20_000);
		if (echo) process.stdout.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = false;
	child.on('exit', () => (exited = true));
	const stop = () =>
		new Promise((resolve) => {
			if (exited) return resolve(undefined);
			child.once('exit', () => resolve(undefined));
			killGroup(child.pid);
		});

	// Ready = /healthz/readiness answers 200: database connected and migrated and the server fully
	// configured (REST routes mounted). Before that n8n answers any path, /rest/settings included,
	// with a 200 "n8n is starting up" page or Express's 404 HTML, which is why settings alone raced.
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`n8n start exited before it was ready:\n${output}`);
		const ready = await fetch(`${url}/healthz/readiness`).then(
			(response) => response.status === 200,
			() => false,
		);
		if (ready) return { url, stop, output: () => output };
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await stop();
	throw new Error(`n8n start was not ready after ${timeoutMs / 1000} s:\n${output}`);
}

class NotJsonError extends Error {}

/** A logged-in REST session (n8n binds its auth cookie to a browser-id header). */
export async function ownerSession(url, owner = DEMO_OWNER, { timeoutMs = 60_000 } = {}) {
	const browserId = 'e2e-browser';
	let cookie = '';
	const call = async (method, path, body) => {
		const response = await fetch(`${url}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await response.text();
		const type = response.headers.get('content-type') ?? '';
		if (text && !type.includes('application/json'))
			throw new NotJsonError(
				`${method} ${path} answered ${response.status} ${type}: ${text.slice(0, 80)}`,
			);
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	};
	// A fresh user folder needs its owner; an existing one (the editor's) already has it. Retried
	// until n8n answers JSON: a non-JSON answer means its routes are not mounted yet.
	const deadline = Date.now() + timeoutMs;
	let setup;
	for (;;) {
		try {
			setup = await call('POST', '/rest/owner/setup', owner);
			break;
		} catch (error) {
			// TypeError: fetch itself failed (connection reset while n8n finishes starting).
			const retry = error instanceof NotJsonError || error instanceof TypeError;
			if (!retry || Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
	if (setup.status !== 200) {
		const login = await call('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
		if (login.status !== 200)
			throw new Error(
				`could not log in as ${owner.email}: ${login.status} ${JSON.stringify(login.body)}`,
			);
	}
	return {
		call,
		/** The credential Test button: `{ status: 'OK' | 'Error', message }`. */
		async testCredential(credential) {
			const { status, body } = await call('POST', '/rest/credentials/test', {
				credentials: credential,
			});
			if (status !== 200)
				throw new Error(`POST /rest/credentials/test answered ${status}: ${JSON.stringify(body)}`);
			return body.data;
		},
	};
}
