// Temporary runner for suites/credentials.mjs until e2e/editor/run.mjs (branch 17) exists: starts
// the e2e environment and the editor, signs in, and calls the suite with the same arguments the
// real runner passes ({ page, check, env, editor }). Based on the issue-17 prototype.
//
// Run: node e2e/editor/dev-run-credentials.mjs   (SHOTS=dir for screenshots, EDITOR_PORT=5691)
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { DEMO_OWNER, startEditor } from '../lib/editor.mjs';
import { startEnvironment } from '../lib/environment.mjs';
import { suite } from './suites/credentials.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const OUT = process.env.SHOTS ?? '/tmp/wt17c-shots';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const log = (...args) => console.log(new Date().toISOString().slice(11, 19), ...args);

async function waitReady(url, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const ok = await fetch(`${url}/healthz/readiness`).then(
			(r) => r.status === 200,
			() => false,
		);
		if (ok) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error('n8n not ready');
}

async function ensureOwner(url, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': 'dev-run' },
			body: JSON.stringify(DEMO_OWNER),
		}).catch(() => undefined);
		if (response?.headers.get('content-type')?.includes('application/json')) return;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error('owner setup never answered JSON');
}

const env = await startEnvironment({ log });
let editor;
let context;
const results = [];
try {
	editor = await startEditor(env.n8n, { port: Number(process.env.EDITOR_PORT ?? 5691) });
	await waitReady(editor.url);
	await ensureOwner(editor.url);
	context = await chromium.launchPersistentContext(join(OUT, 'chrome-profile'), {
		executablePath: '/usr/bin/chromium',
		headless: true,
		viewport: { width: 1600, height: 1000 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
	});
	context.setDefaultTimeout(15_000);
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`${editor.url}/signin`);
	await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(DEMO_OWNER.email);
	await page.locator('[data-test-id="password"] input').fill(DEMO_OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL(/\/(home|workflows|projects)/, { timeout: 30_000 });

	let step = 0;
	const check = async (name, run) => {
		step += 1;
		const shot = join(OUT, `${String(step).padStart(2, '0')}-${name.replace(/\W+/g, '-')}.png`);
		try {
			await run();
			results.push({ name, ok: true });
			log('ok  ', name);
		} catch (error) {
			results.push({ name, ok: false, error });
			log('FAIL', name, '\n', error);
		} finally {
			await page.screenshot({ path: shot }).catch(() => {});
		}
	};
	await suite({ page, check, env, editor });
} finally {
	await context?.close().catch(() => {});
	await editor?.stop();
	await env.close();
}
const failed = results.filter((result) => !result.ok);
log(`${results.length - failed.length}/${results.length} checks passed; screenshots in ${OUT}`);
process.exitCode = failed.length ? 1 : 0;
