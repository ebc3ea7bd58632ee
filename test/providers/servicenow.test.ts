/**
 * The ServiceNow preset against a local ServiceNow emulator (./emulators/servicenow.ts).
 *
 * Documentation followed (details in the emulator): ServiceNow/ServiceNowDocs
 * r_OAuthAPIRequestParameters.md and r_OAuthAPIResponseParameters.md (oauth_token.do, body
 * parameters, {"scope":"useraccount","token_type":"Bearer","expires_in":1800,…}),
 * client-credentials.md + add-oauth-application-user.md (grant off by default), jwt-bearer-grant.md
 * (aud: token endpoint, or the client ID in older releases), t_RevokeOAuthToken.md
 * (oauth_revoke_token.do?token=, no authentication), and the seed document shared/seeds/000
 * (KB0791140: 30 minutes / 100 days; a repeated request returns the same valid token with a
 * renewed expiry and renews the refresh token's expiry).
 */
import { type ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	clientConfigFromCredential,
	getToken,
	refreshToken,
	revokeToken,
	sharedTokenCache,
	TokenCache,
	type TokenResult,
} from '../../protocol';
import { ProviderRouter } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { JWT_BEARER, startServiceNow, type ServiceNowEmulator } from './emulators/servicenow';
import {
	expectNodeError,
	expectRejection,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	rsaKey,
	runtimeValue,
} from './helpers';

const DAY_MS = 86_400_000;
const key = rsaKey();
const clientId = runtimeValue('sn-client').replace(/-/g, '').slice(0, 32);
const clientSecret = runtimeValue('sn-secret');
const userPassword = runtimeValue('pw');

let instance: ServiceNowEmulator;
let router: ProviderRouter;

beforeAll(async () => {
	instance = await startServiceNow({
		instanceHost: 'dev12345.service-now.com',
		clientId,
		clientSecret,
		users: { 'integration.user': userPassword, 'jwt.user': runtimeValue('unused') },
		clientCredentialsEnabled: false,
		applicationUser: undefined,
		accessTokenLifespan: 1800,
		refreshTokenLifespan: 8_640_000,
		jwt: { publicKey: key.publicKey, audienceRule: 'tokenEndpoint' },
	});
	router = new ProviderRouter({ 'https://dev12345.service-now.com': instance.baseUrl });
});
afterAll(async () => await instance.close());
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	instance.log.length = 0;
	instance.resetClock();
	instance.config.clientCredentialsEnabled = false;
	instance.config.applicationUser = undefined;
	instance.config.jwt = { publicKey: key.publicKey, audienceRule: 'tokenEndpoint' };
	instance.accessTokens.clear();
	instance.refreshTokens.clear();
});

function passwordGrant(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		provider: 'servicenow',
		servicenowInstance: 'dev12345',
		clientId,
		clientSecret,
		clientAuthentication: 'client_secret_post',
		grantType: 'password',
		username: 'integration.user',
		password: userPassword,
		...extra,
	};
}

describe('ServiceNow password grant (the common setup)', () => {
	it('posts client_id, client_secret, username and password in the body to /oauth_token.do; 1800 s access, 100-day refresh default', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordGrant());
		expect(router.calls.map((call) => `${call.method} ${call.origin}${call.path}`)).toEqual([
			'POST https://dev12345.service-now.com/oauth_token.do',
		]);
		expect(instance.log[0]).toMatchObject({ grantType: 'password', auth: 'body', status: 200 });
		expect(instance.log[0].formKeys.sort()).toEqual([
			'client_id',
			'client_secret',
			'grant_type',
			'password',
			'username',
		]);
		expect(out).toMatchObject({
			scope: 'useraccount',
			token_type: 'Bearer',
			expires_in: 1800,
			expires_at_source: 'expires_in',
			refresh_token_expires_at_source: 'default_lifespan',
		});
		expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(1800 * 1000);
		expect(ms(out.refresh_token_expires_at) - ms(out.obtained_at)).toBe(100 * DAY_MS);
		expectNoSecrets(out, [clientSecret, userPassword]);
	});

	it('the instance may be given as a URL; third-party token lifespans are 30 / 365 days', async () => {
		const out = await nodeGetToken(
			router,
			'clientSecret',
			passwordGrant({
				servicenowInstance: 'https://dev12345.service-now.com/',
				servicenowTokenSource: 'thirdParty',
			}),
		);
		expect(router.paths()).toEqual(['/oauth_token.do']);
		expect(ms(out.refresh_token_expires_at) - ms(out.obtained_at)).toBe(365 * DAY_MS);
	});

	it('a repeated request returns the same access token with a renewed expiry, and Get Token reports the renewed expiry (protocol, shared clock)', async () => {
		const config = clientConfigFromCredential('clientSecret', passwordGrant());
		const cache = new TokenCache<TokenResult>();
		const now = () => instance.now();
		const first = await getToken(config, router.send, { now, cache });
		instance.advance(10 * 60 * 1000);
		const cached = await getToken(config, router.send, { now, cache });
		expect(cached).toMatchObject({ reused: true });
		expect(cached.times.accessExpiresAt).toBe(first.times.accessExpiresAt);
		const renewed = await getToken(config, router.send, { now, cache, forceNew: true });
		expect(renewed.reused).toBe(false);
		expect(renewed.token.access_token).toBe(first.token.access_token);
		expect(renewed.token.refresh_token).toBe(first.token.refresh_token);
		// Renewed by the 10 minutes that passed (plus the few real milliseconds the test took).
		const renewedBy =
			(renewed.times.accessExpiresAt as number) - (first.times.accessExpiresAt as number);
		expect(renewedBy).toBeGreaterThanOrEqual(10 * 60 * 1000);
		expect(renewedBy).toBeLessThan(10 * 60 * 1000 + 1000);
		expect(
			(renewed.times.refreshExpiresAt as number) - (first.times.refreshExpiresAt as number),
		).toBe(renewedBy);
		// What Get Token reports is what the instance now has on record (oauth_credential).
		const onRecord = instance.accessTokens.get('integration.user');
		expect(
			Math.abs((onRecord?.expiresAt ?? 0) - (renewed.times.accessExpiresAt as number)),
		).toBeLessThan(1000);
		expect(instance.log.filter((entry) => entry.path === '/oauth_token.do')).toHaveLength(2);
		// The cache now holds the renewed figure.
		expect((await getToken(config, router.send, { now, cache })).times.accessExpiresAt).toBe(
			renewed.times.accessExpiresAt,
		);
	});

	it('through the node: "Always Request a New Token" gets the same token and a later expiry', async () => {
		const first = await nodeGetToken(router, 'clientSecret', passwordGrant());
		await new Promise((resolve) => setTimeout(resolve, 25));
		const again = await nodeGetToken(router, 'clientSecret', passwordGrant(), { forceNew: true });
		expect(again.access_token).toBe(first.access_token);
		expect(again.reused_cached_token).toBe(false);
		expect(ms(again.expires_at)).toBeGreaterThan(ms(first.expires_at));
		expect(ms(again.expires_at) - ms(again.obtained_at)).toBe(1800 * 1000);
		const reused = await nodeGetToken(router, 'clientSecret', passwordGrant());
		expect(reused).toMatchObject({ reused_cached_token: true, expires_at: again.expires_at });
		expect(instance.log).toHaveLength(2);
	});

	it('a client secret in a Basic header is refused (ServiceNow reads client_id and client_secret from the body): the hint says so', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					passwordGrant({ clientAuthentication: 'client_secret_basic' }),
				),
		);
		expect(instance.log[0]).toMatchObject({ auth: 'basic', status: 401 });
		expect(error.message).toMatch(/server_error \(access_denied\)/);
		expect(error.description).toMatch(/In the Request Body/);
	});

	it('a wrong password: 401 access_denied, the hint names the user credentials, no secret in the error', async () => {
		const wrong = runtimeValue('wrong');
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'clientSecret', passwordGrant({ password: wrong })),
		);
		expect(error.description).toMatch(/user name or password/);
		expect(error.description).toMatch(/locked/);
		expectNoSecrets(error, [wrong, clientSecret, userPassword]);
	});
});

describe('ServiceNow refresh and revoke', () => {
	it('refresh: grant_type=refresh_token in the body; a new access token and the same refresh token back', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordGrant());
		const config = clientConfigFromCredential('clientSecret', passwordGrant());
		const refreshed = await refreshToken(config, out.refresh_token as string, router.send);
		expect(refreshed.rotated).toBe(false);
		expect(refreshed.token.refresh_token).toBe(out.refresh_token);
		expect(refreshed.token.access_token).not.toBe(out.access_token);
		expect(refreshed.times).toMatchObject({ accessSource: 'expires_in' });
		expect((refreshed.times.accessExpiresAt as number) - refreshed.times.obtainedAt).toBe(
			1800 * 1000,
		);
		const seen = instance.log[1];
		expect(seen).toMatchObject({ grantType: 'refresh_token', auth: 'body', status: 200 });
		expect(seen.formKeys.sort()).toEqual([
			'client_id',
			'client_secret',
			'grant_type',
			'refresh_token',
		]);
	});

	it('an expired or revoked refresh token: the hint says to get a new token with the original grant', async () => {
		const config = clientConfigFromCredential('clientSecret', passwordGrant());
		const error = await expectRejection(
			async () => await refreshToken(config, runtimeValue('unknown-refresh'), router.send),
		);
		expect(error.message).toBe('server_error: access_denied');
		expect((error as { hint?: string }).hint).toMatch(/refresh token/);
		expect((error as { hint?: string }).hint).toMatch(/original grant/);
	});

	it('revoke: GET oauth_revoke_token.do?token= without client authentication; the instance then issues a new token', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordGrant());
		const config = clientConfigFromCredential('clientSecret', passwordGrant());
		const result = await revokeToken(config, out.access_token as string, router.send);
		expect(result).toMatchObject({
			status: 200,
			revocationEndpoint: 'https://dev12345.service-now.com/oauth_revoke_token.do',
		});
		const seen = instance.log[1];
		expect(seen).toMatchObject({
			method: 'GET',
			path: '/oauth_revoke_token.do',
			auth: 'none',
			queryKeys: ['token'],
			status: 200,
		});
		expect(seen.formKeys).toEqual([]);
		const again = await nodeGetToken(router, 'clientSecret', passwordGrant(), { forceNew: true });
		expect(again.access_token).not.toBe(out.access_token);
	});
});

describe('ServiceNow client credentials', () => {
	it('off by default: the hint names the system property and the OAuth Application User', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					passwordGrant({ grantType: 'clientCredentials' }),
				),
		);
		expect(instance.log[0]).toMatchObject({ grantType: 'client_credentials', status: 401 });
		expect(error.description).toMatch(
			/glide\.oauth\.inbound\.client\.credential\.grant_type\.enabled/,
		);
		expect(error.description).toMatch(/OAuth Application User/);
	});

	it('once enabled: a token for the application user, no refresh token', async () => {
		instance.config.clientCredentialsEnabled = true;
		instance.config.applicationUser = 'integration.user';
		const out = await nodeGetToken(
			router,
			'clientSecret',
			passwordGrant({ grantType: 'clientCredentials' }),
		);
		expect(out).toMatchObject({ scope: 'useraccount', expires_in: 1800 });
		expect(out.refresh_token).toBeUndefined();
		expect(out.refresh_token_expires_at).toBeUndefined();
	});
});

describe('ServiceNow JWT bearer (the audience its documentation disagrees on)', () => {
	function jwtBearer(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
		return {
			provider: 'servicenow',
			servicenowInstance: 'dev12345',
			clientId,
			privateKey: key.privatePem,
			grantType: 'jwtBearer',
			clientAuthentication: 'none',
			subject: 'jwt.user',
			...extra,
		};
	}

	it('aud = token endpoint (current docs, the default) works; the assertion carries a fresh jti', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', jwtBearer());
		expect(out).toMatchObject({ scope: 'useraccount', expires_in: 1800 });
		expect(instance.log[0]).toMatchObject({ grantType: JWT_BEARER, status: 200 });
		expect(instance.log[0].assertion?.payload).toMatchObject({
			iss: clientId,
			sub: 'jwt.user',
			aud: 'https://dev12345.service-now.com/oauth_token.do',
		});
		expect(typeof instance.log[0].assertion?.payload.jti).toBe('string');
	});

	it('an instance that wants aud = client ID (older docs) refuses the default; the hint says to try the client ID, and Custom audience works', async () => {
		instance.config.jwt = { publicKey: key.publicKey, audienceRule: 'clientId' };
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', jwtBearer()),
		);
		expect(error.description).toMatch(/Assertion Audience/);
		expect(error.description).toMatch(/client ID/);
		const out = await nodeGetToken(
			router,
			'privateKeyJwt',
			jwtBearer({ assertionAudience: 'custom', customAudience: clientId }),
		);
		expect(out.token_type).toBe('Bearer');
		expect(instance.log.map((entry) => entry.status)).toEqual([401, 200]);
	});
});

describe('ServiceNow Check Expiry', () => {
	it('a Get Token output is Valid; the refresh token expiry is the 100-day default', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordGrant());
		const { output, expiry } = await nodeCheckExpiry(router, 'none', undefined, out);
		expect(output).toBe('valid');
		expect(expiry.access_token).toMatchObject({ source: 'expires_in', expired: false });
		expect(expiry.refresh_token).toMatchObject({ source: 'default_lifespan', expired: false });
		expect(
			ms((expiry.refresh_token as Record<string, unknown>).expires_at) - ms(out.obtained_at),
		).toBe(100 * DAY_MS);
	});

	it("a stored set with only obtained_at: the preset's 1800 s and 100 days; 26 minutes later it Needs Refresh (5-minute margin)", async () => {
		const stored = {
			access_token: runtimeValue('at'),
			refresh_token: runtimeValue('rt'),
			obtained_at: new Date(Date.now() - 26 * 60 * 1000).toISOString(),
		};
		const { output, expiry } = await nodeCheckExpiry(
			router,
			'clientSecret',
			passwordGrant(),
			stored,
		);
		expect(output).toBe('needsRefresh');
		expect(expiry).toMatchObject({ reason: 'access_token_expires_within_margin' });
		expect(expiry.access_token).toMatchObject({
			source: 'default_lifespan',
			expired: false,
			needs_refresh: true,
		});
		expect(expiry.refresh_token).toMatchObject({
			source: 'default_lifespan',
			expired: false,
			needs_refresh: false,
		});
		expect(router.calls).toEqual([]);
	});
});
