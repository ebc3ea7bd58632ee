/**
 * Issue 13: what a hostile server or bad input can do, each finding and each protection with a
 * test that fails when the protection is removed (`npm run test:mutation` removes them in turn).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { jwtVerify } from 'jose';

import {
	InvalidResponseError,
	OAuthConfigError,
	checkUrl,
	clientConfigFromCredential,
	discover,
	discoveryCacheSize,
	getToken,
	importSigningKey,
	introspectToken,
	parseTokenResponse,
	readJsonResult,
	refreshToken,
	resetProcessState,
	resolveEndpoints,
	revokeToken,
	SingleFlight,
	tokenCacheKey,
	transportError,
	type ClientConfig,
	type HttpRequest,
	type HttpResponse,
	type HttpSend,
	type RefreshResult,
} from '../../protocol';
import { assertionClaims, signAssertion } from '../../protocol/clientAuth/assertion';
import { expectConfigError } from '../helpers/errors';
import { expectNoSecrets, findSecret } from '../helpers/secrets';

beforeEach(() => resetProcessState());

const json = (status: number, body: unknown, contentType = 'application/json'): HttpResponse => ({
	status,
	headers: { 'content-type': contentType },
	body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A send that answers from a function and records what was asked. */
function fakeSend(
	answer: (request: HttpRequest) => HttpResponse | Promise<HttpResponse>,
): HttpSend & {
	calls: HttpRequest[];
} {
	const calls: HttpRequest[] = [];
	const send = async (request: HttpRequest) => {
		calls.push(request);
		return await answer(request);
	};
	return Object.assign(send, { calls });
}

const ISSUER = 'https://as.example.com';
const metadata = (extra: Record<string, unknown> = {}) => ({
	issuer: ISSUER,
	token_endpoint: `${ISSUER}/token`,
	revocation_endpoint: `${ISSUER}/revoke`,
	...extra,
});

function secretConfig(extra: Record<string, unknown> = {}): ClientConfig {
	return clientConfigFromCredential('clientSecret', {
		endpointMode: 'manual',
		tokenUrl: `${ISSUER}/token`,
		revocationUrl: `${ISSUER}/revoke`,
		clientId: 'client',
		clientSecret: 'a-client-secret-of-some-length',
		clientAuthentication: 'client_secret_post',
		...extra,
	});
}

describe('2: token_type', () => {
	const answer = (tokenType: unknown) =>
		json(200, {
			access_token: 'at',
			...(tokenType === undefined ? {} : { token_type: tokenType }),
		});

	it('accepts Bearer in any case', () => {
		for (const type of ['Bearer', 'bearer', 'BEARER'])
			expect(parseTokenResponse(answer(type)).token_type).toBe(type);
	});

	it.each([['mac'], ['DPoP'], ['N_A'], [''], [undefined], [42]])(
		'refuses %p, saying the token could not be used as Bearer',
		(type) => {
			expect(() => parseTokenResponse(answer(type))).toThrow(InvalidResponseError);
			expect(() => parseTokenResponse(answer(type))).toThrow(/not a Bearer token/);
		},
	);

	it('a DPoP token gets a hint about DPoP binding', () => {
		try {
			parseTokenResponse(answer('DPoP'));
			throw new Error('not refused');
		} catch (error) {
			expect((error as InvalidResponseError).hint).toMatch(/DPoP/);
		}
	});
});

describe('3: discovery', () => {
	it('a metadata issuer that differs from the configured one in any character is refused (RFC 8414 §3.3)', async () => {
		for (const named of [`${ISSUER}/`, 'https://evil.example.com', ISSUER.toUpperCase()]) {
			resetProcessState();
			const send = fakeSend(() => json(200, metadata({ issuer: named })));
			await expect(discover(ISSUER, send, Date.now())).rejects.toThrow(
				/RFC 8414 §3.3 requires the identical string/,
			);
		}
	});

	it('an issuer ending in "/" (Auth0) is matched exactly, and its well-known URL has no double slash', async () => {
		const send = fakeSend(() => json(200, metadata({ issuer: `${ISSUER}/` })));
		await expect(discover(`${ISSUER}/`, send, Date.now())).resolves.toMatchObject({
			issuer: `${ISSUER}/`,
		});
		expect(send.calls[0].url).toBe(`${ISSUER}/.well-known/oauth-authorization-server`);
	});

	it('a form-encoded or text metadata document is refused (RFC 8414 §3.2 says JSON)', async () => {
		const form = new URLSearchParams(metadata()).toString();
		for (const [body, type] of [
			[form, 'application/x-www-form-urlencoded'],
			[JSON.stringify(metadata()), 'text/html'],
		]) {
			resetProcessState();
			await expect(
				discover(
					ISSUER,
					fakeSend(() => json(200, body, type)),
					Date.now(),
				),
			).rejects.toThrow(/is not JSON .*RFC 8414 §3.2/);
		}
	});

	it.each([
		['token_endpoint', 42],
		['token_endpoint', { url: 'x' }],
		['revocation_endpoint', ['https://as.example.com/revoke']],
		['introspection_endpoint', ''],
		['grant_types_supported', 'client_credentials'],
		['token_endpoint_auth_methods_supported', [1, 2]],
	])(
		'a metadata "%s" of the wrong type (%p) is a clear error, not a TypeError',
		async (name, value) => {
			const send = fakeSend(() => json(200, metadata({ [name]: value })));
			const outcome = discover(ISSUER, send, Date.now());
			await expect(outcome).rejects.toThrow(InvalidResponseError);
			await expect(outcome).rejects.toThrow(new RegExp(`"${name}" that is not`));
		},
	);

	it('a discovered token endpoint gets the transport check: plain http to another host is refused', async () => {
		const send = fakeSend(() =>
			json(200, metadata({ token_endpoint: 'http://evil.example.com/token' })),
		);
		const error = await resolveEndpoints({ issuer: ISSUER }, send, Date.now()).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect((error as OAuthConfigError).field).toBe('Issuer URL (discovered token_endpoint)');
	});

	it('a discovered token endpoint with credentials in it is refused, and the credentials are not echoed', async () => {
		const send = fakeSend(() =>
			json(200, metadata({ token_endpoint: 'https://user:pa55word-in-url@as.example.com/token' })),
		);
		const error = await resolveEndpoints({ issuer: ISSUER }, send, Date.now()).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(OAuthConfigError);
		expectNoSecrets(error, ['pa55word-in-url']);
	});
});

describe('4: secrets in URLs are never echoed', () => {
	const secret = ['S3cr3t', 'in', 'the', 'url'].join('-');
	it.each([
		[`ftp://user:${secret}@as.example.com/token`],
		[`http://user:${secret}@as.example.com/token`],
		[`https://user:${secret}@as.example.com/token`],
		[`https://user:${secret}@as example.com/token`],
		[`https://user:${secret}/x@as.example.com:99999/token`],
		[`user:${secret}@as.example.com`],
		[`not a url ${secret}@host`],
	])('%s', (url) => {
		const error = expectConfigError(() => checkUrl('Token URL', url));
		expectNoSecrets(error, [secret]);
	});

	it('an issuer URL with credentials is not echoed either', async () => {
		const outcome = await discover(
			`https://u:${secret}@bad host`,
			fakeSend(() => json(404, {})),
			0,
		).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(outcome).toBeInstanceOf(OAuthConfigError);
		expectNoSecrets(outcome, [secret]);
	});
});

describe('loopback check (http:// is only for this machine)', () => {
	it.each([
		['http://127.0.0.1.nip.io/token'],
		['http://localhost.evil.com/token'],
		['http://evil-localhost/token'],
		['http://127.0.0.1.evil.com/token'],
	])('%s is not this machine', (url) => {
		expect(expectConfigError(() => checkUrl('Token URL', url)).message).toMatch(/unencrypted/);
	});
});

describe('5: algorithms and keys', () => {
	it.each([['none'], ['HS1'], ['RS256'], ['hs256']])(
		'an HMAC algorithm %p is a configuration error naming the field',
		(alg) => {
			const error = expectConfigError(() =>
				clientConfigFromCredential('clientSecret', {
					tokenUrl: `${ISSUER}/token`,
					clientId: 'c',
					clientSecret: 'x'.repeat(64),
					clientAuthentication: 'client_secret_jwt',
					hmacAlgorithm: alg,
				}),
			);
			expect(error.field).toBe('Signing Algorithm');
		},
	);

	it('a client_secret_jwt secret shorter than the hash (RFC 7518 §3.2) is refused before any request', async () => {
		for (const [alg, bytes] of [
			['HS256', 31],
			['HS384', 47],
			['HS512', 63],
		] as const) {
			const send = fakeSend(() => json(200, { access_token: 'a', token_type: 'Bearer' }));
			const config = secretConfig({
				clientAuthentication: 'client_secret_jwt',
				hmacAlgorithm: alg,
				clientSecret: 'k'.repeat(bytes),
			});
			await expect(getToken(config, send, { forceNew: true })).rejects.toMatchObject({
				field: 'Client Secret',
				message: expect.stringMatching(/RFC 7518/),
			});
			expect(send.calls).toEqual([]);
		}
	});

	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

	/** Single-character corruptions of the PEM body, spread over the whole key. */
	function corruptions(count: number): string[] {
		const lines = pem.trim().split('\n');
		const body = lines.slice(1, -1).join('');
		const out: string[] = [];
		for (let i = 0; i < count; i++) {
			const at = Math.floor(((i + 0.5) * (body.length - 4)) / count);
			const replacement = BASE64[(BASE64.indexOf(body[at]) + 1 + i) % 64];
			const changed = body.slice(0, at) + replacement + body.slice(at + 1);
			out.push(`${lines[0]}\n${changed.match(/.{1,64}/g)?.join('\n')}\n${lines.at(-1)}\n`);
		}
		return out;
	}

	it('a corrupted key is refused at import or signs assertions the registered public key verifies', async () => {
		let imported = 0;
		let refused = 0;
		for (const corrupted of corruptions(120)) {
			let key;
			try {
				key = importSigningKey({ privateKey: corrupted, algorithm: 'RS256' });
			} catch (error) {
				expect(error).toBeInstanceOf(OAuthConfigError);
				refused++;
				continue;
			}
			imported++;
			const claims = assertionClaims({
				issuer: 'c',
				audience: 'a',
				lifetimeSeconds: 60,
				now: Date.now(),
			});
			const jwt = await signAssertion(claims, { kind: 'key', key });
			await expect(jwtVerify(jwt, publicKey)).resolves.toBeDefined();
		}
		// Both branches ran: some corruptions only touch parts signing does not use.
		expect(imported).toBeGreaterThan(0);
		expect(refused).toBeGreaterThan(0);
	});

	it('a damaged key is refused with an explanation, not a raw crypto error', () => {
		const messages = new Set<string>();
		for (const corrupted of corruptions(120)) {
			try {
				importSigningKey({ privateKey: corrupted, algorithm: 'RS256' });
			} catch (error) {
				messages.add((error as OAuthConfigError).message);
			}
		}
		expect([...messages].some((message) => /damaged/.test(message))).toBe(true);
	});
});

describe('6: assertion lifetime is bounded for every preset', () => {
	const key = generateKeyPairSync('ec', { namedCurve: 'P-256' })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
	it.each([
		['generic', {}],
		['servicenow', { servicenowInstance: 'acme' }],
		['keycloak', { keycloakBaseUrl: 'https://sso.example.com', keycloakRealm: 'r' }],
	])('%s: 24 hours and one year are refused before any request', (provider, fields) => {
		for (const assertionLifetime of [86_400, 31_536_000, 3601]) {
			const error = expectConfigError(() =>
				clientConfigFromCredential('privateKeyJwt', {
					provider,
					...fields,
					tokenUrl: `${ISSUER}/token`,
					clientId: 'c',
					privateKey: key,
					assertionLifetime,
				}),
			);
			expect(error.field).toBe('Assertion Lifetime');
			expect(error.message).toMatch(/at most 3600/);
		}
	});

	it('an hour is still accepted', () => {
		expect(() =>
			clientConfigFromCredential('privateKeyJwt', {
				tokenUrl: `${ISSUER}/token`,
				clientId: 'c',
				privateKey: key,
				assertionLifetime: 3600,
			}),
		).not.toThrow();
	});
});

describe('7: refresh single flight is keyed by refresh token and client, not scope', () => {
	it('one refresh token refreshed concurrently with scopes "a b", "b a" and none makes one request', async () => {
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const send = fakeSend(async () => {
			await gate;
			return json(200, { access_token: 'new', token_type: 'Bearer', refresh_token: 'rt-2' });
		});
		const flights = new SingleFlight<RefreshResult>();
		const config = secretConfig();
		const calls = ['a b', 'b a', undefined].map(
			async (scope) => await refreshToken(config, 'rt-1', send, { scope, flights }),
		);
		await new Promise((resolve) => setImmediate(resolve));
		release();
		const results = await Promise.all(calls);
		expect(send.calls).toHaveLength(1);
		expect(results.map((result) => result.token.refresh_token)).toEqual(['rt-2', 'rt-2', 'rt-2']);
	});

	it('another client with the same refresh token does not share the request', async () => {
		const send = fakeSend(() => json(200, { access_token: 'new', token_type: 'Bearer' }));
		const flights = new SingleFlight<RefreshResult>();
		await Promise.all([
			refreshToken(secretConfig(), 'rt-1', send, { flights }),
			refreshToken(secretConfig({ clientSecret: 'another-secret-entirely' }), 'rt-1', send, {
				flights,
			}),
		]);
		expect(send.calls).toHaveLength(2);
	});
});

describe('8: revoke needs an empty or JSON answer to count as revoked', () => {
	const run = async (response: HttpResponse) =>
		await revokeToken(
			secretConfig(),
			'a-token-to-revoke',
			fakeSend(() => response),
		);

	it('an HTML page with 200 ("instance hibernating") is not "revoked"', async () => {
		await expect(
			run(
				json(
					200,
					'<!DOCTYPE html><html><body>Your instance is hibernating</body></html>',
					'text/html',
				),
			),
		).rejects.toThrow(/HTML page.*may still be valid/);
	});

	it.each([
		['plain text', 'OK', 'text/plain'],
		['a form', 'revoked=true', 'application/x-www-form-urlencoded'],
		['a JSON array', '[]', 'application/json'],
		['truncated JSON', '{"revoked":', 'application/json'],
	])('%s with 200 is not "revoked"', async (_name, body, type) => {
		await expect(run(json(200, body, type))).rejects.toThrow(InvalidResponseError);
	});

	it.each([
		['an empty body', ''],
		['an empty JSON object', '{}'],
		['a JSON object', '{"revoked":true}'],
	])('%s with 200 is revoked (RFC 7009 §2.2)', async (_name, body) => {
		await expect(run(json(200, body))).resolves.toMatchObject({
			alreadyInvalid: false,
			status: 200,
		});
	});
});

describe('9: the discovery cache is bounded and drops expired entries', () => {
	it('holds at most 1000 issuers', async () => {
		const send = fakeSend((request) => {
			const issuer = new URL(request.url).origin;
			return json(200, { issuer, token_endpoint: `${issuer}/token` });
		});
		for (let i = 0; i < 1100; i++) await discover(`https://as${i}.example.com`, send, 0);
		expect(discoveryCacheSize()).toBe(1000);
	});

	it('an hour later, expired entries are dropped when another issuer is fetched', async () => {
		const send = fakeSend((request) => {
			const issuer = new URL(request.url).origin;
			return json(200, { issuer, token_endpoint: `${issuer}/token` });
		});
		for (let i = 0; i < 50; i++) await discover(`https://as${i}.example.com`, send, 0);
		expect(discoveryCacheSize()).toBe(50);
		await discover('https://later.example.com', send, 60 * 60 * 1000);
		expect(discoveryCacheSize()).toBe(1);
		// and an expired issuer is fetched again
		await discover('https://as1.example.com', send, 60 * 60 * 1000);
		expect(send.calls.filter((call) => call.url.includes('as1.'))).toHaveLength(2);
	});
});

describe('10: cache keys cannot collide', () => {
	const endpoints = { tokenEndpoint: `${ISSUER}/token` };
	const password = (username: string, pass: string) =>
		clientConfigFromCredential('clientSecret', {
			tokenUrl: `${ISSUER}/token`,
			clientId: 'c',
			clientSecret: 'secret',
			grantType: 'password',
			username,
			password: pass,
		});

	it('crafted username / password pairs that join to the same string get different tokens', () => {
		expect(tokenCacheKey(password('alice\u0000x', 'y'), endpoints)).not.toBe(
			tokenCacheKey(password('alice', 'x\u0000y'), endpoints),
		);
		expect(tokenCacheKey(password('alice', 'pw'), endpoints)).toBe(
			tokenCacheKey(password('alice', 'pw'), endpoints),
		);
	});

	it('a secret that ends like another field begins does not collide either', () => {
		const a = secretConfig({
			clientSecret: 'secret\u0000',
			grantType: 'password',
			username: 'u',
			password: 'p',
		});
		const b = secretConfig({
			clientSecret: 'secret',
			grantType: 'password',
			username: '\u0000u',
			password: 'p',
		});
		expect(tokenCacheKey(a, endpoints)).not.toBe(tokenCacheKey(b, endpoints));
	});
});

describe('11: non-2xx answers are described as what they are', () => {
	it('JSON without "error" is described as JSON lacking an OAuth error, not as "neither JSON nor form"', () => {
		const run = () => readJsonResult('token', json(500, { message: 'Internal failure', code: 17 }));
		expect(run).toThrow(/JSON or form-encoded object without an OAuth "error" member \(HTTP 500/);
		expect(run).not.toThrow(/neither JSON/);
	});

	it('text that is not JSON is still described as neither', () => {
		expect(() => readJsonResult('token', json(502, 'Bad Gateway', 'text/plain'))).toThrow(
			/neither JSON/,
		);
	});
});

describe('transport errors keep only the origin and a code', () => {
	it('the request, its headers and its query never reach the error', () => {
		const token = `servicenow-token-${randomUUID()}`;
		const request: HttpRequest = {
			method: 'GET',
			url: `https://acme.service-now.com/oauth_revoke_token.do?token=${token}`,
			headers: { authorization: 'Basic c2VjcmV0LWNsaWVudDpzZWNyZXQtdmFsdWUtMTIz' },
			body: 'client_secret=secret-value-123',
		};
		const cause = Object.assign(new Error('connect ECONNREFUSED'), {
			code: 'ECONNREFUSED',
			config: request,
		});
		const error = transportError('revocation', request, cause);
		expect(error.message).toMatch(/^The request to https:\/\/acme\.service-now\.com failed/);
		expectNoSecrets(error, [token, 'secret-value-123']);
		expect(findSecret({ cause }, ['secret-value-123'])).toBeDefined();
	});
});

describe('1: an assertion goes only to the server its audience names', () => {
	const key = generateKeyPairSync('ec', { namedCurve: 'P-256' })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
	const tokenAnswer = () => json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 60 });

	it('an issuer audience is not sent to a typed endpoint on another host (only the issuer metadata vouches for other hosts)', async () => {
		// The Auth0 preset's audience is its issuer; a revocation URL typed to another host must not get it.
		const config = clientConfigFromCredential('privateKeyJwt', {
			provider: 'auth0',
			auth0Domain: ['tenant', 'eu.auth0.com'].join('.'),
			revocationUrl: 'https://collector.example.net/revoke',
			clientId: 'c',
			privateKey: key,
		});
		const send = fakeSend(() => json(200, ''));
		await expect(revokeToken(config, 'a-token', send)).rejects.toMatchObject({
			field: 'Assertion Audience',
		});
		expect(send.calls).toEqual([]);
	});

	it('an audience that is not a URL (ServiceNow: the client ID) goes only to the token endpoint host', async () => {
		const config = clientConfigFromCredential('privateKeyJwt', {
			tokenUrl: 'https://acme.service-now.com/oauth_token.do',
			introspectionUrl: 'https://collector.example.net/introspect',
			clientId: 'c',
			privateKey: key,
			assertionAudience: 'custom',
			customAudience: 'c',
		});
		const send = fakeSend(() => json(200, { active: false }));
		await expect(introspectToken(config, 'a-token', send)).rejects.toMatchObject({
			field: 'Assertion Audience',
		});
		expect(send.calls).toEqual([]);
		// ... and it is sent to the token endpoint itself
		await expect(
			getToken(config, fakeSend(tokenAnswer), { forceNew: true }),
		).resolves.toBeDefined();
	});

	it('a JWT bearer grant assertion for another host is not sent to this token endpoint', async () => {
		const config = clientConfigFromCredential('privateKeyJwt', {
			tokenUrl: 'https://as.example.com/token',
			clientId: 'c',
			privateKey: key,
			grantType: 'jwtBearer',
			// No client assertion: only the grant assertion carries the audience here.
			clientAuthentication: 'none',
			subject: 'user',
			assertionAudience: 'custom',
			customAudience: 'https://other-server.example.org/token',
		});
		const send = fakeSend(tokenAnswer);
		await expect(getToken(config, send, { forceNew: true })).rejects.toMatchObject({
			field: 'Assertion Audience',
		});
		expect(send.calls).toEqual([]);
	});

	it('Salesforce My Domain still takes the login audience (the preset vouches for the org host)', async () => {
		const config = clientConfigFromCredential('privateKeyJwt', {
			provider: 'salesforce',
			salesforceEnvironment: 'myDomain',
			salesforceMyDomainUrl: 'acme.my.salesforce.com',
			clientId: 'c',
			privateKey: key,
			grantType: 'jwtBearer',
			subject: 'integration@acme.example',
		});
		const send = fakeSend(tokenAnswer);
		await getToken(config, send, { forceNew: true });
		expect(send.calls[0].url).toBe('https://acme.my.salesforce.com/services/oauth2/token');
	});
});
