/**
 * Get Token through the node's real code, against the real oidc-provider test server
 * (test/server/authServer.mjs). The server's request log shows where each credential travelled.
 */
import { randomUUID } from 'node:crypto';

import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';
import {
	attemptAsync,
	authenticatedRequest,
	clientConfigFromCredential,
	getToken,
	grantParameters,
	parseTokenResponse,
	sharedTokenCache,
	type ClientConfig,
} from '../../protocol';
import { realSend } from '../helpers/realSend';
import { createExecuteContext, runNode } from '../helpers/executeContext';
import { expectNoSecrets } from '../helpers/secrets';
import {
	loadTestServer,
	resetServerLog,
	serverRequests,
	type RecordedRequest,
} from '../server/fixtures';

const server = loadTestServer();
const { clients, users } = server.fixtures;
const rs256 = clients.privateKeyJwt.RS256;

function secretCredential(
	method: string,
	client: { client_id: string; client_secret: string },
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		clientId: client.client_id,
		clientSecret: client.client_secret,
		clientAuthentication: method,
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

function keyCredential(
	privateKey: string,
	clientId: string,
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		clientId,
		privateKey,
		algorithm: 'auto',
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

async function getTokenWith(
	kind: 'clientSecret' | 'privateKeyJwt',
	credential: ICredentialDataDecryptedObject,
	extra: { items?: INodeExecutionData[]; continueOnFail?: boolean; timezone?: string } = {},
) {
	const type = kind === 'clientSecret' ? 'oauthClientSecretApi' : 'oauthPrivateKeyJwtApi';
	return await runNode({
		parameters: { authentication: kind, operation: 'getToken', options: { forceNew: false } },
		credentials: { [type]: credential },
		...extra,
	});
}

async function tokenRequests(): Promise<RecordedRequest[]> {
	return (await serverRequests()).filter((r) => r.path.endsWith('/token'));
}

async function expectError(
	run: () => Promise<unknown>,
): Promise<NodeApiError | NodeOperationError> {
	const outcome = await attemptAsync(run);
	if (outcome.ok) throw new Error('expected the node to fail');
	expect(outcome.error instanceof NodeApiError || outcome.error instanceof NodeOperationError).toBe(
		true,
	);
	return outcome.error as NodeApiError | NodeOperationError;
}

/** A value the server has never seen, made at run time (not a literal in the source). */
const wrongValue = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

beforeEach(async () => {
	sharedTokenCache.clear();
	await resetServerLog();
});

describe('Get Token with each client authentication method (client credentials grant)', () => {
	it('client_secret_basic: the secret goes only in the Basic header, RFC 6749 form-encoded', async () => {
		const { output } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_basic', clients.basic),
		);
		expect(output[0][0].json).toMatchObject({
			token_type: 'Bearer',
			expires_at_source: 'expires_in',
			reused_cached_token: false,
		});
		expect(typeof output[0][0].json.access_token).toBe('string');
		const [request] = await tokenRequests();
		expect(request).toMatchObject({
			authorization: 'basic',
			basicUser: clients.basic.client_id,
			grantType: 'client_credentials',
			status: 200,
		});
		expect(request.bodyKeys).not.toContain('client_secret');
		// The fixture secret has + % : = / ' ( and a space: it only works if encoded per RFC 6749 §2.3.1.
		expect(clients.basic.client_secret).toMatch(/[+%:=/'( ]/);
	});

	it('client_secret_basic with the raw toggle fails against a server that form-decodes, and says what to change', async () => {
		const error = await expectError(
			async () =>
				await getTokenWith(
					'clientSecret',
					secretCredential('client_secret_basic', clients.basic, { basicEncoding: 'raw' }),
				),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/invalid_client/);
		expect(error.description).toMatch(/client ID and secret/);
		expectNoSecrets(error, [clients.basic.client_secret]);
	});

	it('client_secret_post: the secret goes only in the body', async () => {
		const { output } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_post', clients.post),
		);
		expect(output[0][0].json.token_type).toBe('Bearer');
		const [request] = await tokenRequests();
		expect(request.authorization).toBe('none');
		expect(request.bodyKeys).toEqual(
			expect.arrayContaining(['client_id', 'client_secret', 'grant_type']),
		);
	});

	it('client_secret_jwt: an HS256 assertion, and the secret never travels', async () => {
		const { output, httpCalls } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_jwt', clients.secretJwt),
		);
		expect(output[0][0].json.token_type).toBe('Bearer');
		const [request] = await tokenRequests();
		expect(request.authorization).toBe('none');
		expect(request.bodyKeys).not.toContain('client_secret');
		expect(request.clientAssertion?.header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
		expect(request.clientAssertion?.payload).toMatchObject({
			iss: clients.secretJwt.client_id,
			sub: clients.secretJwt.client_id,
			aud: server.tokenEndpoint,
		});
		expectNoSecrets(httpCalls, [clients.secretJwt.client_secret]);
	});

	it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)(
		'private_key_jwt with %s: a signed assertion with a fresh jti and short exp',
		async (alg) => {
			const client = clients.privateKeyJwt[alg];
			await getTokenWith(
				'privateKeyJwt',
				keyCredential(client.pkcs8Pem, client.client_id, { algorithm: alg, keyId: client.kid }),
			);
			const [request] = await tokenRequests();
			expect(request.status).toBe(200);
			expect(request.clientAssertion?.header).toMatchObject({ alg, kid: client.kid });
			const payload = request.clientAssertion?.payload as { exp: number; iat: number; jti: string };
			expect(payload.exp - payload.iat).toBeLessThanOrEqual(120);
			expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
		},
	);
});

describe('Get Token with the other grants', () => {
	it('JWT bearer grant (RFC 7523 §2.1) with no client authentication, as Salesforce and Google expect', async () => {
		const { output } = await getTokenWith(
			'privateKeyJwt',
			keyCredential(rs256.pkcs8Pem, rs256.client_id, {
				grantType: 'jwtBearer',
				clientAuthentication: 'none',
				subject: users.alice.username,
			}),
		);
		expect(output[0][0].json).toMatchObject({ token_type: 'Bearer' });
		expect(typeof output[0][0].json.refresh_token).toBe('string');
		const [request] = await tokenRequests();
		expect(request).toMatchObject({
			grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
			authorization: 'none',
			clientAssertion: null,
		});
		expect(request.bodyKeys).not.toContain('client_assertion');
		expect(request.assertion?.payload).toMatchObject({
			iss: rs256.client_id,
			sub: users.alice.username,
			aud: server.tokenEndpoint,
		});
	});

	it('JWT bearer grant combined with private_key_jwt client authentication', async () => {
		await getTokenWith(
			'privateKeyJwt',
			keyCredential(rs256.pkcs8Pem, rs256.client_id, {
				grantType: 'jwtBearer',
				clientAuthentication: 'private_key_jwt',
				subject: users.alice.username,
			}),
		);
		const [request] = await tokenRequests();
		expect(request.status).toBe(200);
		expect(request.clientAssertion).not.toBeNull();
		expect(request.assertion).not.toBeNull();
		expect(request.clientAssertion?.payload.jti).not.toBe(request.assertion?.payload.jti);
	});

	it('password grant: access and refresh token, with the refresh expiry from the lifespan default', async () => {
		const { output } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_basic', clients.basic, {
				grantType: 'password',
				username: users.alice.username,
				password: users.alice.password,
				refreshTokenLifespan: 8_640_000,
			}),
		);
		const json = output[0][0].json;
		expect(typeof json.refresh_token).toBe('string');
		expect(json.refresh_token_expires_at_source).toBe('default_lifespan');
		const [request] = await tokenRequests();
		expect(request).toMatchObject({ grantType: 'password', authorization: 'basic' });
		expectNoSecrets(await serverRequests(), [users.alice.password]);
	});

	it('password grant with a wrong password names the field to check, without the password', async () => {
		const error = await expectError(
			async () =>
				await getTokenWith(
					'clientSecret',
					secretCredential('client_secret_post', clients.post, {
						grantType: 'password',
						username: users.alice.username,
						password: 'Wrong-Passw0rd!',
					}),
				),
		);
		expect(error.message).toMatch(/invalid_grant/);
		expect(error.description).toMatch(/Username.*Password/);
		expectNoSecrets(error, ['Wrong-Passw0rd!', clients.post.client_secret]);
	});
});

describe('Get Token output', () => {
	it('computes obtained_at and expires_at with luxon in the workflow time zone', async () => {
		const before = Date.now();
		const { output } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_basic', clients.basic),
			{ timezone: 'Asia/Tokyo' },
		);
		const json = output[0][0].json as Record<string, string | number>;
		expect(json.obtained_at).toMatch(/\+09:00$/);
		const obtained = Date.parse(json.obtained_at as string);
		expect(obtained).toBeGreaterThanOrEqual(before - 1000);
		expect(Date.parse(json.expires_at as string) - obtained).toBe(
			(json.expires_in as number) * 1000,
		);
	});

	it('finds the endpoints by discovery from the issuer URL', async () => {
		const { output } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_basic', clients.basic, {
				endpointMode: 'discovery',
				issuerUrl: server.issuer,
				tokenUrl: '',
			}),
		);
		expect(output[0][0].json.token_type).toBe('Bearer');
	});
});

describe('reuse and single flight', () => {
	it('1,000 items for one credential make exactly one token request', async () => {
		const items = Array.from({ length: 1000 }, (_, i) => ({ json: { i } }));
		const { output } = await getTokenWith(
			'clientSecret',
			secretCredential('client_secret_basic', clients.basic),
			{ items },
		);
		expect(output[0]).toHaveLength(1000);
		expect(new Set(output[0].map((item) => item.json.access_token)).size).toBe(1);
		expect(output[0].map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(await tokenRequests()).toHaveLength(1);
	});

	it('1,000 concurrent executions for one credential make exactly one token request', async () => {
		const runs = await Promise.all(
			Array.from(
				{ length: 1000 },
				async () =>
					await getTokenWith('clientSecret', secretCredential('client_secret_post', clients.post)),
			),
		);
		expect(new Set(runs.map((r) => r.output[0][0].json.access_token)).size).toBe(1);
		expect(runs.filter((r) => r.output[0][0].json.reused_cached_token === false)).toHaveLength(1);
		expect(await tokenRequests()).toHaveLength(1);
	});

	it('two credentials with the same client id but different secrets never share a token', async () => {
		await getTokenWith('clientSecret', secretCredential('client_secret_basic', clients.basic));
		const error = await expectError(
			async () =>
				await getTokenWith('clientSecret', {
					...secretCredential('client_secret_basic', clients.basic),
					clientSecret: wrongValue('another'),
				}),
		);
		expect(error.message).toMatch(/invalid_client/);
		expect(await tokenRequests()).toHaveLength(2);
	});

	it('"Always Request a New Token" asks the server again', async () => {
		const credential = secretCredential('client_secret_basic', clients.basic);
		await getTokenWith('clientSecret', credential);
		await runNode({
			parameters: {
				authentication: 'clientSecret',
				operation: 'getToken',
				options: { forceNew: true },
			},
			credentials: { oauthClientSecretApi: credential },
		});
		expect(await tokenRequests()).toHaveLength(2);
	});
});

describe('failures name their cause, and carry no secret', () => {
	it('a wrong client secret', async () => {
		const wrong = wrongValue('not-the-secret');
		const error = await expectError(
			async () =>
				await getTokenWith('clientSecret', {
					...secretCredential('client_secret_post', clients.post),
					clientSecret: wrong,
				}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(error.message).toMatch(/token endpoint refused the request: invalid_client/);
		expectNoSecrets(error, [wrong, clients.post.client_secret]);
	});

	it('a key the server does not have for this client', async () => {
		const other = clients.privateKeyJwt.PS256;
		const error = await expectError(
			async () =>
				await getTokenWith(
					'privateKeyJwt',
					keyCredential(other.pkcs8Pem, rs256.client_id, { algorithm: 'RS256', keyId: rs256.kid }),
				),
		);
		expect(error.message).toMatch(/invalid_client/);
		expect(error.description).toMatch(/key|signature/i);
		expectNoSecrets(error, [other.pkcs8Pem.split('\n')[1]]);
	});

	it('a replayed assertion is rejected, and the hint says why', async () => {
		const config: ClientConfig = clientConfigFromCredential(
			'privateKeyJwt',
			keyCredential(rs256.pkcs8Pem, rs256.client_id),
		);
		const endpoints = { tokenEndpoint: server.tokenEndpoint, issuer: server.issuer };
		const request = await authenticatedRequest(
			config,
			endpoints,
			server.tokenEndpoint,
			await grantParameters(config, endpoints, Date.now()),
			Date.now(),
		);
		const send = realSend();
		expect(() =>
			parseTokenResponse({
				status: 200,
				headers: {},
				body: '{"access_token":"x","token_type":"Bearer"}',
			}),
		).not.toThrow();
		parseTokenResponse(await send(request));
		const replay = await send(request);
		expect(() => parseTokenResponse(replay)).toThrow(/invalid_client/);
		try {
			parseTokenResponse(replay);
		} catch (error) {
			expect((error as { hint?: string }).hint).toMatch(/assertion ID \(jti\)/);
		}
	});

	it('an expired assertion (clock far behind) is rejected, and the hint points at the clock', async () => {
		const config = clientConfigFromCredential(
			'privateKeyJwt',
			keyCredential(rs256.pkcs8Pem, rs256.client_id),
		);
		const tenMinutesAgo = () => Date.now() - 10 * 60 * 1000;
		await expect(
			getToken(config, realSend(), { now: tenMinutesAgo, forceNew: true }),
		).rejects.toMatchObject({ error: 'invalid_client', hint: expect.stringMatching(/clock/) });
	});

	it('a wrong audience is rejected, and the hint names the audience setting', async () => {
		const error = await expectError(
			async () =>
				await getTokenWith(
					'privateKeyJwt',
					keyCredential(rs256.pkcs8Pem, rs256.client_id, {
						assertionAudience: 'custom',
						// Same origin as the server (another host's audience is refused before sending).
						customAudience: `${server.issuer}/not-this-server`,
					}),
				),
		);
		expect(error.message).toMatch(/invalid_client/);
		expect(error.description).toMatch(/Assertion Audience/);
	});

	it('an algorithm that does not match the key fails before any request', async () => {
		const error = await expectError(
			async () =>
				await getTokenWith(
					'privateKeyJwt',
					keyCredential(rs256.pkcs8Pem, rs256.client_id, { algorithm: 'ES256' }),
				),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(
			/^Algorithm: The algorithm ES256 does not match the key: this is an RSA key/,
		);
		expect(await serverRequests()).toHaveLength(0);
	});

	it('an empty secret or a bad URL fails before any request, naming the field', async () => {
		const empty = await expectError(
			async () =>
				await getTokenWith('clientSecret', {
					...secretCredential('client_secret_basic', clients.basic),
					clientSecret: '',
				}),
		);
		expect(empty.message).toMatch(/^Client Secret:/);
		const badUrl = await expectError(
			async () =>
				await getTokenWith('clientSecret', {
					...secretCredential('client_secret_basic', clients.basic),
					tokenUrl: 'not a url',
				}),
		);
		expect(badUrl.message).toMatch(/^Token URL:/);
		expect(await serverRequests()).toHaveLength(0);
	});

	it('Continue On Fail: the failing item becomes a paired error item and the others run', async () => {
		const { context } = createExecuteContext({
			parameters: { operation: 'getToken', options: {} },
			itemParameters: [
				{ authentication: 'clientSecret' },
				{ authentication: 'privateKeyJwt' },
				{ authentication: 'clientSecret' },
			],
			credentials: {
				oauthClientSecretApi: secretCredential('client_secret_basic', clients.basic),
				oauthPrivateKeyJwtApi: keyCredential(
					'-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----',
					rs256.client_id,
				),
			},
			items: [{ json: {} }, { json: {} }, { json: {} }],
			continueOnFail: true,
		});
		const output = await new OauthToken().execute.call(context);
		expect(output[0]).toHaveLength(3);
		expect(output[0][0].json.access_token).toBeDefined();
		expect(output[0][1]).toMatchObject({
			json: { error: expect.stringMatching(/^Private Key:/) },
			pairedItem: { item: 1 },
		});
		expect(output[0][2].json.access_token).toBeDefined();
		expect(output[0][2].pairedItem).toEqual({ item: 2 });
	});
});
