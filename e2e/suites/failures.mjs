// Failures as a workflow builder meets them: a wrong secret fails the execution with the package's
// message (OAuth Token node and HTTP Request node alike); with Continue On Fail (the node setting
// "On Error: Continue") the workflow completes and the failed items carry the error.
import assert from 'node:assert/strict';

import { assertNoSecrets, executeOk } from '../lib/checks.mjs';
import {
	CLIENT_SECRET_TYPE,
	manualEndpoints,
	PRIVATE_KEY_TYPE,
	secretsOf,
} from '../lib/credentials.mjs';
import { outputEntries, outputItems } from '../lib/n8n.mjs';
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
}
