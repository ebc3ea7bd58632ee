/**
 * Check Expiry over the token sets real servers send, through the node's real code. The
 * oidc-provider rows use tokens the test server (test/server/authServer.mjs) just issued; the
 * other rows reproduce each provider's documented response shape, cited per row (sources in
 * /work/shared/reference/oauth-wire-and-providers.md §2, "Expiry fields the calculator must handle").
 * The introspection option runs against the test server's RFC 7662 endpoint.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { instantToMillis, sharedTokenCache, toIso, zoneFor, type JsonObject } from '../../protocol';
import { runNode } from '../helpers/executeContext';
import { loadTestServer, serverRequests } from '../server/fixtures';

const server = loadTestServer();
const { clients, users } = server.fixtures;

/** The check time of every table row: 2026-11-21T12:00:00Z. */
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const ZONE = 'Asia/Tokyo';
const S = 1000;

const opaque = (prefix = '') => `${prefix}${randomBytes(24).toString('base64url')}`;
const iso = (millis: number) => new Date(millis).toISOString();
async function jwt(expSeconds: number): Promise<string> {
	return await new SignJWT({ sub: 'user' })
		.setProtectedHeader({ alg: 'HS256' })
		.setIssuedAt(expSeconds - 300)
		.setExpirationTime(expSeconds)
		.sign(randomBytes(32));
}

function basicCredential(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		introspectionUrl: server.introspectionEndpoint,
		clientId: clients.basic.client_id,
		clientSecret: clients.basic.client_secret,
		clientAuthentication: 'client_secret_basic',
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

async function getToken(credential: ICredentialDataDecryptedObject): Promise<IDataObject> {
	const { output } = await runNode({
		parameters: {
			authentication: 'clientSecret',
			operation: 'getToken',
			options: { forceNew: true },
		},
		credentials: { oauthClientSecretApi: credential },
	});
	return output[0][0].json;
}

interface CheckRun {
	token: IDataObject;
	now?: number;
	parameters?: IDataObject;
	options?: IDataObject;
	credential?: ICredentialDataDecryptedObject;
}

/** Runs Check Expiry on one item at a fixed check time; returns the output it reached and its figures. */
async function checkAt({ token, now = T0, parameters = {}, options = {}, credential }: CheckRun) {
	const spy = jest.spyOn(Date, 'now').mockReturnValue(now);
	try {
		const { output } = await runNode({
			parameters: {
				operation: 'checkExpiry',
				authentication: credential ? 'clientSecret' : 'none',
				tokenInput: 'item',
				refreshMargin: 300,
				treatUnknownAs: 'needsRefresh',
				options,
				...parameters,
			},
			credentials: credential ? { oauthClientSecretApi: credential } : {},
			items: [{ json: token }],
			timezone: ZONE,
		});
		const [valid, needsRefresh] = output;
		expect(valid.length + needsRefresh.length).toBe(1);
		const item: INodeExecutionData = valid[0] ?? needsRefresh[0];
		return {
			branch: valid.length ? ('valid' as const) : ('needsRefresh' as const),
			expiry: item.json.expiry as JsonObject & {
				access_token: JsonObject;
				refresh_token?: JsonObject;
			},
			json: item.json,
		};
	} finally {
		spy.mockRestore();
	}
}

interface Expected {
	access: { expiresAt: number | null; source: string };
	refresh?: { expiresAt: number | null; source: string } | null;
	branch: 'valid' | 'needsRefresh';
}

interface Row {
	name: string;
	/** Where the shape comes from. */
	source: string;
	build: () => Promise<{ run: CheckRun; expected: Expected }>;
}

/** Filled by beforeAll: real tokens from the test server. */
const real: { clientCredentials?: IDataObject; password?: IDataObject } = {};

beforeAll(async () => {
	sharedTokenCache.clear();
	real.clientCredentials = await getToken(basicCredential());
	real.password = await getToken(
		basicCredential({
			grantType: 'password',
			username: users.alice.username,
			password: users.alice.password,
		}),
	);
});

const rows: Row[] = [
	{
		name: 'oidc-provider, client credentials, as Get Token outputs it',
		source:
			'the test server (oidc-provider 9.13.3): RFC 6749 §5.1 expires_in; Get Token adds obtained_at, expires_at and its source',
		build: async () => {
			const token = real.clientCredentials as IDataObject;
			const obtainedAt = instantToMillis(token.obtained_at) as number;
			const expiresAt = obtainedAt + Number(token.expires_in) * S;
			return {
				run: { token, now: obtainedAt + 600 * S },
				expected: { access: { expiresAt, source: 'expires_in' }, refresh: null, branch: 'valid' },
			};
		},
	},
	{
		name: 'oidc-provider, the raw token response plus the time it was received',
		source: 'the test server: { access_token, expires_in, token_type, scope } (RFC 6749 §5.1)',
		build: async () => {
			const { access_token, expires_in, token_type, scope, obtained_at } =
				real.clientCredentials as IDataObject;
			const obtainedAt = instantToMillis(obtained_at) as number;
			const token = { access_token, expires_in, token_type, scope, obtained_at };
			return {
				run: { token, now: obtainedAt + (Number(expires_in) - 200) * S },
				expected: {
					access: { expiresAt: obtainedAt + Number(expires_in) * S, source: 'expires_in' },
					refresh: null,
					branch: 'needsRefresh',
				},
			};
		},
	},
	{
		name: 'oidc-provider, password grant with a refresh token of unknown lifetime',
		source:
			'the test server: oidc-provider sends no refresh token lifetime; an unknown refresh expiry is reported, not guessed',
		build: async () => {
			const { access_token, refresh_token, expires_in, token_type, obtained_at } =
				real.password as IDataObject;
			const obtainedAt = instantToMillis(obtained_at) as number;
			const token = { access_token, refresh_token, expires_in, token_type, obtained_at };
			return {
				run: { token, now: obtainedAt + 60 * S },
				expected: {
					access: { expiresAt: obtainedAt + Number(expires_in) * S, source: 'expires_in' },
					refresh: { expiresAt: null, source: 'unknown' },
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'Salesforce client credentials: issued_at in ms, no expires_in, session timeout 2 h',
		source:
			'help.salesforce.com service.conversation_transcript_api_sample1; salesforce.stackexchange.com q/305477 ("issued_at":"1589009375588"); no expires_in (source doc 001)',
		build: async () => {
			const issuedAt = T0 - 30 * 60 * S;
			const token = {
				access_token: opaque('00D!'),
				signature: opaque(),
				scope: 'api',
				instance_url: 'https://example.my.salesforce.com',
				id: 'https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6e',
				token_type: 'Bearer',
				issued_at: String(issuedAt),
			};
			return {
				run: { token, options: { accessTokenLifespan: 7200 } },
				expected: {
					access: { expiresAt: issuedAt + 7200 * S, source: 'issued_at+lifespan' },
					refresh: null,
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'Salesforce without a lifespan: unknown, so Needs Refresh',
		source:
			'as above; the lifetime is the org session timeout, which the response does not carry (xkit.co, nango.dev)',
		build: async () => {
			const token = {
				access_token: opaque('00D!'),
				token_type: 'Bearer',
				issued_at: String(T0 - 60 * S),
				instance_url: 'https://example.my.salesforce.com',
			};
			return {
				run: { token },
				expected: {
					access: { expiresAt: null, source: 'unknown' },
					refresh: null,
					branch: 'needsRefresh',
				},
			};
		},
	},
	{
		name: 'ServiceNow password grant: expires_in 1799, refresh token lifespan 100 days from the defaults',
		source:
			'ServiceNow/ServiceNowDocs r_OAuthAPIResponseParameters.md (access_token, refresh_token, scope useraccount, token_type, expires_in); default lifespans 1800 s / 8,640,000 s (source doc 000)',
		build: async () => {
			const obtainedAt = T0 - 1600 * S;
			const token = {
				access_token: opaque(),
				refresh_token: opaque(),
				scope: 'useraccount',
				token_type: 'Bearer',
				expires_in: 1799,
				obtained_at: iso(obtainedAt),
			};
			return {
				run: { token, options: { accessTokenLifespan: 1800, refreshTokenLifespan: 8_640_000 } },
				expected: {
					access: { expiresAt: obtainedAt + 1799 * S, source: 'expires_in' },
					refresh: { expiresAt: obtainedAt + 8_640_000 * S, source: 'default_lifespan' },
					branch: 'needsRefresh',
				},
			};
		},
	},
	{
		name: 'ServiceNow token set without expires_in: the 1800 s default',
		source:
			'source doc 000: instance-issued access tokens live 30 minutes when the registry does not say otherwise',
		build: async () => {
			const obtainedAt = T0 - 600 * S;
			const token = { access_token: opaque(), token_type: 'Bearer', obtained_at: iso(obtainedAt) };
			return {
				run: { token, options: { accessTokenLifespan: 1800 } },
				expected: {
					access: { expiresAt: obtainedAt + 1800 * S, source: 'default_lifespan' },
					refresh: null,
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'Entra v1 / managed identity: expires_on as an epoch-seconds string',
		source:
			'reference §2 Entra row: v1 and managed-identity endpoints return expires_on / not_before as epoch-second strings; access tokens are JWTs',
		build: async () => {
			const expSeconds = T0 / S + 3000;
			const token = {
				access_token: await jwt(expSeconds),
				expires_in: '3599',
				expires_on: String(expSeconds),
				not_before: String(expSeconds - 3599),
				resource: 'https://management.azure.com/',
				token_type: 'Bearer',
			};
			return {
				run: { token },
				expected: {
					access: { expiresAt: expSeconds * S, source: 'expires_on' },
					refresh: null,
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'Entra v2 client credentials: expires_in with ext_expires_in',
		source:
			'MicrosoftDocs/entra-docs v2-oauth2-client-creds-grant-flow.md: token_type, expires_in, access_token; real responses add ext_expires_in',
		build: async () => {
			const obtainedAt = T0 - 60 * S;
			const token = {
				token_type: 'Bearer',
				expires_in: 3599,
				ext_expires_in: 3599,
				access_token: await jwt(obtainedAt / S + 3599),
				obtained_at: iso(obtainedAt),
			};
			return {
				run: { token },
				expected: {
					access: { expiresAt: obtainedAt + 3599 * S, source: 'expires_in' },
					refresh: null,
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'Keycloak: refresh_expires_in, JWT tokens (margin 60 s: Keycloak access tokens live 5 minutes)',
		source:
			'reference §2 Keycloak row: refresh_expires_in (seconds), not-before-policy, session_state',
		build: async () => {
			const obtainedAt = T0 - 100 * S;
			const token = {
				access_token: await jwt(obtainedAt / S + 300),
				expires_in: 300,
				refresh_expires_in: 1800,
				refresh_token: await jwt(obtainedAt / S + 1800),
				token_type: 'Bearer',
				'not-before-policy': 0,
				session_state: randomUUID(),
				scope: 'profile email',
				obtained_at: iso(obtainedAt),
			};
			return {
				run: { token, parameters: { refreshMargin: 60 } },
				expected: {
					access: { expiresAt: obtainedAt + 300 * S, source: 'expires_in' },
					refresh: { expiresAt: obtainedAt + 1800 * S, source: 'refresh_expires_in' },
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'Keycloak offline token: refresh_expires_in 0 means no expiry',
		source: 'reference §2 Keycloak row and expiry table: refresh_expires_in 0 for offline tokens',
		build: async () => {
			const obtainedAt = T0 - 250 * S;
			const token = {
				access_token: await jwt(obtainedAt / S + 300),
				expires_in: 300,
				refresh_expires_in: 0,
				refresh_token: opaque(),
				token_type: 'Bearer',
				scope: 'offline_access',
				obtained_at: iso(obtainedAt),
			};
			return {
				run: { token, parameters: { refreshMargin: 60 } },
				expected: {
					access: { expiresAt: obtainedAt + 300 * S, source: 'expires_in' },
					refresh: { expiresAt: null, source: 'no_expiry' },
					branch: 'needsRefresh',
				},
			};
		},
	},
	{
		name: 'GitHub App user token: refresh_token_expires_in, numbers as form-encoded strings',
		source:
			'docs.github.com refreshing-user-access-tokens: expires_in 28800, refresh_token_expires_in 15811200; form-encoded by default (reference §2 GitHub row)',
		build: async () => {
			const obtainedAt = T0 - 3600 * S;
			const token = {
				access_token: opaque('ghu_'),
				expires_in: '28800',
				refresh_token: opaque('ghr_'),
				refresh_token_expires_in: '15811200',
				scope: '',
				token_type: 'bearer',
				obtained_at: iso(obtainedAt),
			};
			return {
				run: { token },
				expected: {
					access: { expiresAt: obtainedAt + 28_800 * S, source: 'expires_in' },
					refresh: { expiresAt: obtainedAt + 15_811_200 * S, source: 'refresh_token_expires_in' },
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'JWT access token only: exp read without verifying, labelled so',
		source:
			'RFC 9068 JWT access tokens; reference §1.9: decode without verifying, label as an unverified hint',
		build: async () => {
			const token = { access_token: await jwt(T0 / S + 900) };
			return {
				run: { token },
				expected: {
					access: { expiresAt: T0 + 900 * S, source: 'jwt_exp_unverified' },
					refresh: null,
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'JWT access token only, a fresh 300-second token: valid (the default margin is a fifth of its lifetime, 60 s)',
		source: 'as above; kubelet rotates tokens after 80% of their lifetime',
		build: async () => {
			const token = { access_token: await jwt(T0 / S + 299) };
			return {
				run: { token },
				expected: {
					access: { expiresAt: T0 + 299 * S, source: 'jwt_exp_unverified' },
					refresh: null,
					branch: 'valid',
				},
			};
		},
	},
	{
		name: 'JWT access token only, within the adaptive margin (60 s of a 300-second lifetime)',
		source: 'as above',
		build: async () => {
			const token = { access_token: await jwt(T0 / S + 60) };
			return {
				run: { token },
				expected: {
					access: { expiresAt: T0 + 60 * S, source: 'jwt_exp_unverified' },
					refresh: null,
					branch: 'needsRefresh',
				},
			};
		},
	},
	{
		name: 'Nothing known: an opaque token alone is unknown, never valid',
		source:
			'reference heuristics: missing expiry is "unknown", not expired or valid (Authlib is_expired() returns None)',
		build: async () => ({
			run: { token: { access_token: opaque(), token_type: 'Bearer' } },
			expected: {
				access: { expiresAt: null, source: 'unknown' },
				refresh: null,
				branch: 'needsRefresh',
			},
		}),
	},
	{
		name: 'expires_in with no time received: unknown (it counts from receipt)',
		source: 'reference heuristics: record obtained_at yourself, expires_in is relative to receipt',
		build: async () => ({
			run: { token: { access_token: opaque(), expires_in: 3600 } },
			expected: {
				access: { expiresAt: null, source: 'unknown' },
				refresh: null,
				branch: 'needsRefresh',
			},
		}),
	},
	{
		name: 'expires_in of a response just received, with Assume Just Received',
		source: 'RFC 6749 §5.1: expires_in counts from the response',
		build: async () => ({
			run: {
				token: { access_token: opaque(), expires_in: 3600 },
				options: { assumeJustReceived: true },
			},
			expected: {
				access: { expiresAt: T0 + 3600 * S, source: 'expires_in' },
				refresh: null,
				branch: 'valid',
			},
		}),
	},
];

describe('Check Expiry over real provider response shapes', () => {
	it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
		const { run, expected } = await row.build();
		const now = run.now ?? T0;
		const { branch, expiry } = await checkAt(run);
		const zone = zoneFor(ZONE);
		expect(branch).toBe(expected.branch);
		expect(expiry.needs_refresh).toBe(expected.branch === 'needsRefresh');
		expect(expiry.checked_at).toBe(toIso(now, zone));
		expect(expiry.access_token.source).toBe(expected.access.source);
		expect(expiry.access_token.expires_at).toBe(
			expected.access.expiresAt === null ? null : toIso(expected.access.expiresAt, zone),
		);
		expect(expiry.access_token.seconds_left).toBe(
			expected.access.expiresAt === null ? null : Math.ceil((expected.access.expiresAt - now) / S),
		);
		if (expected.refresh === null || expected.refresh === undefined)
			expect(expiry.refresh_token).toBeUndefined();
		else {
			expect(expiry.refresh_token).toMatchObject({
				source: expected.refresh.source,
				expires_at:
					expected.refresh.expiresAt === null ? null : toIso(expected.refresh.expiresAt, zone),
			});
		}
	});

	it('Entra ext_expires_in is reported, and does not change the expiry', async () => {
		const obtainedAt = T0 - 60 * S;
		const { expiry } = await checkAt({
			token: {
				token_type: 'Bearer',
				expires_in: 3599,
				ext_expires_in: 7199,
				access_token: opaque(),
				obtained_at: iso(obtainedAt),
			},
		});
		expect(expiry.access_token).toMatchObject({
			expires_at: toIso(obtainedAt + 3599 * S, zoneFor(ZONE)),
			extended_expires_at: toIso(obtainedAt + 7199 * S, zoneFor(ZONE)),
		});
	});

	it('says why expires_in alone could not be used', async () => {
		const { expiry } = await checkAt({ token: { access_token: opaque(), expires_in: 3600 } });
		expect(expiry.access_token.note).toMatch(/obtained_at/);
	});
});

describe('Check Expiry with a credential', () => {
	it("uses the credential's lifespan defaults (ServiceNow preset: 1800 s), and a node option overrides them", async () => {
		const obtainedAt = T0 - 600 * S;
		const token = { access_token: opaque(), obtained_at: iso(obtainedAt) };
		const credential = basicCredential({ provider: 'servicenow', servicenowInstance: 'dev12345' });
		const fromCredential = await checkAt({ token, credential });
		expect(fromCredential.expiry.access_token).toMatchObject({
			source: 'default_lifespan',
			seconds_left: 1200,
		});
		const overridden = await checkAt({ token, credential, options: { accessTokenLifespan: 700 } });
		expect(overridden.expiry.access_token).toMatchObject({
			source: 'default_lifespan',
			seconds_left: 100,
		});
		// The default margin for a 700-second lifetime: a fifth, 140 s.
		expect(overridden.expiry.margin_seconds).toBe(140);
		expect(overridden.branch).toBe('needsRefresh');
	});

	it("introspects an opaque token with no stated expiry, and takes the server's exp", async () => {
		const token = real.clientCredentials as IDataObject;
		const since = Date.now();
		const { branch, expiry } = await checkAt({
			token: { access_token: token.access_token },
			now: Date.now(),
			credential: basicCredential(),
			options: { introspectWhenUnknown: true },
		});
		expect(branch).toBe('valid');
		expect(expiry.access_token.source).toBe('introspection');
		const expiresAt = instantToMillis(expiry.access_token.expires_at) as number;
		// oidc-provider's exp is whole seconds: within a second of Get Token's expires_at.
		expect(Math.abs(expiresAt - (instantToMillis(token.expires_at) as number))).toBeLessThanOrEqual(
			1000,
		);
		const requests = (await serverRequests(since)).filter((r) => r.path.endsWith('/introspection'));
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({ tokenTypeHint: 'access_token', status: 200 });
	});

	it('an inactive token (unknown to the server) goes to Needs Refresh, labelled introspection', async () => {
		const { branch, expiry } = await checkAt({
			token: { access_token: opaque() },
			now: Date.now(),
			credential: basicCredential(),
			options: { introspectWhenUnknown: true },
		});
		expect(branch).toBe('needsRefresh');
		expect(expiry.reason).toBe('access_token_inactive');
		expect(expiry.access_token).toMatchObject({
			source: 'introspection',
			expired: true,
			needs_refresh: true,
			expires_at: null,
			human: 'inactive (introspection)',
		});
	});

	it('does not call the server when the set states its expiry', async () => {
		const since = Date.now();
		const token = real.clientCredentials as IDataObject;
		const { expiry } = await checkAt({
			token,
			now: Date.now(),
			credential: basicCredential(),
			options: { introspectWhenUnknown: true },
		});
		expect(expiry.access_token.source).toBe('expires_in');
		expect(
			(await serverRequests(since)).filter((r) => r.path.endsWith('/introspection')),
		).toHaveLength(0);
	});
});
