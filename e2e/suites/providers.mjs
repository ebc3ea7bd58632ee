// Provider presets whose hosts are fixed https names (NetSuite, Salesforce external client apps),
// in real n8n: a second n8n runs with HTTPS_PROXY pointing at a local CONNECT proxy that tunnels
// those names (only those) to local TLS emulators, and NODE_EXTRA_CA_CERTS trusting a CA made at
// run time (e2e/lib/providerEmulators.mjs). n8n thus sends the preset's real URLs
// (https://1234567-sb1.suitetalk.api.netsuite.com/…, https://globex.my.salesforce.com/…) with
// its own request helper and TLS, as in production.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';

import { PRIVATE_KEY_TYPE } from '../lib/credentials.mjs';
import { freePort, N8n, outputItems } from '../lib/n8n.mjs';
import { executeOk } from '../lib/checks.mjs';
import { ownerSession, startEditor } from '../lib/editor.mjs';
import { makeTestCa, startProviderEmulators } from '../lib/providerEmulators.mjs';
import { manualTrigger, oauthToken, workflow } from '../lib/workflows.mjs';

const pem = (key) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

export async function providersSuite({ env, test }) {
	const tls = makeTestCa();
	const netsuiteKey = generateKeyPairSync('rsa', { modulusLength: 3072 });
	const salesforceKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const netsuiteClient = `ns-${Date.now().toString(36)}`;
	const consumerKey = `3MVG9e2e${Date.now().toString(36)}`;
	const emulators = await startProviderEmulators({
		tls,
		netsuite: {
			clientId: netsuiteClient,
			allowedScopes: ['rest_webservices', 'restlets'],
			mappings: { 'e2e-certificate-1': { publicKey: netsuiteKey.publicKey } },
		},
		salesforce: {
			consumerKey,
			certificateKey: salesforceKey.publicKey,
			myDomainHost: 'globex.my.salesforce.com',
			username: 'integration@globex.example',
		},
	});
	const n8n = new N8n({
		userFolder: env.userFolder,
		brokerPort: await freePort(),
		extraEnv: {
			HTTP_PROXY: emulators.proxyUrl,
			HTTPS_PROXY: emulators.proxyUrl,
			NO_PROXY: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: tls.caFile,
		},
	});
	const netsuite = {
		id: 'e2eNetSuite',
		name: 'e2e NetSuite M2M',
		type: PRIVATE_KEY_TYPE,
		data: {
			formVersion: 2,
			provider: 'netsuite',
			netsuiteAccountId: '1234567_SB1',
			clientId: netsuiteClient,
			privateKey: pem(netsuiteKey.privateKey),
			keyId: 'e2e-certificate-1',
			scope: 'rest_webservices restlets',
		},
	};
	const salesforceBase = {
		formVersion: 2,
		provider: 'salesforce',
		salesforceEnvironment: 'myDomain',
		salesforceMyDomainUrl: 'https://globex.my.salesforce.com',
		clientId: consumerKey,
		privateKey: pem(salesforceKey.privateKey),
		subject: 'integration@globex.example',
	};
	const ecaMyDomain = {
		id: 'e2eSalesforceEca',
		name: 'e2e Salesforce external client app (My Domain audience)',
		type: PRIVATE_KEY_TYPE,
		data: { ...salesforceBase, salesforceJwtAudience: 'myDomain' },
	};
	const ecaLogin = {
		id: 'e2eSalesforceEcaLogin',
		name: 'e2e Salesforce external client app (login audience)',
		type: PRIVATE_KEY_TYPE,
		data: salesforceBase,
	};
	await env.n8n.importCredentials([netsuite, ecaMyDomain, ecaLogin]);
	const getToken = (id, credential) =>
		workflow(
			id,
			[
				manualTrigger(),
				oauthToken('Get Token', { operation: 'getToken', options: { forceNew: true } }, credential),
			],
			[['Start', 'Get Token']],
		);
	await env.n8n.importWorkflows([
		getToken('providersNetSuite', netsuite),
		getToken('providersSalesforceEca', ecaMyDomain),
		getToken('providersSalesforceEcaLogin', ecaLogin),
	]);

	try {
		await test('NetSuite: Get Token through the preset (PS256, kid = Certificate ID, scope as a claim, aud = token URL) in real n8n over TLS', async () => {
			const before = emulators.log.length;
			const run = await executeOk(n8n, 'providersNetSuite');
			const [out] = outputItems(run, 'Get Token');
			assert.equal(out.token_type, 'Bearer');
			assert.equal(out.expires_in, 3600);
			const seen = emulators.log.slice(before);
			assert.equal(seen.length, 1, JSON.stringify(seen));
			const [request] = seen;
			assert.equal(request.host, '1234567-sb1.suitetalk.api.netsuite.com');
			assert.equal(request.status, 200, `NetSuite emulator refused: ${emulators.audit.join(', ')}`);
			assert.deepEqual(request.formKeys.sort(), [
				'client_assertion',
				'client_assertion_type',
				'client_id',
				'grant_type',
			]);
			assert.deepEqual(
				{ alg: request.assertion.header.alg, kid: request.assertion.header.kid },
				{ alg: 'PS256', kid: 'e2e-certificate-1' },
			);
			assert.deepEqual(request.assertion.payload.scope, ['rest_webservices', 'restlets']);
			assert.equal(
				request.assertion.payload.aud,
				'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
			);
			assert.equal(request.assertion.payload.iss, netsuiteClient);
			assert.ok(emulators.tunnels.includes('1234567-sb1.suitetalk.api.netsuite.com'));
		});

		await test('Salesforce external client app: the My Domain audience gets a token in real n8n', async () => {
			const before = emulators.log.length;
			const run = await executeOk(n8n, 'providersSalesforceEca');
			assert.equal(
				outputItems(run, 'Get Token')[0].instance_url,
				'https://globex.my.salesforce.com',
			);
			const [request] = emulators.log.slice(before);
			assert.equal(request.host, 'globex.my.salesforce.com');
			assert.equal(request.status, 200);
			assert.equal(request.assertion.payload.aud, 'https://globex.my.salesforce.com');
		});

		await test('Salesforce external client app: the login audience gets app_not_found, and the n8n error carries the hint', async () => {
			const before = emulators.log.length;
			const failed = await n8n.execute('providersSalesforceEcaLogin');
			assert.notEqual(failed.code, 0);
			const [request] = emulators.log.slice(before);
			assert.equal(request.error, 'app_not_found');
			assert.equal(request.assertion.payload.aud, 'https://login.salesforce.com');
			const error = failed.run?.data.resultData.error;
			const text = JSON.stringify(error ?? failed.stdout);
			assert.match(text, /app_not_found/);
			assert.match(text, /My Domain URL \(External Client Apps\)/);
			assert.match(text, /Login \/ Test by Environment/);
		});
		await test('NetSuite: the Test button gets a token through the preset (real n8n, TLS)', async () => {
			const editor = await startEditor(n8n, { port: await freePort() });
			try {
				const session = await ownerSession(editor.url);
				const before = emulators.log.length;
				const result = await session.testCredential(netsuite);
				assert.equal(result.status, 'OK', result.message);
				const tokenCalls = emulators.log
					.slice(before)
					.filter((entry) => entry.path === '/services/rest/auth/oauth2/v1/token');
				assert.ok(tokenCalls.length >= 1, 'the Test made no token request');
				assert.ok(tokenCalls.every((entry) => entry.status === 200));
			} finally {
				await editor.stop();
			}
		});
	} finally {
		n8n.dispose();
		await emulators.close();
		tls.cleanup();
	}
}
