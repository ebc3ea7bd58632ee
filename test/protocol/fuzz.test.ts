/**
 * Property-based fuzzing (fast-check, 10,000 cases per target): whatever arrives, the parser and
 * key import either succeed with sane values or raise the package's own clear error types.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';

import fc from 'fast-check';
import { compactVerify, decodeJwt } from 'jose';

import {
	assertionClaims,
	checkUrl,
	importSigningKey,
	InvalidResponseError,
	OAuthConfigError,
	OAuthResponseError,
	parseTokenResponse,
	resetProcessState,
	resolveEndpoints,
	signAssertion,
	tokenTimes,
	toIso,
	zoneFor,
	type HttpResponse,
} from '../../protocol';
import { findSecret } from '../helpers/secrets';

const RUNS = 10_000;

const jsonValue = fc.oneof(
	fc.string(),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string(), { maxLength: 3 }),
);
const tokenLike = fc.record(
	{
		access_token: fc.oneof(fc.string(), fc.constant(''), fc.integer()),
		token_type: fc.oneof(fc.constant('Bearer'), fc.string()),
		expires_in: fc.oneof(
			fc.integer({ min: -10, max: 1e9 }),
			fc.string(),
			fc.double(),
			fc.constant('3600'),
		),
		error: fc.oneof(fc.constant('invalid_client'), fc.string(), fc.integer()),
		refresh_token: jsonValue,
		issued_at: fc.oneof(fc.string(), fc.integer({ min: 0, max: 2e12 })),
	},
	{ requiredKeys: [] },
);
const body = fc.oneof(
	fc.string(),
	fc.string({ unit: 'binary' }),
	tokenLike.map((o) => JSON.stringify(o)),
	tokenLike.map((o) =>
		new URLSearchParams(
			Object.entries(o).map(([k, v]): [string, string] => [k, String(v)]),
		).toString(),
	),
	fc.dictionary(fc.string(), jsonValue).map((o) => JSON.stringify(o)),
	fc.constant('<!DOCTYPE html><html></html>'),
);
const response = fc.record({
	status: fc.oneof(
		fc.constantFrom(200, 201, 400, 401, 403, 429, 500, 503),
		fc.integer({ min: 100, max: 599 }),
	),
	headers: fc.record(
		{
			'content-type': fc.oneof(
				fc.constantFrom(
					'application/json',
					'application/x-www-form-urlencoded',
					'text/html',
					'text/plain',
				),
				fc.string(),
			),
		},
		{ requiredKeys: [] },
	),
	body: fc.oneof(body, tokenLike),
}) as fc.Arbitrary<HttpResponse>;

describe('fuzzing', () => {
	it('the token response parser returns a sane token or one of its own errors', () => {
		fc.assert(
			fc.property(response, (res) => {
				let token;
				try {
					token = parseTokenResponse(res);
				} catch (error) {
					return error instanceof OAuthResponseError || error instanceof InvalidResponseError;
				}
				return (
					typeof token.access_token === 'string' &&
					token.access_token.length > 0 &&
					(token.expires_in === undefined ||
						(Number.isFinite(token.expires_in) && token.expires_in >= 0))
				);
			}),
			{ numRuns: RUNS },
		);
	});

	const pemLike = fc
		.tuple(
			fc.constantFrom(
				'PRIVATE KEY',
				'RSA PRIVATE KEY',
				'EC PRIVATE KEY',
				'ENCRYPTED PRIVATE KEY',
				'PUBLIC KEY',
				'CERTIFICATE',
				'X',
			),
			fc.base64String({ maxLength: 400 }),
		)
		.map(([label, b64]) => `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----`);
	const jwkLike = fc
		.record(
			{
				kty: fc.constantFrom('RSA', 'EC', 'OKP', 'oct', 'x'),
				d: fc.base64String(),
				crv: fc.constantFrom('P-256', 'Ed25519', 'x'),
				x: fc.base64String(),
				y: fc.base64String(),
				n: fc.base64String(),
				e: fc.constant('AQAB'),
			},
			{ requiredKeys: ['kty'] },
		)
		.map((o) => JSON.stringify(o));

	it('key import returns a key or a clear OAuthConfigError for random PEM, JWK and text', () => {
		fc.assert(
			fc.property(
				fc.oneof(pemLike, jwkLike, fc.string(), fc.json()),
				fc.option(fc.string(), { nil: undefined }),
				(text, passphrase) => {
					try {
						const key = importSigningKey({ privateKey: text, passphrase, algorithm: 'auto' });
						return typeof key.alg === 'string';
					} catch (error) {
						return error instanceof OAuthConfigError && error.message.length > 0;
					}
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('expiry computation never yields NaN or an invalid date', () => {
		const zone = zoneFor('Europe/Berlin');
		fc.assert(
			fc.property(
				tokenLike,
				fc.integer({ min: 0, max: 4e12 }),
				fc.record({
					accessTokenSeconds: fc.option(fc.integer({ min: -5, max: 1e9 }), { nil: undefined }),
				}),
				(token, now, defaults) => {
					const times = tokenTimes(token, now, defaults);
					if (times.accessExpiresAt === null) return times.accessSource === 'unknown';
					return (
						Number.isFinite(times.accessExpiresAt) &&
						!toIso(times.accessExpiresAt, zone).includes('Invalid')
					);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('10,000 assertions signed in a row carry 10,000 distinct jti values', async () => {
		const secret = 'k'.repeat(32);
		const jtis = new Set<string>();
		for (let i = 0; i < 10_000; i++) {
			const jwt = await signAssertion(
				assertionClaims({
					issuer: 'c',
					subject: 'c',
					audience: 'a',
					lifetimeSeconds: 60,
					now: Date.now(),
				}),
				{ kind: 'secret', secret, alg: 'HS256' },
			);
			jtis.add(decodeJwt(jwt).jti as string);
		}
		expect(jtis.size).toBe(10_000);
	});

	// Keys that still parse after one character changed: either refused at import (the sign-and-verify
	// self-test) or they sign what the registered public key verifies. Fewer runs: each imports a key.
	const pairs = {
		rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
		ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
		ed25519: generateKeyPairSync('ed25519'),
	};
	const keyTexts = Object.entries(pairs).flatMap(([type, pair]) => [
		{
			type,
			publicKey: pair.publicKey,
			text: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		},
		{
			type,
			publicKey: pair.publicKey,
			text: JSON.stringify(pair.privateKey.export({ format: 'jwk' })),
		},
		...(type === 'rsa'
			? [
					{
						type,
						publicKey: pair.publicKey,
						text: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
					},
				]
			: []),
	]);
	const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
	const corruptedKey = fc
		.tuple(
			fc.constantFrom(...keyTexts),
			fc.double({ min: 0, max: 1, noNaN: true }),
			fc.constantFrom(...ALPHABET),
		)
		.map(([key, where, replacement]) => {
			// Only characters of the encoded key material change, so the text stays parseable PEM / JSON.
			const positions = [...key.text.matchAll(/[A-Za-z0-9+/_-]/g)]
				.map((match) => match.index)
				.filter((index) => index > 30 && index < key.text.length - 30);
			const at = positions[Math.min(positions.length - 1, Math.floor(where * positions.length))];
			return { ...key, text: key.text.slice(0, at) + replacement + key.text.slice(at + 1) };
		});

	it('corrupted but parseable keys are refused at import or sign verifiable assertions', async () => {
		const branches = { imported: 0, refused: 0 };
		await fc.assert(
			fc.asyncProperty(corruptedKey, async (key) => {
				let signingKey;
				try {
					signingKey = importSigningKey({ privateKey: key.text, algorithm: 'auto' });
				} catch (error) {
					branches.refused++;
					return error instanceof OAuthConfigError;
				}
				branches.imported++;
				const jwt = await signAssertion(
					assertionClaims({ issuer: 'c', audience: 'a', lifetimeSeconds: 60, now: Date.now() }),
					{ kind: 'key', key: signingKey },
				);
				// An Ed25519 PKCS#8 key is only its seed: a changed seed is a valid other key (its own
				// public half verifies it); every other form carries redundancy the import checks.
				const seedOnly = key.type === 'ed25519' && key.text.startsWith('-----BEGIN');
				await compactVerify(jwt, seedOnly ? createPublicKey(signingKey.key) : key.publicKey);
				return true;
			}),
			{ numRuns: 2_000 },
		);
		// Both branches are reached: many corruptions only touch bytes signing does not use.
		expect(branches.imported).toBeGreaterThan(0);
		expect(branches.refused).toBeGreaterThan(0);
	});

	const ISSUER = 'https://as.example.com';
	const USERINFO_SECRET = ['fz', 'userinfo', 's3cret'].join('-');
	const hostileUrl = fc.oneof(
		fc.constant(`${ISSUER}/token`),
		fc.constant('https://elsewhere.example.net/token'),
		fc.constant('http://evil.example.com/token'),
		fc.constant('http://127.0.0.1.nip.io/token'),
		fc.constant(`https://user:${USERINFO_SECRET}@as.example.com/token`),
		fc.constant(`ftp://user:${USERINFO_SECRET}@as.example.com/token`),
		fc.constant(`user:${USERINFO_SECRET}@as.example.com`),
		fc.constant('javascript:alert(1)'),
		fc.string(),
		fc.integer(),
		fc.constant(null),
		fc.array(fc.string(), { maxLength: 2 }),
		fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
	);
	const hostileDocument = fc.record(
		{
			issuer: fc.oneof(
				fc.constant(ISSUER),
				fc.constant(`${ISSUER}/`),
				fc.constant(ISSUER.toUpperCase()),
				fc.string(),
				fc.integer(),
			),
			token_endpoint: hostileUrl,
			revocation_endpoint: hostileUrl,
			introspection_endpoint: hostileUrl,
			grant_types_supported: fc.oneof(fc.array(fc.string()), fc.string(), fc.array(fc.integer())),
			token_endpoint_auth_methods_supported: fc.oneof(fc.array(fc.string()), fc.constant({})),
		},
		{ requiredKeys: [] },
	);
	const hostileAnswer = fc.record({
		status: fc.constantFrom(200, 200, 200, 404, 500),
		contentType: fc.constantFrom(
			'application/json',
			'application/json; charset=utf-8',
			'text/html',
			'application/x-www-form-urlencoded',
			undefined,
		),
		document: hostileDocument,
		asForm: fc.boolean(),
	});

	it('hostile discovery documents give checked endpoints or a clear error, never a leaked URL secret', async () => {
		await fc.assert(
			fc.asyncProperty(hostileAnswer, async (answer) => {
				resetProcessState();
				const body = answer.asForm
					? new URLSearchParams(
							Object.entries(answer.document).map(([k, v]): [string, string] => [
								k,
								typeof v === 'object' ? JSON.stringify(v) : String(v),
							]),
						).toString()
					: JSON.stringify(answer.document);
				const send = async (): Promise<HttpResponse> => ({
					status: answer.status,
					headers: answer.contentType ? { 'content-type': answer.contentType } : {},
					body,
				});
				try {
					const endpoints = await resolveEndpoints({ issuer: ISSUER }, send, 0);
					// Whatever is returned passed the same checks as a typed URL.
					for (const url of [
						endpoints.tokenEndpoint,
						endpoints.revocationEndpoint,
						endpoints.introspectionEndpoint,
					])
						if (url !== undefined) expect(checkUrl('x', url)).toBe(url);
					return endpoints.issuer === ISSUER;
				} catch (error) {
					return (
						(error instanceof OAuthConfigError ||
							error instanceof InvalidResponseError ||
							error instanceof OAuthResponseError) &&
						findSecret(error, [USERINFO_SECRET]) === undefined
					);
				}
			}),
			{ numRuns: RUNS },
		);
	});
});
