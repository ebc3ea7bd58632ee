/**
 * The test authorization server's own contract, exercised with raw fetch and jose (not the
 * package's code), so the package's tests can rely on what the server accepts and refuses.
 */
import { createPrivateKey, createPublicKey, randomUUID, X509Certificate } from 'node:crypto';
import { importPKCS8, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

import {
	loadTestServer,
	rs256Client,
	serverRequests,
	type PrivateKeyJwtAlg,
	type RecordedRequest,
} from './fixtures';

const server = loadTestServer();
const { clients, users, jwtBearer, resource } = server.fixtures;

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ALGS: PrivateKeyJwtAlg[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

interface OAuthResponse {
	status: number;
	body: Record<string, unknown>;
	wwwAuthenticate: string | null;
}

async function post(
	url: string,
	params: Record<string, string>,
	headers: Record<string, string> = {},
): Promise<OAuthResponse> {
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			...headers,
		},
		body: new URLSearchParams(params),
	});
	const text = await response.text();
	return {
		status: response.status,
		body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
		wwwAuthenticate: response.headers.get('www-authenticate'),
	};
}

const token = (params: Record<string, string>, headers?: Record<string, string>) =>
	post(server.tokenEndpoint, params, headers);

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 requires before base64. */
const formEncode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);

const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const privateKeys = new Map<PrivateKeyJwtAlg, CryptoKey>();
async function privateKey(alg: PrivateKeyJwtAlg): Promise<CryptoKey> {
	let key = privateKeys.get(alg);
	if (!key) {
		key = await importPKCS8(clients.privateKeyJwt[alg].pkcs8Pem, alg);
		privateKeys.set(alg, key);
	}
	return key;
}

async function signJwt(
	alg: PrivateKeyJwtAlg,
	claims: JWTPayload,
	header: Record<string, string> = {},
): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	return await new SignJWT({ jti: randomUUID(), iat: now, exp: now + 60, ...claims })
		.setProtectedHeader({ alg, kid: clients.privateKeyJwt[alg].kid, ...header })
		.sign(await privateKey(alg));
}

/** RFC 7523 §2.2 client authentication parameters. */
async function clientAssertion(
	alg: PrivateKeyJwtAlg,
	aud: string = server.tokenEndpoint,
): Promise<Record<string, string>> {
	const { client_id: clientId } = clients.privateKeyJwt[alg];
	return {
		client_assertion_type: CLIENT_ASSERTION_TYPE,
		client_assertion: await signJwt(alg, { iss: clientId, sub: clientId, aud }),
	};
}

/** RFC 7523 §2.1 grant assertion. */
async function grantAssertion(alg: PrivateKeyJwtAlg, claims: JWTPayload = {}): Promise<string> {
	return await signJwt(alg, {
		iss: clients.privateKeyJwt[alg].client_id,
		sub: jwtBearer.subject,
		aud: server.tokenEndpoint,
		...claims,
	});
}

async function lastRequest(
	since: number,
	match: (entry: RecordedRequest) => boolean,
): Promise<RecordedRequest> {
	const entries = (await serverRequests(since)).filter(match);
	expect(entries.length).toBeGreaterThan(0);
	return entries[entries.length - 1];
}

describe('discovery', () => {
	it.each([
		['RFC 8414', server.discoveryUrl],
		['OpenID', server.openidConfigurationUrl],
	])(
		'%s metadata names the issuer and the token, revocation and introspection endpoints',
		async (_name, url) => {
			const response = await fetch(url);
			expect(response.status).toBe(200);
			const metadata = (await response.json()) as Record<string, unknown>;
			expect(metadata).toMatchObject({
				issuer: server.issuer,
				token_endpoint: server.tokenEndpoint,
				revocation_endpoint: server.revocationEndpoint,
				introspection_endpoint: server.introspectionEndpoint,
			});
			expect(metadata.grant_types_supported).toEqual(
				expect.arrayContaining(['client_credentials', 'password', 'refresh_token', JWT_BEARER]),
			);
			expect(server.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		},
	);
});

describe('client_secret_basic', () => {
	const { client_id: clientId, client_secret: secret } = clients.basic;

	it('has a secret that form-encoding changes', () => {
		for (const char of ['+', '%', ':', '=', '/', "'", '(', ' ']) expect(secret).toContain(char);
		expect(formEncode(secret)).not.toBe(secret);
	});

	it('accepts the id and secret form-encoded before base64 (RFC 6749 §2.3.1)', async () => {
		const response = await token(
			{ grant_type: 'client_credentials', scope: 'api:read' },
			{ authorization: basic(formEncode(clientId), formEncode(secret)) },
		);
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });
		expect(typeof response.body.access_token).toBe('string');
	});

	it('refuses the raw, un-encoded secret', async () => {
		const response = await token(
			{ grant_type: 'client_credentials' },
			{ authorization: basic(clientId, secret) },
		);
		expect(response.status).toBe(401);
		expect(response.body.error).toBe('invalid_client');
		expect(response.wwwAuthenticate).toMatch(/^Basic /);
	});

	it('refuses the secret in the body', async () => {
		const response = await token({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: secret,
		});
		expect(response.status).toBe(401);
		expect(response.body).toMatchObject({
			error: 'invalid_client',
			error_description: expect.stringContaining('Authorization header'),
		});
	});

	it('refuses the secret in the body at revocation and introspection too', async () => {
		for (const url of [server.revocationEndpoint, server.introspectionEndpoint]) {
			const response = await post(url, {
				token: 'anything',
				client_id: clientId,
				client_secret: secret,
			});
			expect(response.status).toBe(401);
			expect(response.body.error).toBe('invalid_client');
		}
	});
});

describe('client_secret_post', () => {
	const { client_id: clientId, client_secret: secret } = clients.post;

	it('accepts the secret in the body', async () => {
		const response = await token({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: secret,
		});
		expect(response.status).toBe(200);
	});

	it('refuses a Basic header, even correctly encoded', async () => {
		const response = await token(
			{ grant_type: 'client_credentials' },
			{ authorization: basic(formEncode(clientId), formEncode(secret)) },
		);
		expect(response.status).toBe(401);
		expect(response.body.error).toBe('invalid_client');
	});

	it('issues a token for the one known resource indicator and refuses others', async () => {
		const ok = await token({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: secret,
			resource,
			scope: 'api:write',
		});
		expect(ok.status).toBe(200);
		expect(ok.body.scope).toBe('api:write');
		const unknown = await token({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: secret,
			resource: 'https://other.example.test',
		});
		expect(unknown.status).toBe(400);
		expect(unknown.body.error).toBe('invalid_target');
	});
});

describe('client_secret_jwt', () => {
	it('accepts an HS256 client assertion signed with the secret', async () => {
		const { client_id: clientId, client_secret: secret } = clients.secretJwt;
		const now = Math.floor(Date.now() / 1000);
		const assertion = await new SignJWT({
			iss: clientId,
			sub: clientId,
			aud: server.tokenEndpoint,
			jti: randomUUID(),
			exp: now + 60,
		})
			.setProtectedHeader({ alg: 'HS256' })
			.sign(new TextEncoder().encode(secret));
		const response = await token({
			grant_type: 'client_credentials',
			client_assertion_type: CLIENT_ASSERTION_TYPE,
			client_assertion: assertion,
		});
		expect(response.status).toBe(200);
	});
});

describe('private_key_jwt', () => {
	it.each(ALGS)('accepts a %s client assertion once, and refuses its replay', async (alg) => {
		const params = { grant_type: 'client_credentials', ...(await clientAssertion(alg)) };
		expect((await token(params)).status).toBe(200);
		const replay = await token(params);
		expect(replay.status).toBe(401);
		expect(replay.body).toMatchObject({
			error: 'invalid_client',
			error_description: expect.stringMatching(/only be used once/),
		});
	});

	it('accepts the issuer as the assertion audience', async () => {
		expect(
			(
				await token({
					grant_type: 'client_credentials',
					...(await clientAssertion('ES256', server.issuer)),
				})
			).status,
		).toBe(200);
	});

	it('checks an x5t#S256 header against the registered certificate', async () => {
		const { client_id: clientId, x5tS256 } = rs256Client();
		const sign = (thumbprint: string) =>
			signJwt(
				'RS256',
				{ iss: clientId, sub: clientId, aud: server.tokenEndpoint },
				{ 'x5t#S256': thumbprint },
			);
		const good = await token({
			grant_type: 'client_credentials',
			client_assertion_type: CLIENT_ASSERTION_TYPE,
			client_assertion: await sign(x5tS256),
		});
		expect(good.status).toBe(200);
		const bad = await token({
			grant_type: 'client_credentials',
			client_assertion_type: CLIENT_ASSERTION_TYPE,
			client_assertion: await sign('AAAA'),
		});
		expect(bad.status).toBe(401);
	});
});

describe('key fixtures', () => {
	it.each(ALGS)('%s: every private key format holds the registered key', (alg) => {
		const client = clients.privateKeyJwt[alg];
		const registered = createPublicKey({ key: { ...client.publicJwk }, format: 'jwk' }).export({
			format: 'jwk',
		});
		const formats = [
			createPrivateKey(client.pkcs8Pem),
			createPrivateKey({ key: { ...client.jwk }, format: 'jwk' }),
			...(client.pkcs1Pem ? [createPrivateKey(client.pkcs1Pem)] : []),
			...(client.sec1Pem ? [createPrivateKey(client.sec1Pem)] : []),
			...(client.encryptedPkcs8Pem
				? [createPrivateKey({ key: client.encryptedPkcs8Pem, passphrase: client.passphrase })]
				: []),
		];
		for (const key of formats)
			expect(createPublicKey(key).export({ format: 'jwk' })).toEqual(registered);
		expect(client.pkcs8Pem).toContain('-----BEGIN PRIVATE KEY-----');
		expect(client.jwk.kid).toBe(client.kid);
	});

	it('RS256 has PKCS#1, encrypted PKCS#8, a certificate and a Google service-account key', () => {
		const client = rs256Client();
		expect(client.pkcs1Pem).toContain('-----BEGIN RSA PRIVATE KEY-----');
		expect(client.encryptedPkcs8Pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
		expect(() => createPrivateKey(client.encryptedPkcs8Pem)).toThrow();

		const certificate = new X509Certificate(client.certificatePem);
		expect(certificate.checkPrivateKey(createPrivateKey(client.pkcs8Pem))).toBe(true);
		expect(
			Buffer.from(certificate.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url'),
		).toBe(client.x5tS256);
		expect(
			Buffer.from(certificate.fingerprint.replace(/:/g, ''), 'hex').toString('base64url'),
		).toBe(client.x5t);

		const serviceAccount = JSON.parse(client.googleServiceAccountJson) as Record<string, string>;
		expect(serviceAccount).toMatchObject({
			type: 'service_account',
			private_key_id: client.kid,
			private_key: client.pkcs8Pem,
			client_email: client.serviceAccountEmail,
			token_uri: server.tokenEndpoint,
		});
	});

	it('ES256 has a SEC1 key', () => {
		expect(clients.privateKeyJwt.ES256.sec1Pem).toContain('-----BEGIN EC PRIVATE KEY-----');
	});
});

describe('password grant', () => {
	const { client_id: clientId, client_secret: secret } = clients.post;

	it('issues an access token and a refresh token', async () => {
		const response = await token({
			grant_type: 'password',
			username: users.alice.username,
			password: users.alice.password,
			scope: 'api:read',
			client_id: clientId,
			client_secret: secret,
		});
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({
			token_type: 'Bearer',
			scope: 'api:read',
			expires_in: server.fixtures.accessTokenTtl,
		});
		expect(typeof response.body.access_token).toBe('string');
		expect(typeof response.body.refresh_token).toBe('string');
	});

	it('refuses a wrong password with invalid_grant', async () => {
		const response = await token({
			grant_type: 'password',
			username: users.alice.username,
			password: 'wrong',
			client_id: clientId,
			client_secret: secret,
		});
		expect(response.status).toBe(400);
		expect(response.body.error).toBe('invalid_grant');
	});
});

describe('JWT bearer grant (RFC 7523 §2.1)', () => {
	it.each(ALGS)(
		'%s: with no client authentication, the assertion iss identifies the client',
		async (alg) => {
			const response = await token({
				grant_type: JWT_BEARER,
				assertion: await grantAssertion(alg),
				scope: 'api:read',
			});
			expect(response.status).toBe(200);
			expect(typeof response.body.access_token).toBe('string');
			expect(typeof response.body.refresh_token).toBe('string');
		},
	);

	it('also works when the client authenticates with private_key_jwt', async () => {
		const response = await token({
			grant_type: JWT_BEARER,
			assertion: await grantAssertion('PS256', { aud: server.issuer }),
			...(await clientAssertion('PS256')),
		});
		expect(response.status).toBe(200);
	});

	it('refuses a replayed assertion', async () => {
		const assertion = await grantAssertion('ES256');
		expect((await token({ grant_type: JWT_BEARER, assertion })).status).toBe(200);
		const replay = await token({ grant_type: JWT_BEARER, assertion });
		expect(replay.status).toBe(400);
		expect(replay.body.error).toBe('invalid_grant');
	});

	it('refuses a foreign audience, an unknown subject and a long-lived assertion', async () => {
		const wrongAudience = await token({
			grant_type: JWT_BEARER,
			assertion: await grantAssertion('RS256', { aud: 'https://login.salesforce.com' }),
		});
		expect(wrongAudience.body).toMatchObject({
			error: 'invalid_grant',
			error_description: expect.stringContaining('audience'),
		});

		const unknownUser = await token({
			grant_type: JWT_BEARER,
			assertion: await grantAssertion('RS256', { sub: 'mallory@example.com' }),
		});
		expect(unknownUser.body.error).toBe('invalid_grant');

		const exp = Math.floor(Date.now() / 1000) + jwtBearer.maxAssertionLifetimeSeconds + 60;
		const longLived = await token({
			grant_type: JWT_BEARER,
			assertion: await grantAssertion('RS256', { exp }),
		});
		expect(longLived.body.error).toBe('invalid_grant');
	});

	it("refuses an assertion signed by another client's key", async () => {
		const assertion = await signJwt('RS256', {
			iss: clients.privateKeyJwt.PS256.client_id,
			sub: jwtBearer.subject,
			aud: server.tokenEndpoint,
		});
		const response = await token({ grant_type: JWT_BEARER, assertion });
		expect(response.status).toBe(400);
		expect(response.body.error).toBe('invalid_grant');
	});

	it('lets only clients registered for the grant skip client authentication', async () => {
		const assertion = await signJwt('RS256', {
			iss: clients.basic.client_id,
			sub: jwtBearer.subject,
			aud: server.tokenEndpoint,
		});
		const response = await token({ grant_type: JWT_BEARER, assertion });
		expect(response.status).toBe(401);
		expect(response.body.error).toBe('invalid_client');
	});

	it('accepts a Google-style assertion: service-account iss, no sub, scope as a claim', async () => {
		const { serviceAccountEmail } = rs256Client();
		const response = await token({
			grant_type: JWT_BEARER,
			assertion: await grantAssertion('RS256', {
				iss: serviceAccountEmail,
				sub: undefined,
				scope: 'api:write',
			}),
		});
		expect(response.status).toBe(200);
		expect(response.body.scope).toBe('api:write');
	});
});

describe('refresh tokens', () => {
	it('rotate: the old refresh token fails after one use', async () => {
		const { client_id: clientId, client_secret: secret } = clients.post;
		const auth = { client_id: clientId, client_secret: secret };
		const first = await token({
			grant_type: 'password',
			username: users.bob.username,
			password: users.bob.password,
			scope: 'api:read',
			...auth,
		});
		const refreshToken = String(first.body.refresh_token);

		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
			...auth,
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).not.toBe(refreshToken);
		expect(refreshed.body.scope).toBe('api:read');

		const reused = await token({
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
			...auth,
		});
		expect(reused.status).toBe(400);
		expect(reused.body).toMatchObject({
			error: 'invalid_grant',
			error_description: 'refresh token already used',
		});

		// Reuse is treated as theft: the whole grant is revoked, the newest refresh token included.
		const newest = await token({
			grant_type: 'refresh_token',
			refresh_token: String(refreshed.body.refresh_token),
			...auth,
		});
		expect(newest.body.error).toBe('invalid_grant');
	});

	it('from the JWT bearer grant refresh with private_key_jwt client authentication', async () => {
		const issued = await token({
			grant_type: JWT_BEARER,
			assertion: await grantAssertion('EdDSA'),
		});
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: String(issued.body.refresh_token),
			...(await clientAssertion('EdDSA')),
		});
		expect(refreshed.status).toBe(200);
	});
});

describe('revocation and introspection', () => {
	it('a revoked refresh token introspects as inactive', async () => {
		const { client_id: clientId, client_secret: secret } = clients.basic;
		const authorization = basic(formEncode(clientId), formEncode(secret));
		const issued = await token(
			{ grant_type: 'password', username: users.alice.username, password: users.alice.password },
			{ authorization },
		);
		const refreshToken = String(issued.body.refresh_token);

		const before = await post(
			server.introspectionEndpoint,
			{ token: refreshToken },
			{ authorization },
		);
		expect(before.body).toMatchObject({
			active: true,
			client_id: clientId,
			sub: users.alice.username,
		});

		const revoked = await post(
			server.revocationEndpoint,
			{ token: refreshToken, token_type_hint: 'refresh_token' },
			{ authorization },
		);
		expect(revoked.status).toBe(200);

		const after = await post(
			server.introspectionEndpoint,
			{ token: refreshToken },
			{ authorization },
		);
		expect(after.body).toEqual({ active: false });
	});
});

describe('request log', () => {
	it('records where the credential was, and never a secret', async () => {
		const since = Date.now();
		const { basic: basicClient, post: postClient } = clients;
		await token(
			{ grant_type: 'client_credentials' },
			{
				authorization: basic(
					formEncode(basicClient.client_id),
					formEncode(basicClient.client_secret),
				),
			},
		);
		await token({
			grant_type: 'client_credentials',
			client_id: postClient.client_id,
			client_secret: postClient.client_secret,
		});
		await token({
			grant_type: 'client_credentials',
			client_id: basicClient.client_id,
			client_secret: basicClient.client_secret,
		});
		await token({
			grant_type: 'password',
			username: users.alice.username,
			password: users.alice.password,
			client_id: postClient.client_id,
			client_secret: postClient.client_secret,
		});
		const assertion = await grantAssertion('RS256');
		await token({ grant_type: JWT_BEARER, assertion });
		const jti = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString('utf8'))
			.jti as string;

		const viaBasic = await lastRequest(
			since,
			(e) => e.basicUser === basicClient.client_id && e.grantType === 'client_credentials',
		);
		expect(viaBasic).toMatchObject({
			path: '/token',
			method: 'POST',
			authorization: 'basic',
			clientId: basicClient.client_id,
			bodyKeys: ['grant_type'],
			status: 200,
		});

		const viaBody = await lastRequest(
			since,
			(e) => e.clientId === postClient.client_id && e.grantType === 'client_credentials',
		);
		expect(viaBody).toMatchObject({
			authorization: 'none',
			basicUser: null,
			bodyKeys: ['grant_type', 'client_id', 'client_secret'],
			status: 200,
		});

		const misplaced = await lastRequest(
			since,
			(e) => e.clientId === basicClient.client_id && e.authorization === 'none',
		);
		expect(misplaced).toMatchObject({
			bodyKeys: ['grant_type', 'client_id', 'client_secret'],
			status: 401,
			error: 'invalid_client',
		});

		const bearer = await lastRequest(since, (e) => e.assertion?.payload.jti === jti);
		expect(bearer).toMatchObject({
			authorization: 'none',
			clientId: clients.privateKeyJwt.RS256.client_id,
			bodyKeys: ['grant_type', 'assertion'],
			clientAssertion: null,
			status: 200,
		});
		expect(bearer.assertion?.header).toMatchObject({ alg: 'RS256' });

		const log = JSON.stringify(await serverRequests());
		for (const secret of [
			basicClient.client_secret,
			postClient.client_secret,
			clients.secretJwt.client_secret,
			users.alice.password,
			users.bob.password,
			assertion,
		]) {
			expect(log).not.toContain(secret);
		}
	});

	it('filters by time', async () => {
		const future = Date.now() + 60_000;
		expect(await serverRequests(future)).toEqual([]);
	});
});

describe('token exchange grant (RFC 8693)', () => {
	const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';
	const AT = 'urn:ietf:params:oauth:token-type:access_token';
	const auth = {
		authorization: basic(
			formEncode(clients.basic.client_id),
			formEncode(clients.basic.client_secret),
		),
	};
	const subject = async () =>
		String(
			(await token({ grant_type: 'client_credentials', scope: 'api:read' }, auth)).body
				.access_token,
		);

	it('answers RFC 8693 §2.2.1: issued_token_type, Bearer, and the subject as sub', async () => {
		const response = await token(
			{ grant_type: TE, subject_token: await subject(), subject_token_type: AT },
			auth,
		);
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({
			issued_token_type: AT,
			token_type: 'Bearer',
			scope: 'api:read',
		});
	});

	it.each([
		['no subject_token_type', { subject_token_type: '' }, /missing required parameter/],
		['an actor token without its type', { actor_token: 'x' }, /actor_token_type is required/],
		['an actor type without a token', { actor_token_type: AT }, /without actor_token/],
		['an unknown subject type', { subject_token_type: 'urn:example:x' }, /is not supported/],
		[
			'an unsupported requested type',
			{ requested_token_type: 'urn:ietf:params:oauth:token-type:saml2' },
			/is not supported/,
		],
	])('refuses %s with invalid_request', async (_name, change, description) => {
		const params = {
			grant_type: TE,
			subject_token: await subject(),
			subject_token_type: AT,
			...change,
		};
		const response = await token(
			Object.fromEntries(Object.entries(params).filter(([, value]) => value !== '')),
			auth,
		);
		expect(response.body.error).toBe('invalid_request');
		expect(String(response.body.error_description)).toMatch(description);
	});

	it('refuses an unknown resource with invalid_target (§2.2.2), and a revoked subject token', async () => {
		const unknown = await token(
			{
				grant_type: TE,
				subject_token: await subject(),
				subject_token_type: AT,
				resource: `${resource}/other`,
			},
			auth,
		);
		expect(unknown.body.error).toBe('invalid_target');
		const revoked = await subject();
		await post(server.revocationEndpoint, { token: revoked }, auth);
		const afterRevoke = await token(
			{ grant_type: TE, subject_token: revoked, subject_token_type: AT },
			auth,
		);
		expect(afterRevoke.body.error).toBe('invalid_request');
	});
});
