/**
 * Protections of the n8n glue that no other test could fail (issue 13): redirects from an OAuth
 * endpoint are not followed, so a 307 cannot re-post the client secret to another host; and a
 * failed request's error, which n8n's helper fills with the request (headers, body), is replaced
 * by one that keeps only the origin and a failure code.
 */
import { randomUUID } from 'node:crypto';

import type { IHttpRequestHelper } from 'n8n-workflow';

import { n8nSend } from '../../glue/send';
import { attemptAsync, basicAuthorization, resetProcessState } from '../../protocol';
import { runNode } from '../helpers/executeContext';
import { startLocalServer, type LocalServer } from '../helpers/localServer';
import { captureConsole, expectNoSecrets, findSecret } from '../helpers/secrets';

let elsewhere: LocalServer;
let redirecting: LocalServer;

beforeAll(async () => {
	elsewhere = await startLocalServer((_request, res) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ access_token: 'stolen', token_type: 'Bearer', expires_in: 60 }));
	});
	redirecting = await startLocalServer((_request, res) => {
		// 307 keeps the method and the body: a follower would POST client_secret to the other host.
		res.writeHead(307, { location: elsewhere.url('/collect') }).end();
	});
});

afterAll(async () => {
	await redirecting.close();
	await elsewhere.close();
});

beforeEach(() => resetProcessState());

describe('redirects from OAuth endpoints', () => {
	it('a 307 from the token endpoint is not followed: the secret never reaches the other host', async () => {
		const secret = `secret-${randomUUID()}`;
		const run = await captureConsole(
			async () =>
				await runNode({
					parameters: { authentication: 'clientSecret', operation: 'getToken', options: {} },
					credentials: {
						oauthClientSecretApi: {
							endpointMode: 'manual',
							tokenUrl: redirecting.url('/token'),
							clientId: 'client',
							clientSecret: secret,
							clientAuthentication: 'client_secret_post',
							grantType: 'clientCredentials',
						},
					},
				}),
		);
		expect(elsewhere.requests()).toEqual([]);
		expect(redirecting.requests()).toHaveLength(1);
		expect(String(run.error)).toMatch(/HTTP 307/);
		expectNoSecrets([run.error, run.output], [secret]);
	});
});

describe('transport errors from the n8n helper', () => {
	it('keep neither the request headers nor the body n8n attaches to its error', async () => {
		const secret = `client-secret-${randomUUID()}`;
		const authorization = basicAuthorization('client', secret, 'strict');
		// The shape n8n's axios-based helper rejects with: the request config rides on the error.
		const context = {
			helpers: {
				httpRequest: async (options: { headers?: Record<string, string>; body?: string }) => {
					throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
						code: 'ECONNREFUSED',
						config: { headers: options.headers, data: options.body },
					});
				},
			},
		} as unknown as IHttpRequestHelper;
		const outcome = await attemptAsync(
			async () =>
				await n8nSend(context)({
					method: 'POST',
					url: 'https://as.example.com/token?x=1',
					headers: { authorization },
					body: `client_secret=${encodeURIComponent(secret)}`,
				}),
		);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error).toMatchObject({
			name: 'OAuthTransportError',
			code: 'ECONNREFUSED',
			mayHaveReachedServer: false,
		});
		expectNoSecrets(outcome.error, [secret]);
		// The helper itself finds the secret in the raw error's Basic header, so the check above can fail.
		expect(
			findSecret(Object.assign(new Error('x'), { config: { headers: { authorization } } }), [
				secret,
			]),
		).toBeDefined();
	});
});
