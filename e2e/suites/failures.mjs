// Failures as a workflow builder meets them: a wrong secret fails the execution with the package's
// message (OAuth Token node and HTTP Request node alike); with Continue On Fail (the node setting
// "On Error: Continue") the workflow completes and the failed items carry the error; with "Continue
// (using error output)" every operation's failed items reach its Error output, input fields kept.
import assert from 'node:assert/strict';

import { assertNoSecrets, executeOk } from '../lib/checks.mjs';
import {
	CLIENT_SECRET_TYPE,
	manualEndpoints,
	PRIVATE_KEY_TYPE,
	secretsOf,
} from '../lib/credentials.mjs';
import { outputCount, outputEntries, outputItems, ranNodes } from '../lib/n8n.mjs';
import { generatePrivateKeyFixture } from '../../test/server/keys.mjs';
import {
	codeNode,
	httpRequestWithCredential,
	manualTrigger,
	noOp,
	oauthToken,
	workflow,
} from '../lib/workflows.mjs';

const WRONG_SECRET = 'wrong-secret-e2e-5f1c9a7d3b';
const PACKAGE_MESSAGE =
	'The token endpoint refused the request: invalid_client (invalid secret provided)';
const HINT = /Check the client ID and secret \(or key\)/;
const CONTINUE = { onError: 'continueRegularOutput' };
const ERROR_OUTPUT = { onError: 'continueErrorOutput' };

export async function failuresSuite({ env, test }) {
	const { n8n, server, api } = env;
	const { basic, privateKeyJwt } = server.fixtures.clients;
	const stranger = await generatePrivateKeyFixture('ES256', {
		tokenEndpoint: server.tokenEndpoint,
	});
	const wrongSecret = {
		id: 'e2eWrongSecret',
		name: 'e2eWrongSecret',
		type: CLIENT_SECRET_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: basic.client_id,
			clientSecret: WRONG_SECRET,
			grantType: 'clientCredentials',
		},
	};
	const wrongKey = {
		id: 'e2eWrongKey',
		name: 'e2eWrongKey',
		type: PRIVATE_KEY_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: privateKeyJwt.ES256.client_id,
			privateKey: stranger.pkcs8Pem,
			grantType: 'clientCredentials',
		},
	};
	await n8n.importCredentials([wrongSecret, wrongKey]);
	const twoItems = codeNode('Two Items', 'return [{ json: { n: 1 } }, { json: { n: 2 } }];');
	await n8n.importWorkflows([
		workflow(
			'failWrongSecret',
			[manualTrigger(), oauthToken('Get Token', { operation: 'getToken' }, wrongSecret)],
			[['Start', 'Get Token']],
		),
		workflow(
			'failHttpWrongSecret',
			[manualTrigger(), httpRequestWithCredential('Call API', `${api.url}/api/fail`, wrongSecret)],
			[['Start', 'Call API']],
		),
		workflow(
			'failContinue',
			[
				manualTrigger(),
				twoItems,
				oauthToken('Get Token (Wrong Secret)', { operation: 'getToken' }, wrongSecret, CONTINUE),
				oauthToken('Get Token (Wrong Key)', { operation: 'getToken' }, wrongKey, CONTINUE),
				httpRequestWithCredential(
					'Call API (Wrong Secret)',
					`${api.url}/api/fail`,
					wrongSecret,
					CONTINUE,
				),
				noOp('After Secret'),
				noOp('After Key'),
				noOp('After HTTP'),
			],
			[
				['Start', 'Two Items'],
				['Two Items', 'Get Token (Wrong Secret)'],
				['Two Items', 'Get Token (Wrong Key)'],
				['Two Items', 'Call API (Wrong Secret)'],
				['Get Token (Wrong Secret)', 'After Secret'],
				['Get Token (Wrong Key)', 'After Key'],
				['Call API (Wrong Secret)', 'After HTTP'],
			],
		),
	]);
	// Two stored token sets, as a workflow that rotates tokens reads them: every operation fails on
	// both (wrong secret; for Check Expiry a malformed expires_at on the first only).
	const tokenSets = codeNode(
		'Token Sets',
		`return [
			{ json: { name: 'crm', access_token: 'at-crm', refresh_token: 'rt-crm', expires_at: 'soon' } },
			{ json: { name: 'erp', access_token: 'at-erp', refresh_token: 'rt-erp', expires_at: new Date(Date.now() + 3600e3).toISOString() } },
		];`,
	);
	const failing = [
		['Get Token', { operation: 'getToken' }],
		['Refresh Token', { operation: 'refreshToken', refreshToken: '={{ $json.refresh_token }}' }],
		['Revoke Token', { operation: 'revokeToken', token: '={{ $json.refresh_token }}' }],
		['Introspect Token', { operation: 'introspectToken', token: '={{ $json.access_token }}' }],
	];
	await n8n.importWorkflows([
		workflow(
			'failErrorOutput',
			[
				manualTrigger(),
				tokenSets,
				...failing.map(([name, parameters]) =>
					oauthToken(name, parameters, wrongSecret, ERROR_OUTPUT),
				),
				oauthToken('Check Expiry', { operation: 'checkExpiry' }, undefined, ERROR_OUTPUT),
				...failing.flatMap(([name]) => [noOp(`${name} OK`), noOp(`${name} Failed`)]),
				noOp('Check Expiry Valid'),
				noOp('Check Expiry Needs Refresh'),
				noOp('Check Expiry Failed'),
			],
			[
				['Start', 'Token Sets'],
				...failing.flatMap(([name]) => [
					['Token Sets', name],
					[name, `${name} OK`, 0],
					[name, `${name} Failed`, 1],
				]),
				['Token Sets', 'Check Expiry'],
				['Check Expiry', 'Check Expiry Valid', 0],
				['Check Expiry', 'Check Expiry Needs Refresh', 1],
				['Check Expiry', 'Check Expiry Failed', 2],
			],
		),
	]);
	const secrets = [WRONG_SECRET, stranger.pkcs8Pem.split('\n')[1], ...secretsOf(server)];

	await test("A wrong secret fails the execution with the package's message and hint, and no secret", async () => {
		const result = await n8n.execute('failWrongSecret');
		assert.equal(result.code, 1);
		const error = result.run?.data.resultData.error;
		assert.equal(error?.message, PACKAGE_MESSAGE);
		assert.match(error?.description ?? '', HINT);
		assert.equal(error?.httpCode, '401');
		assertNoSecrets(result.stdout + result.stderr, secrets, "n8n's output");
	});

	await test("HTTP Request node with a wrong secret fails with the package's message; the API is never called", async () => {
		const before = api.requests.length;
		const result = await n8n.execute('failHttpWrongSecret');
		assert.equal(result.code, 1);
		const error = result.run?.data.resultData.error;
		assert.match(
			`${error?.message} ${error?.description ?? ''}`,
			/Could not get an access token: invalid_client: invalid secret provided\. The server did not accept the client credentials/,
		);
		assert.equal(api.requests.length, before, 'the API was called without a token');
		assertNoSecrets(result.stdout + result.stderr, secrets, "n8n's output");
	});

	await test('Continue On Fail: the workflow completes and each failed item carries the error', async () => {
		const run = await executeOk(n8n, 'failContinue');
		// Error items follow n8n's Continue On Fail convention: the message in json.error and the
		// hint in json.description, both readable by the next node.
		const secretItems = outputEntries(run, 'Get Token (Wrong Secret)');
		assert.deepEqual(
			secretItems.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		for (const item of secretItems) {
			assert.equal(item.json.error, PACKAGE_MESSAGE);
			assert.match(item.json.description ?? '', HINT);
		}
		assert.equal(outputItems(run, 'After Secret').length, 2);
		const keyItems = outputItems(run, 'After Key');
		assert.equal(keyItems.length, 2);
		for (const item of keyItems)
			assert.match(item.error, /^The token endpoint refused the request: invalid_client/);
		const httpItems = outputItems(run, 'After HTTP');
		assert.equal(httpItems.length, 2);
		for (const item of httpItems)
			assert.match(JSON.stringify(item.error), /Could not get an access token: invalid_client/);
		assertNoSecrets(JSON.stringify(run), secrets, 'the execution data');
	});

	await test('Continue (using error output): every operation routes its failed items to the Error output, with their input fields', async () => {
		const run = await executeOk(n8n, 'failErrorOutput');
		for (const [name] of failing) {
			assert.equal(outputCount(run, name), 2, `${name}: Success and Error outputs`);
			assert.deepEqual(outputEntries(run, name, 0), [], `${name}: nothing on Success`);
			const failed = outputEntries(run, name, 1);
			assert.deepEqual(
				failed.map((item) => [item.json.name, item.json.refresh_token, item.pairedItem]),
				[
					['crm', 'rt-crm', { item: 0 }],
					['erp', 'rt-erp', { item: 1 }],
				],
				`${name}: the failed token sets, whole and paired`,
			);
			for (const item of failed) {
				assert.match(String(item.json.error), /invalid_client/, `${name}: the error`);
				assert.match(String(item.json.details?.description ?? ''), HINT, `${name}: the hint`);
			}
			assert.deepEqual(
				outputItems(run, `${name} Failed`).map((json) => json.name),
				['crm', 'erp'],
				`${name}: the next node on Error received them`,
			);
			assert.ok(!ranNodes(run).includes(`${name} OK`), `${name}: nothing went to Success`);
		}
		// Check Expiry: Valid, Needs Refresh, Error.
		assert.equal(outputCount(run, 'Check Expiry'), 3);
		assert.deepEqual(
			outputItems(run, 'Check Expiry', 0).map((json) => json.name),
			['erp'],
		);
		assert.deepEqual(outputItems(run, 'Check Expiry', 1), []);
		const [failed, ...more] = outputEntries(run, 'Check Expiry', 2);
		assert.equal(more.length, 0);
		assert.deepEqual(
			[failed.json.name, failed.json.refresh_token, failed.pairedItem],
			['crm', 'rt-crm', { item: 0 }],
		);
		assert.match(String(failed.json.error), /^expires_at: "soon" is not a usable date/);
		assert.deepEqual(
			outputItems(run, 'Check Expiry Failed').map((json) => json.name),
			['crm'],
		);
		assertNoSecrets(JSON.stringify(run), secrets, 'the execution data');
	});
}
