// n8n's proxy variables, in real n8n: the authorization server is reachable only through a
// forward proxy on 127.0.0.1 (a host name that only the proxy resolves), and n8n is started with
// HTTP_PROXY / HTTPS_PROXY / NO_PROXY as n8n documents them. Get Token, the Test button and the
// HTTP Request node (renewal near expiry included) work through it; without the proxy variables
// they fail with a clear error. Every request of the package goes out through n8n's helper.
import assert from 'node:assert/strict';

import { executeOk, now, tokenRequests } from '../lib/checks.mjs';
import { CLIENT_SECRET_TYPE } from '../lib/credentials.mjs';
import { ownerSession, startEditor } from '../lib/editor.mjs';
import { PROXY_ONLY_HOST, startForwardProxy } from '../lib/forwardProxy.mjs';
import { freePort, N8n, outputItems } from '../lib/n8n.mjs';
import {
	httpRequestWithCredential,
	manualTrigger,
	oauthToken,
	workflow,
} from '../lib/workflows.mjs';

const UNRESOLVED = /the host name could not be resolved/;

/** The server's own URL, under the name only the proxy resolves. */
const behindProxy = (url) => url.replace('//127.0.0.1:', `//${PROXY_ONLY_HOST}:`);

export async function proxySuite({ env, test }) {
	const { server, api } = env;
	const proxy = await startForwardProxy();
	const direct = env.n8n;
	const proxied = new N8n({
		userFolder: env.userFolder,
		brokerPort: await freePort(),
		// n8n's documented variables; its own traffic on this machine (task runners) stays direct.
		extraEnv: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost' },
	});
	const { basic } = server.fixtures.clients;
	const credential = {
		id: 'e2eProxySecret',
		name: 'e2e proxy secret',
		type: CLIENT_SECRET_TYPE,
		data: {
			provider: 'generic',
			endpointMode: 'manual',
			tokenUrl: behindProxy(server.tokenEndpoint),
			// The name is not this machine's, so http:// must be allowed explicitly.
			allowInsecureHttp: true,
			clientId: basic.client_id,
			clientSecret: basic.client_secret,
			clientAuthentication: 'client_secret_basic',
			grantType: 'clientCredentials',
			scope: 'api:read',
			timeout: 10,
		},
	};
	await direct.importCredentials([credential]);
	await direct.importWorkflows([
		workflow(
			'proxyGetToken',
			[
				manualTrigger(),
				oauthToken(
					'Get Token',
					{ authentication: 'clientSecret', operation: 'getToken', options: { forceNew: true } },
					credential,
				),
			],
			[['Start', 'Get Token']],
		),
		workflow(
			'proxyHttp',
			[manualTrigger(), httpRequestWithCredential('API', `${api.url}/api/proxy`, credential)],
			[['Start', 'API']],
		),
	]);
	const apiCalls = (since) => api.since(since).filter((call) => call.path === '/api/proxy');
	const tokens = async (since) => (await tokenRequests(server, since, basic.client_id)).length;

	try {
		await test('Proxy: Get Token through the proxy succeeds; without the proxy it fails clearly', async () => {
			const before = proxy.proxied();
			const since = now();
			const run = await executeOk(proxied, 'proxyGetToken');
			assert.equal(outputItems(run, 'Get Token')[0].token_type, 'Bearer');
			assert.equal(await tokens(since), 1);
			assert.ok(proxy.proxied() > before, 'the request did not go through the proxy');

			const failed = await direct.execute('proxyGetToken');
			assert.notEqual(failed.code, 0);
			const error = failed.run?.data.resultData.error;
			assert.match(
				error?.message ?? failed.stdout,
				new RegExp(
					`request to http://${PROXY_ONLY_HOST.replaceAll('.', '\\.')}:\\d+ failed: ${UNRESOLVED.source}`,
				),
			);
		});

		await test('Proxy: the HTTP Request node gets, saves, reuses and renews near expiry its token through the proxy', async () => {
			let since = now();
			await executeOk(proxied, 'proxyHttp');
			assert.equal(await tokens(since), 1, 'first execution');
			const [first] = apiCalls(since);
			assert.equal(first.status, 200);
			const stored = await direct.credentialData(credential.id);
			assert.equal(stored.accessToken, first.token, 'n8n did not save the token it sent');

			since = now();
			await executeOk(proxied, 'proxyHttp');
			assert.equal(await tokens(since), 0, 'the second execution requested a token');
			assert.deepEqual(
				apiCalls(since).map((call) => [call.status, call.token]),
				[[200, first.token]],
			);

			// The saved token is 30 s from expiry (inside the 60 s renewal margin).
			await direct.importCredentials([
				{ ...credential, data: { ...stored, accessTokenExpiresAt: Date.now() + 30_000 } },
			]);
			since = now();
			await executeOk(proxied, 'proxyHttp');
			assert.equal(await tokens(since), 1, 'renewal near expiry');
			const [renewed] = apiCalls(since);
			assert.equal(renewed.status, 200);
			assert.notEqual(renewed.token, first.token, 'the expiring token was sent');
			assert.equal((await direct.credentialData(credential.id)).accessToken, renewed.token);

			since = now();
			await executeOk(proxied, 'proxyHttp');
			assert.equal(await tokens(since), 0, 'the execution after the renewal requested a token');
			assert.deepEqual(
				apiCalls(since).map((call) => call.token),
				[renewed.token],
			);
		});

		await test('Proxy: without the proxy, the HTTP Request node fails with a clear error', async () => {
			await direct.importCredentials([credential]); // no stored token: one must be requested
			const failed = await direct.execute('proxyHttp');
			assert.notEqual(failed.code, 0);
			const text = JSON.stringify(failed.run?.data.resultData.error ?? failed.stdout);
			assert.match(
				text,
				/Could not get an access token: The request to http:\/\/auth\.only-proxy\.test:\d+ failed: the host name could not be resolved/,
			);
		});

		await test('Proxy: the Test button works through the proxy (n8n started with the proxy variables)', async () => {
			const editor = await startEditor(proxied, { port: await freePort() });
			try {
				const session = await ownerSession(editor.url);
				const since = now();
				const result = await session.testCredential(credential);
				assert.equal(result.status, 'OK', result.message);
				assert.ok((await tokens(since)) >= 1, 'the Test made no token request');
			} finally {
				await editor.stop();
			}
		});
	} finally {
		proxied.dispose();
		await proxy.close();
	}
}
