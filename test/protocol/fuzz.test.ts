/**
 * Property-based fuzzing (fast-check, 10,000 cases per target): whatever arrives, the parser and
 * key import either succeed with sane values or raise the package's own clear error types.
 */
import fc from 'fast-check';
import { decodeJwt } from 'jose';

import {
	assertionClaims,
	importSigningKey,
	InvalidResponseError,
	OAuthConfigError,
	OAuthResponseError,
	parseTokenResponse,
	signAssertion,
	tokenTimes,
	toIso,
	zoneFor,
	type HttpResponse,
} from '../../protocol';

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
});
