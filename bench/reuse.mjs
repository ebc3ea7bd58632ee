// Reuse, single flight, signing cost and cache memory: the parts of Get Token that must not grow
// with the item count.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';

import { startServerProcess } from './serverProcess.mjs';
import { fmt, median } from './stats.mjs';

const require = createRequire(import.meta.url);
const protocol = require('../dist/protocol/index.js');
const { OauthToken } = require('../dist/nodes/OauthToken/OauthToken.node.js');
const { n8nSend } = require('../dist/glue/send.js');
const { createExecuteContext, n8nHttpHelper } = require('../test/helpers/n8nContext.js');

async function tokenRequestsSince(info, since) {
	const log = await (await fetch(`${info.requestLogUrl}?since=${since}`)).json();
	return log.filter((r) => r.path.endsWith('/token')).length;
}

async function signingCost() {
	const rows = [];
	const keys = {
		RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
		PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
		ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
		EdDSA: generateKeyPairSync('ed25519').privateKey,
	};
	const now = Date.now();
	const claims = () =>
		protocol.assertionClaims({
			issuer: 'client',
			subject: 'client',
			audience: 'https://as.example/token',
			lifetimeSeconds: 60,
			now,
		});
	const signers = {
		HS256: { kind: 'secret', secret: 'x'.repeat(32), alg: 'HS256' },
		...Object.fromEntries(
			Object.entries(keys).map(([alg, key]) => [
				alg,
				{
					kind: 'key',
					key: protocol.importSigningKey({
						privateKey: key.export({ type: 'pkcs8', format: 'pem' }),
						algorithm: alg,
					}),
				},
			]),
		),
	};
	for (const [alg, signer] of Object.entries(signers)) {
		for (let i = 0; i < 200; i++) await protocol.signAssertion(claims(), signer);
		const runs = [];
		for (let r = 0; r < 5; r++) {
			const n = 500;
			const t = performance.now();
			for (let i = 0; i < n; i++) await protocol.signAssertion(claims(), signer);
			runs.push(((performance.now() - t) * 1000) / n);
		}
		rows.push(`| ${alg} | ${fmt(median(runs), 1)} µs |`);
	}
	return [
		'| algorithm (key imported once) | median cost per signed assertion |',
		'|---|---|',
		...rows,
	].join('\n');
}

function cacheMemory() {
	const measure = (maxEntries) => {
		globalThis.gc?.();
		const before = process.memoryUsage().heapUsed;
		const cache = new protocol.TokenCache({ maxEntries });
		const value = {
			token: { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 3600 },
			times: {},
			tokenEndpoint: 'https://as.example/token',
		};
		for (let i = 0; i < 100_000; i++)
			cache.store(
				`client-${i}-${'k'.repeat(43)}`,
				{ ...value, token: { ...value.token, access_token: `${i}`.padStart(40, 'x') } },
				Date.now() + 3_600_000,
			);
		globalThis.gc?.();
		const mb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
		return { entries: cache.size, mb };
	};
	const bounded = measure(1000);
	const unbounded = measure(100_000);
	return [
		'| 100,000 distinct clients stored | entries kept | heap growth |',
		'|---|---|---|',
		`| default cache (bounded to 1,000 entries) | ${fmt(bounded.entries)} | ${fmt(bounded.mb, 1)} MB |`,
		`| cache sized for all 100,000 | ${fmt(unbounded.entries)} | ${fmt(unbounded.mb, 1)} MB |`,
	].join('\n');
}

export async function runReuseBench() {
	const { info, stop } = await startServerProcess();
	const c = info.fixtures.clients.basic;
	const credential = {
		endpointMode: 'manual',
		tokenUrl: info.tokenEndpoint,
		clientId: c.client_id,
		clientSecret: c.client_secret,
		clientAuthentication: 'client_secret_basic',
		grantType: 'clientCredentials',
		scope: 'api:read',
	};
	const lines = ['| scenario | token requests made | throughput |', '|---|---|---|'];
	try {
		for (const count of [1_000, 10_000]) {
			protocol.sharedTokenCache.clear();
			const since = Date.now();
			const items = Array.from({ length: count }, (_, i) => ({ json: { i } }));
			const t = performance.now();
			await new OauthToken().execute.call(
				createExecuteContext({
					parameters: { authentication: 'clientSecret', operation: 'getToken', options: {} },
					credentials: { oauthClientSecretApi: credential },
					items,
					timezone: 'Europe/Berlin',
				}).context,
			);
			const seconds = (performance.now() - t) / 1000;
			lines.push(
				`| Get Token, ${fmt(count)} items, one credential | ${await tokenRequestsSince(info, since)} | ${fmt(count / seconds)} items/s |`,
			);
		}
		protocol.sharedTokenCache.clear();
		const config = protocol.clientConfigFromCredential('clientSecret', credential);
		const send = n8nSend(n8nHttpHelper());
		const since = Date.now();
		const t = performance.now();
		await Promise.all(Array.from({ length: 1000 }, () => protocol.getToken(config, send)));
		lines.push(
			`| 1,000 concurrent Get Token calls | ${await tokenRequestsSince(info, since)} | ${fmt(1000 / ((performance.now() - t) / 1000))} calls/s |`,
		);
	} finally {
		stop();
	}
	return [lines.join('\n'), await signingCost(), cacheMemory()].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runReuseBench());
