// n8n's own HTTP Request node with the package's credentials (Authentication: Predefined
// Credential Type): the credential gets its own token, n8n stores it, reuses it across executions,
// replaces it after the API answers 401, and the credential replaces it shortly before it expires.
// The protected API must only ever see `Authorization: Bearer <token>`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { startAuthServer } from '../../test/server/authServer.mjs';
import { assertNoSecrets, executeOk, fetchSend, now, tokenRequests } from '../lib/checks.mjs';
import { secretsOf, bearerCredentials } from '../lib/credentials.mjs';
import { outputItems } from '../lib/n8n.mjs';
import { startProtectedApi } from '../lib/protectedApi.mjs';
import { codeNode, httpRequestWithCredential, manualTrigger, workflow } from '../lib/workflows.mjs';

const KINDS = ['clientSecret', 'privateKeyJwt'];
/** Tokens of this lifetime enter the 60 s renewal margin 15 s after they are issued. */
const SHORT_TTL_SECONDS = 75;

/** Start → one HTTP Request node per credential type, each calling /api/<kind>. */
function callApiWorkflow(id, apiUrl, credentials) {
	return workflow(
		id,
		[
			manualTrigger(),
			...KINDS.map((kind) =>
				httpRequestWithCredential(`API ${kind}`, `${apiUrl}/api/${kind}`, credentials[kind]),
			),
		],
		KINDS.map((kind) => ['Start', `API ${kind}`]),
	);
}

const apiCalls = (api, since, kind) =>
	api.since(since).filter((request) => request.path === `/api/${kind}`);

export async function httpRequestSuite({ env, test }) {
	const { n8n, server, api } = env;
	const credentials = bearerCredentials(server, 'e2eHttp');
	await n8n.importCredentials(Object.values(credentials));
	await n8n.importWorkflows([callApiWorkflow('httpCallApi', api.url, credentials)]);
	// The package's own protocol core, from the installed tarball, to revoke a token as an admin would.
	const protocol = createRequire(join(env.packageDir, 'package.json'))('./dist/protocol/index.js');

	/** @type {Record<string, string>} */
	const firstTokens = {};
	await test('HTTP Request node: one token per credential across two executions (stored by n8n)', async () => {
		let since = now();
		let run = await executeOk(n8n, 'httpCallApi');
		for (const kind of KINDS) {
			assert.equal(outputItems(run, `API ${kind}`)[0].ok, true);
			const clientId = credentials[kind].data.clientId;
			assert.equal(
				(await tokenRequests(server, since, clientId)).length,
				1,
				`${kind}: token requests in the first execution`,
			);
			const [call] = apiCalls(api, since, kind);
			assert.equal(call.status, 200);
			const stored = await n8n.credentialData(credentials[kind].id);
			assert.equal(stored.accessToken, call.token, `${kind}: n8n did not store the token it sent`);
			assert.ok(
				Math.abs(stored.accessTokenExpiresAt - (call.at + 3600_000)) < 10_000,
				`${kind}: stored expiry ${stored.accessTokenExpiresAt}`,
			);
			firstTokens[kind] = call.token;
		}
		since = now();
		run = await executeOk(n8n, 'httpCallApi');
		for (const kind of KINDS) {
			assert.equal(
				(await tokenRequests(server, since, credentials[kind].data.clientId)).length,
				0,
				`${kind}: the second execution requested a token`,
			);
			const calls = apiCalls(api, since, kind);
			assert.deepEqual(
				calls.map((call) => [call.status, call.token]),
				[[200, firstTokens[kind]]],
				`${kind}: second execution`,
			);
		}
	});

	await test('HTTP Request node: after the server revokes the token, the 401 brings a new one, which n8n stores', async () => {
		for (const kind of KINDS) {
			const data = await n8n.credentialData(credentials[kind].id);
			await protocol.revokeToken(
				protocol.clientConfigFromCredential(kind, data),
				data.accessToken,
				fetchSend,
			);
		}
		const since = now();
		await executeOk(n8n, 'httpCallApi');
		for (const kind of KINDS) {
			const calls = apiCalls(api, since, kind);
			assert.equal(calls.length, 2, `${kind}: expected the refused call and its retry`);
			assert.deepEqual(
				calls.map((call) => call.status),
				[401, 200],
			);
			assert.equal(calls[0].token, firstTokens[kind]);
			assert.notEqual(calls[1].token, firstTokens[kind]);
			assert.equal(
				(await tokenRequests(server, since, credentials[kind].data.clientId)).length,
				1,
				`${kind}: token requests after the 401`,
			);
			assert.equal(
				(await n8n.credentialData(credentials[kind].id)).accessToken,
				calls[1].token,
				`${kind}: the new token was not stored`,
			);
		}
	});

	await test('HTTP Request node: five items at once share one token request', async () => {
		const many = bearerCredentials(server, 'e2eMany').clientSecret;
		await n8n.importCredentials([many]);
		await n8n.importWorkflows([
			workflow(
				'httpManyItems',
				[
					manualTrigger(),
					codeNode('Five Items', 'return [1, 2, 3, 4, 5].map((n) => ({ json: { n } }));'),
					httpRequestWithCredential('API many', `${api.url}/api/many`, many),
				],
				[
					['Start', 'Five Items'],
					['Five Items', 'API many'],
				],
			),
		]);
		const since = now();
		const run = await executeOk(n8n, 'httpManyItems');
		assert.equal(outputItems(run, 'API many').length, 5);
		const calls = api.since(since).filter((request) => request.path === '/api/many');
		assert.equal(calls.length, 5);
		assert.equal(
			new Set(calls.map((call) => call.token)).size,
			1,
			'the items used different tokens',
		);
		assert.equal((await tokenRequests(server, since, many.data.clientId)).length, 1);
	});

	await test('HTTP Request node: a stored token near expiry is renewed before the request, saved, and the next execution makes 0 token requests', async () => {
		const renewed = {};
		for (const kind of KINDS) {
			const stored = await n8n.credentialData(credentials[kind].id);
			// 30 s from expiry: inside the 60 s renewal margin.
			await n8n.importCredentials([
				{ ...credentials[kind], data: { ...stored, accessTokenExpiresAt: now() + 30_000 } },
			]);
			renewed[kind] = stored.accessToken;
		}
		let since = now();
		await executeOk(n8n, 'httpCallApi');
		for (const kind of KINDS) {
			const calls = apiCalls(api, since, kind);
			assert.equal(calls.length, 1, `${kind}: the API refused the token`);
			assert.equal(calls[0].status, 200);
			assert.notEqual(calls[0].token, renewed[kind], `${kind}: the expiring token was sent`);
			assert.equal(
				(await tokenRequests(server, since, credentials[kind].data.clientId)).length,
				1,
				`${kind}: token requests near expiry`,
			);
			assert.equal((await n8n.credentialData(credentials[kind].id)).accessToken, calls[0].token);
			renewed[kind] = calls[0].token;
		}
		since = now();
		await executeOk(n8n, 'httpCallApi');
		for (const kind of KINDS) {
			assert.equal(
				(await tokenRequests(server, since, credentials[kind].data.clientId)).length,
				0,
				`${kind}: token requests in the execution after the renewal`,
			);
			assert.deepEqual(
				apiCalls(api, since, kind).map((call) => [call.status, call.token]),
				[[200, renewed[kind]]],
			);
		}
	});

	await test('HTTP Request node: a 401 on 5 items makes exactly 1 token request, and the retried items succeed', async () => {
		const many = bearerCredentials(server, 'e2eMany').clientSecret;
		const data = await n8n.credentialData(many.id);
		await protocol.revokeToken(
			protocol.clientConfigFromCredential('clientSecret', data),
			data.accessToken,
			fetchSend,
		);
		// A token older than the 5 s "just obtained" window, as in any later execution.
		await new Promise((resolve) =>
			setTimeout(resolve, Math.max(0, data.accessTokenObtainedAt + 5_500 - now())),
		);
		await n8n.importWorkflows([
			workflow(
				'httpManyItems401',
				[
					manualTrigger(),
					codeNode('Five Items', 'return [1, 2, 3, 4, 5].map((n) => ({ json: { n } }));'),
					httpRequestWithCredential('API many', `${api.url}/api/slow-many`, many),
				],
				[
					['Start', 'Five Items'],
					['Five Items', 'API many'],
				],
			),
		]);
		const since = now();
		const run = await executeOk(n8n, 'httpManyItems401');
		assert.equal(outputItems(run, 'API many').length, 5);
		assert.ok(outputItems(run, 'API many').every((item) => item.ok === true));
		const calls = api.since(since).filter((request) => request.path === '/api/slow-many');
		assert.deepEqual(
			calls.map((call) => call.status).sort(),
			[200, 200, 200, 200, 200, 401, 401, 401, 401, 401],
		);
		assert.equal((await tokenRequests(server, since, many.data.clientId)).length, 1);
		const renewed = new Set(calls.filter((call) => call.status === 200).map((call) => call.token));
		assert.equal(renewed.size, 1);
		assert.equal((await n8n.credentialData(many.id)).accessToken, [...renewed][0]);
	});

	await test('HTTP Request node: 50 API answers of 500 in one execution make at most 1 token request', async () => {
		const flaky = bearerCredentials(server, 'e2eFlaky').clientSecret;
		await n8n.importCredentials([flaky]);
		await n8n.importWorkflows([
			workflow(
				'httpFifty500',
				[
					manualTrigger(),
					codeNode(
						'Fifty Items',
						'return Array.from({ length: 50 }, (_, n) => ({ json: { n } }));',
					),
					httpRequestWithCredential('API 500', `${api.url}/always500/x`, flaky, {
						onError: 'continueRegularOutput',
					}),
				],
				[
					['Start', 'Fifty Items'],
					['Fifty Items', 'API 500'],
				],
			),
		]);
		let since = now();
		await executeOk(n8n, 'httpFifty500');
		// The first execution gets the first token (1), then the 50 errors share at most one more.
		assert.ok((await tokenRequests(server, since, flaky.data.clientId)).length <= 2);
		await new Promise((resolve) => setTimeout(resolve, 5_500));
		since = now();
		const run = await executeOk(n8n, 'httpFifty500');
		assert.equal(outputItems(run, 'API 500').length, 50);
		const calls = api.since(since).filter((request) => request.path === '/always500/x');
		assert.ok(calls.length >= 50, `${calls.length} API calls`);
		const tokens = (await tokenRequests(server, since, flaky.data.clientId)).length;
		assert.ok(tokens <= 1, `${tokens} token requests after 50 API errors`);
	});

	// Tokens that live 75 s: a second server, and an API that asks that server.
	const shortServer = await startAuthServer({ accessTokenTtl: SHORT_TTL_SECONDS });
	const { post } = shortServer.fixtures.clients;
	const shortApi = await startProtectedApi({
		introspectionEndpoint: shortServer.introspectionEndpoint,
		clientId: post.client_id,
		clientSecret: post.client_secret,
	});
	try {
		const short = bearerCredentials(shortServer, 'e2eShort');
		await n8n.importCredentials(Object.values(short));
		await n8n.importWorkflows([callApiWorkflow('httpShortTokens', shortApi.url, short)]);

		await test('HTTP Request node: a token within 60 s of expiry is replaced before the API refuses it', async () => {
			let since = now();
			await executeOk(n8n, 'httpShortTokens');
			const first = {};
			let renewAt = 0;
			for (const kind of KINDS) {
				const [call] = apiCalls(shortApi, since, kind);
				first[kind] = call.token;
				const stored = await n8n.credentialData(short[kind].id);
				assert.equal(stored.accessToken, call.token);
				renewAt = Math.max(renewAt, stored.accessTokenExpiresAt - 60_000);
			}
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, renewAt - now() + 1000)));
			since = now();
			await executeOk(n8n, 'httpShortTokens');
			for (const kind of KINDS) {
				const calls = apiCalls(shortApi, since, kind);
				assert.equal(
					calls.length,
					1,
					`${kind}: the API refused the token, it was not replaced in time`,
				);
				assert.equal(calls[0].status, 200);
				assert.notEqual(calls[0].token, first[kind], `${kind}: the expiring token was sent`);
				assert.equal(
					(await tokenRequests(shortServer, since, short[kind].data.clientId)).length,
					1,
					`${kind}: token requests near expiry`,
				);
			}
		});
	} finally {
		await shortApi.close();
		await shortServer.close();
	}

	await test('The protected API saw only Bearer tokens: never a client secret, key, password or assertion', async () => {
		const requests = [...api.requests, ...shortApi.requests];
		assert.ok(requests.length >= 10, `only ${requests.length} API requests recorded`);
		for (const request of requests)
			assert.match(
				request.authorization ?? '',
				/^Bearer [A-Za-z0-9._~+/-]+=*$/,
				`${request.path}: ${request.authorization?.slice(0, 12)}`,
			);
		const seen = JSON.stringify(
			requests.map(({ path, headers, body }) => ({ path, headers, body })),
		);
		assertNoSecrets(seen, [...secretsOf(server), ...secretsOf(shortServer)], 'what the API saw');
		for (const marker of ['client_secret', 'client_assertion', 'assertion=', 'Basic '])
			assert.ok(!seen.includes(marker), `the API saw "${marker}"`);
		// Client and grant assertions are JWTs; the test server's access tokens are opaque.
		assert.doesNotMatch(seen, /eyJ[\w-]*\.[\w-]+\.[\w-]*/, 'the API saw a JWT');
	});
}
