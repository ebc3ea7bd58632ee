/**
 * The Salesforce preset against a local Salesforce emulator (./emulators/salesforce.ts).
 *
 * Documentation followed (details in the emulator):
 * - help.salesforce.com remoteaccess_oauth_jwt_flow (JWT bearer: iss, sub = username, aud =
 *   login/test, exp within 3 minutes; response without issued_at or refresh token);
 * - help.salesforce.com remoteaccess_oauth_client_credentials_flow (My Domain only, Run As user,
 *   client secret in Basic or body; response with signature and issued_at in epoch ms; no expires_in);
 * - the seed document shared/seeds/001 (private_key_jwt refused for client credentials; sub =
 *   client id → invalid_grant "user hasn't approved this consumer");
 * - salesforce.stackexchange.com q/282513 ("expired authorization code"), "audience is invalid";
 *   pozil/pub-sub-api-node-client#58 ("request not supported on this domain");
 * - developer.salesforce.com mobile_sdk oauth_revoking_tokens (revoke: 200, or 400 invalid_token);
 * - help.salesforce.com remoteaccess_oidc_token_introspection_endpoint;
 * - external client apps since Spring '26: app_not_found for aud = login/test, the My Domain URL
 *   accepted (help.salesforce.com article 005228017, forcedotcom/cli#3482, n8n-io/n8n#28990).
 */
import { type ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	attemptAsync,
	clientConfigFromCredential,
	getToken,
	introspectToken,
	revokeToken,
	sharedTokenCache,
} from '../../protocol';
import { ProviderRouter } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { JWT_BEARER, startSalesforce, type SalesforceEmulator } from './emulators/salesforce';
import {
	expectNodeError,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	rsaKey,
	runtimeValue,
} from './helpers';

const key = rsaKey();
const consumerKey = `3MVG9${runtimeValue('consumer')}`;
const consumerSecret = runtimeValue('consumer-secret');
const USER = 'integration@acme.example';

let production: SalesforceEmulator;
let sandbox: SalesforceEmulator;
let externalApp: SalesforceEmulator;
let router: ProviderRouter;

beforeAll(async () => {
	const users = {
		[USER]: { preAuthorized: true },
		'new.user@acme.example': { preAuthorized: false },
	};
	production = await startSalesforce({
		consumerKey,
		consumerSecret,
		certificateKey: key.publicKey,
		users,
		runAsUser: USER,
		myDomainHost: 'acme.my.salesforce.com',
		sandbox: false,
		sessionTimeoutSeconds: 7200,
	});
	// A sandbox with a legacy (non-enhanced) My Domain: no ".sandbox." in its host.
	sandbox = await startSalesforce({
		consumerKey,
		consumerSecret,
		certificateKey: key.publicKey,
		users,
		runAsUser: USER,
		myDomainHost: 'acme--uat.my.salesforce.com',
		sandbox: true,
		sessionTimeoutSeconds: 7200,
	});
	// An org whose consumer key belongs to an external client app.
	externalApp = await startSalesforce({
		consumerKey,
		consumerSecret,
		certificateKey: key.publicKey,
		users,
		myDomainHost: 'globex.my.salesforce.com',
		sandbox: false,
		sessionTimeoutSeconds: 7200,
		app: 'externalClientApp',
	});
	router = new ProviderRouter({
		'https://globex.my.salesforce.com': externalApp.baseUrl,
		'https://login.salesforce.com': production.baseUrl,
		'https://acme.my.salesforce.com': production.baseUrl,
		'https://test.salesforce.com': sandbox.baseUrl,
		'https://acme--uat.my.salesforce.com': sandbox.baseUrl,
	});
});
afterAll(async () => {
	await externalApp.close();
	await production.close();
	await sandbox.close();
});
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	production.log.length = 0;
	sandbox.log.length = 0;
	externalApp.log.length = 0;
	production.resetClock();
	sandbox.resetClock();
	production.config.runAsUser = USER;
});

function jwtBearer(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		provider: 'salesforce',
		salesforceEnvironment: 'production',
		clientId: consumerKey,
		privateKey: key.privatePem,
		grantType: 'jwtBearer',
		clientAuthentication: 'none',
		subject: USER,
		...extra,
	};
}

function clientCredentials(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		provider: 'salesforce',
		salesforceEnvironment: 'myDomain',
		salesforceMyDomainUrl: 'https://acme.my.salesforce.com',
		clientId: consumerKey,
		clientSecret: consumerSecret,
		clientAuthentication: 'client_secret_basic',
		grantType: 'clientCredentials',
		...extra,
	};
}

describe('Salesforce JWT bearer flow', () => {
	it('production: posts only grant_type and assertion to login.salesforce.com, with sub = username and aud = https://login.salesforce.com', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', jwtBearer());
		expect(out).toMatchObject({
			token_type: 'Bearer',
			scope: 'api',
			instance_url: 'https://acme.my.salesforce.com',
		});
		expect(out.expires_in).toBeUndefined();
		expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
			'https://login.salesforce.com/services/oauth2/token',
		]);
		const [seen] = production.log;
		expect(seen).toMatchObject({
			method: 'POST',
			grantType: JWT_BEARER,
			auth: 'none',
			status: 200,
		});
		expect(seen.formKeys.sort()).toEqual(['assertion', 'grant_type']);
		const claims = seen.assertion?.payload ?? {};
		expect(claims).toMatchObject({
			iss: consumerKey,
			sub: USER,
			aud: 'https://login.salesforce.com',
		});
		expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(180 + 5);
	});

	it('no expires_in and no issued_at: the expiry is the session timeout from when the token was obtained (default 2 hours)', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', jwtBearer());
		expect(out.expires_at_source).toBe('default_lifespan');
		expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(7200 * 1000);
	});

	it('sandbox: test.salesforce.com and aud = https://test.salesforce.com', async () => {
		await nodeGetToken(router, 'privateKeyJwt', jwtBearer({ salesforceEnvironment: 'sandbox' }));
		expect(router.paths('https://test.salesforce.com')).toEqual(['/services/oauth2/token']);
		expect(sandbox.log[0]).toMatchObject({ status: 200 });
		expect(sandbox.log[0].assertion?.payload.aud).toBe('https://test.salesforce.com');
	});

	it('a wrong audience really fails: a sandbox My Domain without ".sandbox." gets aud login.salesforce.com, and the hint says to choose Sandbox', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					jwtBearer({
						salesforceEnvironment: 'myDomain',
						salesforceMyDomainUrl: 'acme--uat.my.salesforce.com',
					}),
				),
		);
		expect(sandbox.log[0]).toMatchObject({ status: 400, error: 'invalid_grant' });
		expect(error.message).toMatch(/invalid_grant \(audience is invalid\)/);
		expect(error.description).toMatch(/audience/);
		expect(error.description).toMatch(/sandboxes https:\/\/test\.salesforce\.com/);
		expect(error.description).toMatch(/Salesforce Environment/);
	});

	it('"user hasn\'t approved this consumer" (user not pre-authorized): the hint names pre-authorization and sub = username', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					jwtBearer({ subject: 'new.user@acme.example' }),
				),
		);
		expect(production.log[0]).toMatchObject({ status: 400, error: 'invalid_grant' });
		expect(error.message).toMatch(/user hasn't approved this consumer/);
		expect(error.description).toMatch(/Admin approved users are pre-authorized/);
		expect(error.description).toMatch(/username/);
	});

	it('the seed\'s case 1, sub = client id, is refused before any request (Salesforce would answer "user hasn\'t approved this consumer")', async () => {
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', jwtBearer({ subject: consumerKey })),
		);
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^Subject: .*username, not the client ID/);
		expect(router.calls).toEqual([]);
		expect(production.log).toEqual([]);
	});

	it("the emulator itself answers sub = client id with the seed's error body", async () => {
		const config = clientConfigFromCredential('privateKeyJwt', {
			provider: 'generic',
			endpointMode: 'manual',
			tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
			clientId: consumerKey,
			privateKey: key.privatePem,
			grantType: 'jwtBearer',
			clientAuthentication: 'none',
			subject: consumerKey,
			assertionAudience: 'custom',
			customAudience: 'https://login.salesforce.com',
		});
		const outcome = await attemptAsync(async () => await getToken(config, router.send));
		expect(outcome.ok).toBe(false);
		expect(production.log[0]).toMatchObject({ status: 400, error: 'invalid_grant' });
		expect(String((outcome as { error: Error }).error.message)).toBe(
			"invalid_grant: user hasn't approved this consumer",
		);
	});

	it('"expired authorization code" (Salesforce\'s clock is ahead of n8n\'s): the hint names the host clock', async () => {
		production.advance(10 * 60 * 1000);
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', jwtBearer()),
		);
		expect(error.message).toMatch(/expired authorization code/);
		expect(error.description).toMatch(/clock \(NTP\)/);
		expect(error.description).toMatch(/Assertion Lifetime/);
	});

	it("an assertion lifetime over Salesforce's 3 minutes is refused before any request", async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', jwtBearer({ assertionLifetime: 600 })),
		);
		expect(error.message).toMatch(
			/^Assertion Lifetime: Salesforce accepts assertions that live at most 180 seconds/,
		);
		expect(router.calls).toEqual([]);
	});
});

describe('Salesforce external client apps (JWT Audience)', () => {
	const eca = (extra: ICredentialDataDecryptedObject = {}) =>
		jwtBearer({
			salesforceEnvironment: 'myDomain',
			salesforceMyDomainUrl: 'https://globex.my.salesforce.com',
			...extra,
		});

	it('"My Domain URL (External Client Apps)": aud = the My Domain origin, posted to My Domain, and the app issues a token', async () => {
		const out = await nodeGetToken(
			router,
			'privateKeyJwt',
			eca({ salesforceJwtAudience: 'myDomain' }),
		);
		expect(out.token_type).toBe('Bearer');
		expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
			'https://globex.my.salesforce.com/services/oauth2/token',
		]);
		expect(externalApp.log[0]).toMatchObject({ status: 200, grantType: JWT_BEARER });
		expect(externalApp.log[0].assertion?.payload).toMatchObject({
			aud: 'https://globex.my.salesforce.com',
			sub: USER,
			iss: consumerKey,
		});
	});

	it('the default audience (login by environment) gets app_not_found, and the hint says to pick the My Domain audience (a connected app wants login/test)', async () => {
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', eca()),
		);
		expect(externalApp.log[0]).toMatchObject({ status: 400, error: 'app_not_found' });
		expect(externalApp.log[0].assertion?.payload.aud).toBe('https://login.salesforce.com');
		expect(error.message).toMatch(
			/app_not_found \(External client app is not installed in this org\)/,
		);
		expect(error.description).toMatch(/My Domain URL \(External Client Apps\)/);
		expect(error.description).toMatch(/connected app .*Login \/ Test by Environment/);
	});

	it('a connected app keeps wanting login/test: the My Domain audience gets "audience is invalid", and that hint names the JWT Audience choice', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					jwtBearer({
						salesforceEnvironment: 'myDomain',
						salesforceMyDomainUrl: 'https://acme.my.salesforce.com',
						salesforceJwtAudience: 'myDomain',
					}),
				),
		);
		expect(production.log[0]).toMatchObject({ status: 400, error: 'invalid_grant' });
		expect(production.log[0].assertion?.payload.aud).toBe('https://acme.my.salesforce.com');
		expect(error.description).toMatch(
			/A connected app wants "JWT Audience" = "Login \/ Test by Environment"/,
		);
	});

	it('the My Domain audience with Environment = Production is refused before any request', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					jwtBearer({ salesforceJwtAudience: 'myDomain' }),
				),
		);
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^Salesforce Environment: "JWT Audience" is the My Domain URL/);
		expect(router.calls).toEqual([]);
	});
});

describe('Salesforce client credentials flow', () => {
	it('private_key_jwt is refused before any network call, and the error points to the JWT bearer grant (seed finding)', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', {
					provider: 'salesforce',
					salesforceEnvironment: 'myDomain',
					salesforceMyDomainUrl: 'https://acme.my.salesforce.com',
					clientId: consumerKey,
					privateKey: key.privatePem,
					grantType: 'clientCredentials',
					clientAuthentication: 'private_key_jwt',
				}),
		);
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(
			/^Grant Type: Salesforce's client credentials flow accepts only a client secret/,
		);
		expect(error.description).toMatch(/JWT Bearer/);
		expect(router.calls).toEqual([]);
		expect(production.log).toEqual([]);
		expect(sandbox.log).toEqual([]);
	});

	it.each(['client_secret_basic', 'client_secret_post'])(
		'%s on My Domain: issued_at (epoch ms) + session timeout is the expiry, source issued_at+lifespan',
		async (method) => {
			const out = await nodeGetToken(
				router,
				'clientSecret',
				clientCredentials({ clientAuthentication: method }),
			);
			expect(production.log[0]).toMatchObject({
				grantType: 'client_credentials',
				auth: method === 'client_secret_basic' ? 'basic' : 'body',
				status: 200,
				publicOrigin: 'https://acme.my.salesforce.com',
			});
			expect(out).toMatchObject({
				token_type: 'Bearer',
				instance_url: 'https://acme.my.salesforce.com',
				expires_at_source: 'issued_at+lifespan',
			});
			expect(typeof out.signature).toBe('string');
			expect(out.issued_at).toMatch(/^\d{13}$/);
			expect(out.expires_in).toBeUndefined();
			expect(ms(out.expires_at)).toBe(Number(out.issued_at) + 7200 * 1000);
			expectNoSecrets(out, [consumerSecret]);
		},
	);

	it('a session timeout set on the credential is used', async () => {
		const out = await nodeGetToken(
			router,
			'clientSecret',
			clientCredentials({ salesforceSessionTimeout: 900 }),
		);
		expect(ms(out.expires_at)).toBe(Number(out.issued_at) + 900 * 1000);
	});

	it.each(['production', 'sandbox'])(
		'client credentials on %s (login/test.salesforce.com, which answer "request not supported on this domain") is refused before any request, with the My Domain hint',
		async (salesforceEnvironment) => {
			const error = await expectNodeError(
				async () =>
					await nodeGetToken(router, 'clientSecret', clientCredentials({ salesforceEnvironment })),
			);
			expect(router.paths()).toEqual([]);
			expect(error.message).toMatch(/not supported on (login|test)\.salesforce\.com/);
			expect(error.description).toMatch(/My Domain/);
		},
	);

	it('"request not supported on this domain" from the server still gets the My Domain hint', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					// A token URL typed by hand bypasses the preset's check, as a Generic credential would.
					{
						...clientCredentials(),
						provider: 'generic',
						tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
					},
				),
		);
		expect(router.paths()).toEqual(['/services/oauth2/token']);
		expect(error.message).toMatch(/request not supported on this domain/);
	});

	it('JWT bearer with an empty Subject is refused before any request, naming Subject', async () => {
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', jwtBearer({ subject: '' })),
		);
		expect(router.paths()).toEqual([]);
		expect(error.message).toMatch(/"Subject" is empty/);
		expect(error.description).toMatch(/username/);
	});

	it('"no client credentials user enabled": the hint says to choose a Run As user', async () => {
		production.config.runAsUser = undefined;
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'clientSecret', clientCredentials()),
		);
		expect(error.message).toMatch(/no client credentials user enabled/);
		expect(error.description).toMatch(/Run As/);
	});

	it('a wrong consumer secret: invalid_client, and no secret in the error', async () => {
		const wrong = runtimeValue('wrong');
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', clientCredentials({ clientSecret: wrong })),
		);
		expect(error.message).toMatch(/invalid_client \(invalid client credentials\)/);
		expect(error.description).toMatch(/client ID and secret/);
		expectNoSecrets(error, [wrong, consumerSecret]);
	});
});

describe('Salesforce revoke and introspect', () => {
	it('revoke answers 200, and 400 invalid_token for an already revoked token, which the preset counts as revoked', async () => {
		const out = await nodeGetToken(router, 'clientSecret', clientCredentials());
		const config = clientConfigFromCredential('clientSecret', clientCredentials());
		const first = await revokeToken(config, out.access_token as string, router.send);
		expect(first).toMatchObject({
			status: 200,
			alreadyInvalid: false,
			revocationEndpoint: 'https://acme.my.salesforce.com/services/oauth2/revoke',
		});
		const second = await revokeToken(config, out.access_token as string, router.send);
		expect(second).toMatchObject({ status: 400, alreadyInvalid: true });
		const revokes = production.log.filter((entry) => entry.path === '/services/oauth2/revoke');
		expect(revokes.map((entry) => [entry.method, entry.status, entry.error])).toEqual([
			['POST', 200, null],
			['POST', 400, 'invalid_token'],
		]);
		expect(revokes[0].formKeys).toContain('token');
	});

	it('introspection gives the exact expiry of the opaque token (exp = issue time + session timeout)', async () => {
		const out = await nodeGetToken(router, 'clientSecret', clientCredentials());
		const config = clientConfigFromCredential('clientSecret', clientCredentials());
		const result = await introspectToken(config, out.access_token as string, router.send);
		expect(result.response.active).toBe(true);
		expect(result.introspectionEndpoint).toBe(
			'https://acme.my.salesforce.com/services/oauth2/introspect',
		);
		expect(result.expiresAt).toBe(Math.floor(Number(out.issued_at) / 1000) * 1000 + 7200 * 1000);
		await revokeToken(config, out.access_token as string, router.send);
		expect(
			(await introspectToken(config, out.access_token as string, router.send)).response,
		).toEqual({ active: false });
	});
});

describe('Salesforce Check Expiry', () => {
	it('a Get Token output (client credentials) is Valid until issued_at + session timeout, source issued_at+lifespan', async () => {
		const out = await nodeGetToken(router, 'clientSecret', clientCredentials());
		const { output, expiry } = await nodeCheckExpiry(router, 'none', undefined, out);
		expect(output).toBe('valid');
		expect(expiry.access_token).toMatchObject({
			source: 'issued_at+lifespan',
			expired: false,
			needs_refresh: false,
		});
		expect(ms((expiry.access_token as Record<string, unknown>).expires_at)).toBe(
			Number(out.issued_at) + 7200 * 1000,
		);
	});

	it('a raw Salesforce response (issued_at, no expires_in) with the credential: issued_at (ms) + the session timeout; two hours later, Needs Refresh', async () => {
		const fresh = {
			access_token: runtimeValue('00D!AQ'),
			instance_url: 'https://acme.my.salesforce.com',
			token_type: 'Bearer',
			issued_at: String(Date.now() - 60_000),
		};
		const valid = await nodeCheckExpiry(router, 'clientSecret', clientCredentials(), fresh);
		expect(valid.output).toBe('valid');
		expect(valid.expiry.access_token).toMatchObject({ source: 'issued_at+lifespan' });
		expect(ms((valid.expiry.access_token as Record<string, unknown>).expires_at)).toBe(
			Number(fresh.issued_at) + 7200 * 1000,
		);
		const old = { ...fresh, issued_at: String(Date.now() - 7300 * 1000) };
		const stale = await nodeCheckExpiry(router, 'clientSecret', clientCredentials(), old);
		expect(stale.output).toBe('needsRefresh');
		expect(stale.expiry).toMatchObject({ reason: 'access_token_expired' });
		expect(router.calls).toEqual([]);
	});

	it('an opaque token with no time at all: unknown, never Valid; with "Introspect When Expiry Is Unknown" the exp comes from Salesforce', async () => {
		const out = await nodeGetToken(router, 'clientSecret', clientCredentials());
		const bare = {
			access_token: out.access_token,
			instance_url: out.instance_url,
			token_type: 'Bearer',
		};
		const unknown = await nodeCheckExpiry(router, 'none', undefined, bare);
		expect(unknown.output).toBe('needsRefresh');
		expect(unknown.expiry).toMatchObject({ reason: 'access_token_expiry_unknown' });
		expect(unknown.expiry.access_token).toMatchObject({ source: 'unknown', expires_at: null });
		router.reset();
		const introspected = await nodeCheckExpiry(router, 'clientSecret', clientCredentials(), bare, {
			introspectWhenUnknown: true,
		});
		expect(introspected.output).toBe('valid');
		expect(introspected.expiry.access_token).toMatchObject({ source: 'introspection' });
		expect(ms((introspected.expiry.access_token as Record<string, unknown>).expires_at)).toBe(
			Math.floor(Number(out.issued_at) / 1000) * 1000 + 7200 * 1000,
		);
		expect(router.paths()).toEqual(['/services/oauth2/introspect']);
	});
});
