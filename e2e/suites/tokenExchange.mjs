// Token exchange (RFC 8693) and several resource indicators (RFC 8707) in real n8n, against the
// local authorization server's token-exchange grant (test/server/grants.mjs): a token from one Get
// Token is exchanged per item by the next (subject token = the previous node's access_token), and
// the server's introspection reports the exchanged token's audience.
import assert from 'node:assert/strict';

import { assertNoSecrets, executeOk, now, tokenRequests } from '../lib/checks.mjs';
import { CLIENT_SECRET_TYPE, manualEndpoints, secretsOf } from '../lib/credentials.mjs';
import { outputEntries, outputItems } from '../lib/n8n.mjs';
import { codeNode, manualTrigger, oauthToken, workflow } from '../lib/workflows.mjs';

const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const SUBJECT = '={{ $json.access_token }}';

function credentials(server) {
	const { basic, post } = server.fixtures.clients;
	const secret = (id, client, data) => ({
		id,
		name: id,
		type: CLIENT_SECRET_TYPE,
		data: {
			...manualEndpoints(server),
			formVersion: 2,
			clientId: client.client_id,
			clientSecret: client.client_secret,
			clientAuthentication: client === basic ? 'client_secret_basic' : 'client_secret_post',
			scope: 'api:read',
			...data,
		},
	});
	const exchange = { grantType: 'tokenExchange', subjectTokenType: 'access_token' };
	return {
		source: secret('teSource', basic, { grantType: 'clientCredentials' }),
		toBilling: secret('teBilling', post, {
			...exchange,
			audience: server.fixtures.tokenExchange.audiences[0],
		}),
		toBoth: secret('teBoth', post, { ...exchange, resource: server.fixtures.resources.join('\n') }),
		toUnknown: secret('teUnknown', post, { ...exchange, audience: 'https://unknown.example' }),
	};
}

export async function tokenExchangeSuite({ env, test }) {
	const { n8n, server } = env;
	const creds = credentials(server);
	await n8n.importCredentials(Object.values(creds));
	const introspect = (name) =>
		oauthToken(
			name,
			{ operation: 'introspectToken', token: SUBJECT, tokenTypeHint: 'access_token' },
			creds.source,
		);
	// Two items, each with its own subject token (Always Request a New Token).
	const twoSubjects = [
		manualTrigger(),
		codeNode('Two Items', 'return [{ json: { n: 1 } }, { json: { n: 2 } }];'),
		oauthToken(
			'Get Subject Token',
			{ operation: 'getToken', options: { forceNew: true } },
			creds.source,
		),
	];
	const exchange = (name, credential) =>
		oauthToken(
			name,
			{ operation: 'getToken', tokenExchange: { subjectToken: SUBJECT } },
			credential,
		);
	await n8n.importWorkflows([
		workflow(
			'teExchange',
			[...twoSubjects, exchange('Exchange', creds.toBilling), introspect('Introspect')],
			[
				['Start', 'Two Items'],
				['Two Items', 'Get Subject Token'],
				['Get Subject Token', 'Exchange'],
				['Exchange', 'Introspect'],
			],
		),
		workflow(
			'teResources',
			[...twoSubjects, exchange('Exchange For Both', creds.toBoth), introspect('Introspect Both')],
			[
				['Start', 'Two Items'],
				['Two Items', 'Get Subject Token'],
				['Get Subject Token', 'Exchange For Both'],
				['Exchange For Both', 'Introspect Both'],
			],
		),
		workflow(
			'teInvalidTarget',
			[
				manualTrigger(),
				oauthToken('Get Subject Token', { operation: 'getToken' }, creds.source),
				exchange('Exchange Unknown', creds.toUnknown),
			],
			[
				['Start', 'Get Subject Token'],
				['Get Subject Token', 'Exchange Unknown'],
			],
		),
	]);

	await test('Get Token exchanges each item’s access token (RFC 8693): issued_token_type, and the audience the server reports', async () => {
		const since = now();
		const run = await executeOk(n8n, 'teExchange');
		const subjects = outputItems(run, 'Get Subject Token').map((item) => item.access_token);
		assert.equal(new Set(subjects).size, 2, 'two different subject tokens');
		const exchanged = outputItems(run, 'Exchange');
		assert.equal(exchanged.length, 2);
		for (const [i, item] of exchanged.entries()) {
			assert.equal(item.issued_token_type, ACCESS_TOKEN);
			assert.equal(item.token_type, 'Bearer');
			assert.ok(item.access_token && item.access_token !== subjects[i], 'a new token per item');
		}
		assert.notEqual(exchanged[0].access_token, exchanged[1].access_token);
		const exchanges = (await tokenRequests(server, since)).filter((r) => r.grantType === TE);
		assert.equal(exchanges.length, 2, 'one exchange per subject');
		for (const request of exchanges) {
			assert.equal(request.subjectTokenType, ACCESS_TOKEN);
			assert.deepEqual(request.audiences, [server.fixtures.tokenExchange.audiences[0]]);
			assert.equal(request.status, 200);
		}
		for (const seen of outputItems(run, 'Introspect')) {
			assert.equal(seen.active, true);
			assert.equal(seen.aud, server.fixtures.tokenExchange.audiences[0]);
		}
		// The exchanged items hold the new tokens, never the subject tokens they replaced.
		assertNoSecrets(
			JSON.stringify(exchanged),
			[...subjects, ...secretsOf(server)],
			'the exchanged items',
		);
	});

	await test('Several resources (RFC 8707) in one Get Token: sent repeated, and the server reports the token for both', async () => {
		const since = now();
		const run = await executeOk(n8n, 'teResources');
		const { resources } = server.fixtures;
		const [request] = (await tokenRequests(server, since)).filter((r) => r.grantType === TE);
		assert.deepEqual(request.resources, resources);
		assert.equal(request.bodyKeys.filter((key) => key === 'resource').length, 2);
		for (const seen of outputItems(run, 'Introspect Both')) {
			assert.equal(seen.active, true);
			assert.deepEqual(seen.aud, resources);
		}
	});

	await test('An audience the server does not know: invalid_target, with the hint naming the field, and no token in the error', async () => {
		const result = await n8n.execute('teInvalidTarget');
		assert.equal(result.code, 1);
		const error = result.run?.data.resultData.error;
		assert.match(error?.message ?? '', /invalid_target/);
		assert.match(error?.description ?? '', /Change "Audience" or "Resource" in the credential/);
		const subjects = outputEntries(result.run, 'Get Subject Token').map(
			(item) => item.json.access_token,
		);
		assertNoSecrets(
			`${error?.message} ${error?.description ?? ''} ${result.stderr}`,
			[...subjects, ...secretsOf(server)],
			'the error',
		);
	});
}
