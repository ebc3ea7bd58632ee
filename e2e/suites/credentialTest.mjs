// The credentials' Test button, through n8n's own REST endpoint (POST /rest/credentials/test, what
// the editor calls), with n8n started as `npm run editor` starts it; and what the editor is told
// about the package's types. The test is declarative: n8n runs the credential's preAuthentication
// (a real token request through n8n's own helper) and then its test request with the token.
import assert from 'node:assert/strict';

import { generatePrivateKeyFixture } from '../../test/server/keys.mjs';
import { assertNoSecrets, now, tokenRequests } from '../lib/checks.mjs';
import { PROXY_ONLY_HOST } from '../lib/forwardProxy.mjs';
import { ownerSession, startEditor } from '../lib/editor.mjs';
import { freePort } from '../lib/n8n.mjs';

const asSent = ({ id, name, type, data }) => ({ id, name, type, data });

export async function credentialTestSuite({ env, test }) {
	const editor = await startEditor(env.n8n, { port: await freePort() });
	try {
		const session = await ownerSession(editor.url);
		const { credentials, server } = env;

		await test('Test button: OK for valid credentials of both types and every grant, each with a real token request', async () => {
			for (const credential of Object.values(credentials)) {
				const since = now();
				const result = await session.testCredential(asSent(credential));
				assert.equal(result.status, 'OK', `${credential.name}: ${result.message}`);
				assert.ok(
					(await tokenRequests(server, since, credential.data.clientId)).length >= 1,
					`${credential.name}: the Test made no token request`,
				);
			}
		});

		await test('Test button: a server reachable only through a proxy fails without one, with a clear message', async () => {
			const result = await session.testCredential({
				...asSent(credentials.clientSecret),
				data: {
					...credentials.clientSecret.data,
					tokenUrl: server.tokenEndpoint.replace('//127.0.0.1:', `//${PROXY_ONLY_HOST}:`),
					allowInsecureHttp: true,
				},
			});
			assert.equal(result.status, 'Error');
			assert.match(
				result.message,
				/request to http:\/\/auth\.only-proxy\.test:\d+ failed: the host name could not be resolved/,
			);
		});

		await test('Test button: a wrong client secret or key gives a message that says what to change', async () => {
			const wrongSecret = 'not-the-secret-0123456789abcdef';
			const secret = await session.testCredential({
				...asSent(credentials.clientSecret),
				data: { ...credentials.clientSecret.data, clientSecret: wrongSecret },
			});
			assert.equal(secret.status, 'Error');
			assert.match(
				secret.message,
				/^Could not get an access token: invalid_client: .*Check the client ID and secret \(or key\)/,
			);
			assertNoSecrets(
				secret.message,
				[wrongSecret, server.fixtures.clients.basic.client_secret],
				'the Test message',
			);
			// A key of the right type that the server does not know: the signature does not verify.
			const stranger = await generatePrivateKeyFixture('ES256', {
				tokenEndpoint: server.tokenEndpoint,
			});
			const key = await session.testCredential({
				...asSent(credentials.privateKey),
				data: { ...credentials.privateKey.data, privateKey: stranger.pkcs8Pem },
			});
			assert.equal(key.status, 'Error');
			assert.match(key.message, /^Could not get an access token: invalid_client: /);
		});

		await test('Editor: both credentials are offered in the HTTP Request node; Check Expiry has two outputs', async () => {
			const types = (await session.call('GET', '/types/credentials.json')).body;
			for (const name of ['oauthClientSecretApi', 'oauthPrivateKeyJwtApi']) {
				const type = types.find((candidate) => candidate.name === name);
				// The HTTP Request node lists credential types that "have authenticate".
				assert.ok(
					type && type.authenticate !== undefined,
					`${name} has no authenticate in the editor's types`,
				);
				assert.ok(
					type.properties.some(
						(property) =>
							property.name === 'tokenRenewal' &&
							property.type === 'hidden' &&
							property.typeOptions?.expirable,
					),
					`${name}: no expirable hidden renewal marker`,
				);
			}
			const nodes = (await session.call('GET', '/types/nodes.json')).body;
			const node = nodes.find(
				(candidate) => candidate.name === 'n8n-nodes-oauth-token-manager.oauthToken',
			);
			assert.ok(node, 'the OAuth Token node is not loaded');
			assert.match(node.outputs, /checkExpiry.*Valid.*Needs Refresh/);
			// n8n adds its "Custom API Call" entry to nodes whose credentials can authenticate a request.
			const operations = node.properties
				.find((property) => property.name === 'operation')
				.options.map((option) => option.value)
				.filter((value) => value !== '__CUSTOM_API_CALL__');
			assert.deepEqual(operations.sort(), [
				'checkExpiry',
				'getToken',
				'introspectToken',
				'refreshToken',
				'revokeToken',
			]);
		});
	} finally {
		await editor.stop();
	}
}
