/**
 * The Keycloak preset against a local Keycloak realm (./emulators/keycloak.ts).
 *
 * Documentation followed: keycloak.org/securing-apps/oidc-layers (realm endpoints under
 * {base}/realms/{realm}/protocol/openid-connect; client secret, Signed JWT, Signed JWT with client
 * secret; audience = realm issuer or token endpoint), the token response fields listed in
 * shared/reference §2 (refresh_expires_in, 0 for offline tokens; not-before-policy;
 * session_state), and the error texts of Keycloak's source quoted in the emulator.
 */
import { generateKeyPairSync } from 'node:crypto';

import { type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { sharedTokenCache } from '../../protocol';
import { ProviderRouter } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { startKeycloak, type KeycloakEmulator } from './emulators/keycloak';
import {
	expectNodeError,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	nodeOperation,
	rsaKey,
	runtimeValue,
} from './helpers';

const BASE = 'https://sso.acme.example';
const REALM = 'Acme';
const key = rsaKey();
const clientSecret = runtimeValue('kc-secret');
const userPassword = runtimeValue('kc-pw');

let keycloak: KeycloakEmulator;
let legacy: KeycloakEmulator;
let router: ProviderRouter;

async function realm(basePath: string): Promise<KeycloakEmulator> {
	return await startKeycloak({
		basePath,
		realm: REALM,
		clients: [
			{ clientId: 'n8n-secret', secret: clientSecret, serviceAccountsEnabled: true },
			{ clientId: 'n8n-jwt', publicKey: key.publicKey, serviceAccountsEnabled: true },
			{ clientId: 'n8n-frontend', secret: clientSecret, serviceAccountsEnabled: false },
		],
		users: { ops: userPassword },
		accessTokenLifespan: 300,
		ssoSessionIdle: 1800,
		signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
	});
}

beforeAll(async () => {
	keycloak = await realm('');
	legacy = await realm('/auth');
	router = new ProviderRouter({
		[BASE]: keycloak.baseUrl,
		'https://old-sso.acme.example': legacy.baseUrl,
	});
});
afterAll(async () => {
	await keycloak.close();
	await legacy.close();
});
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	keycloak.log.length = 0;
	legacy.log.length = 0;
	keycloak.resetClock();
});

function secretCredential(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		provider: 'keycloak',
		keycloakBaseUrl: BASE,
		keycloakRealm: REALM,
		clientId: 'n8n-secret',
		clientSecret,
		clientAuthentication: 'client_secret_basic',
		grantType: 'clientCredentials',
		...extra,
	};
}

function keyCredential(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		provider: 'keycloak',
		keycloakBaseUrl: BASE,
		keycloakRealm: REALM,
		clientId: 'n8n-jwt',
		privateKey: key.privatePem,
		grantType: 'clientCredentials',
		...extra,
	};
}

function passwordCredential(scope = ''): ICredentialDataDecryptedObject {
	return secretCredential({
		grantType: 'password',
		username: 'ops',
		password: userPassword,
		scope,
	});
}

const TOKEN_PATH = `/realms/${REALM}/protocol/openid-connect/token`;

describe('Keycloak client credentials', () => {
	it('client secret (Basic): the realm token endpoint; expires_in 300, refresh_expires_in 0 and no refresh token', async () => {
		const out = await nodeGetToken(router, 'clientSecret', secretCredential());
		expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
			`${BASE}${TOKEN_PATH}`,
		]);
		expect(keycloak.log[0]).toMatchObject({
			auth: 'basic',
			grantType: 'client_credentials',
			status: 200,
		});
		expect(out).toMatchObject({
			token_type: 'Bearer',
			expires_in: 300,
			refresh_expires_in: 0,
			'not-before-policy': 0,
			expires_at_source: 'expires_in',
		});
		expect(out.refresh_token).toBeUndefined();
		expect(out.refresh_token_expires_at).toBeUndefined();
		expectNoSecrets(out, [clientSecret]);
	});

	it('Signed JWT (private_key_jwt): aud = the realm issuer by default, or the token endpoint when chosen', async () => {
		await nodeGetToken(router, 'privateKeyJwt', keyCredential());
		await nodeGetToken(
			router,
			'privateKeyJwt',
			keyCredential({ assertionAudience: 'tokenEndpoint' }),
			{ forceNew: true },
		);
		expect(keycloak.log.map((entry) => [entry.status, entry.assertion?.payload.aud])).toEqual([
			[200, `${BASE}/realms/${REALM}`],
			[200, `${BASE}${TOKEN_PATH}`],
		]);
	});

	it('a wrong custom audience really fails with Keycloak\'s words; the hint points to "Assertion Audience"', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					keyCredential({ assertionAudience: 'custom', customAudience: BASE }),
				),
		);
		expect(error.message).toMatch(
			/invalid_client \(Client authentication with signed JWT failed: Token audience doesn't match domain/,
		);
		expect(error.description).toMatch(/Assertion Audience/);
	});

	it('an expired assertion ("Token is not active"): the hint names the host clock', async () => {
		keycloak.advance(10 * 60 * 1000);
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', keyCredential()),
		);
		expect(error.message).toMatch(/Token is not active/);
		expect(error.description).toMatch(/clock \(NTP\)/);
	});

	it('a client without a service account: the hint says to turn on "Service accounts roles"', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', secretCredential({ clientId: 'n8n-frontend' })),
		);
		expect(error.message).toMatch(/Client not enabled to retrieve service account/);
		expect(error.description).toMatch(/Service accounts roles/);
	});

	it('an unknown realm: 404 "Realm does not exist", and the hint names Realm and /auth', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', secretCredential({ keycloakRealm: 'acme' })),
		);
		expect(error.message).toMatch(/Realm does not exist/);
		expect(error.description).toMatch(/case-sensitive/);
		expect(error.description).toMatch(/\/auth/);
	});

	it('Keycloak 16 and older: a base URL ending in /auth is kept', async () => {
		await nodeGetToken(
			router,
			'clientSecret',
			secretCredential({ keycloakBaseUrl: 'https://old-sso.acme.example/auth/' }),
		);
		expect(router.paths()).toEqual([`/auth${TOKEN_PATH}`]);
		expect(legacy.log[0].status).toBe(200);
	});
});

describe('Keycloak password grant, refresh, revoke and introspect', () => {
	it("refresh_expires_in sets the refresh token's expiry; each refresh rotates it and a reused one is refused", async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordCredential());
		expect(out).toMatchObject({
			refresh_expires_in: 1800,
			refresh_token_expires_at_source: 'refresh_expires_in',
		});
		expect(ms(out.refresh_token_expires_at) - ms(out.obtained_at)).toBe(1800 * 1000);
		const [refreshed] = await nodeOperation(
			router,
			'clientSecret',
			passwordCredential(),
			'refreshToken',
			{ refreshToken: out.refresh_token, scope: '' },
		);
		expect(refreshed[0].refresh_token).not.toBe(out.refresh_token);
		expect(refreshed[0]).toMatchObject({ refresh_token_expires_at_source: 'refresh_expires_in' });
		const error = await expectNodeError(
			async () =>
				await nodeOperation(router, 'clientSecret', passwordCredential(), 'refreshToken', {
					refreshToken: out.refresh_token,
					scope: '',
				}),
		);
		expect(error.message).toMatch(/invalid_grant \(Maximum allowed refresh token reuse exceeded\)/);
		expect(error.description).toMatch(/newest refresh token/);
	});

	it('an offline token: refresh_expires_in 0 means the refresh token does not expire', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordCredential('offline_access'));
		expect(out).toMatchObject({
			refresh_expires_in: 0,
			refresh_token_expires_at: null,
			refresh_token_expires_at_source: 'no_expiry',
		});
	});

	it('a wrong password: invalid_grant "Invalid user credentials", the hint names Username and Password', async () => {
		const wrong = runtimeValue('wrong');
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					secretCredential({ grantType: 'password', username: 'ops', password: wrong }),
				),
		);
		expect(error.message).toMatch(/Invalid user credentials/);
		expect(error.description).toMatch(/"Username" and "Password"/);
		expectNoSecrets(error, [wrong, userPassword, clientSecret]);
	});

	it('revoke (RFC 7009, client authenticated) and introspection (RFC 7662) at the realm endpoints', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', keyCredential());
		const [before] = await nodeOperation(
			router,
			'privateKeyJwt',
			keyCredential(),
			'introspectToken',
			{ token: out.access_token, tokenTypeHint: 'access_token' },
		);
		expect(before[0]).toMatchObject({ active: true, client_id: 'n8n-jwt' });
		const [revoked] = await nodeOperation(router, 'privateKeyJwt', keyCredential(), 'revokeToken', {
			token: out.access_token,
			tokenTypeHint: 'access_token',
			options: {},
		});
		expect(revoked[0]).toMatchObject({
			revoked: true,
			http_status: 200,
			revocation_endpoint: `${BASE}/realms/${REALM}/protocol/openid-connect/revoke`,
		});
		const [after] = await nodeOperation(
			router,
			'privateKeyJwt',
			keyCredential(),
			'introspectToken',
			{ token: out.access_token, tokenTypeHint: 'access_token' },
		);
		expect(after[0]).toMatchObject({ active: false });
		expect(router.paths()).toEqual([
			TOKEN_PATH,
			`${TOKEN_PATH}/introspect`,
			`/realms/${REALM}/protocol/openid-connect/revoke`,
			`${TOKEN_PATH}/introspect`,
		]);
		// Keycloak accepts the token endpoint as audience at its other endpoints too.
		expect(
			keycloak.log.every((entry) => entry.status === 200 && entry.auth === 'client_assertion'),
		).toBe(true);
	});
});

describe('Keycloak Check Expiry', () => {
	it('password grant output: access 5 minutes, Valid with the default margin (a fifth of the lifetime, 60 s); a 301-second margin the user sets sends it to Needs Refresh; refresh token from refresh_expires_in', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordCredential());
		const { output, expiry } = await nodeCheckExpiry(router, 'none', undefined, out);
		expect(output).toBe('valid');
		expect(expiry).toMatchObject({ margin_seconds: 60, reason: null });
		expect(expiry.refresh_token).toMatchObject({ source: 'refresh_expires_in', expired: false });
		const withLargeMargin = await nodeCheckExpiry(
			router,
			'none',
			undefined,
			out,
			{},
			{ refreshMargin: 301 },
		);
		expect(withLargeMargin.output).toBe('needsRefresh');
		expect(withLargeMargin.expiry).toMatchObject({ reason: 'access_token_expires_within_margin' });
	});

	it('the raw response stored with obtained_at: refresh_expires_in counts from it; an offline token never expires', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordCredential());
		const raw = {
			access_token: out.access_token,
			refresh_token: out.refresh_token,
			expires_in: 300,
			refresh_expires_in: 1800,
			obtained_at: new Date(Date.now() - 20 * 60 * 1000).toISOString(),
		};
		const stale = await nodeCheckExpiry(router, 'none', undefined, raw);
		expect(stale.output).toBe('needsRefresh');
		expect(stale.expiry).toMatchObject({ reason: 'access_token_expired' });
		expect(stale.expiry.refresh_token).toMatchObject({
			source: 'refresh_expires_in',
			expired: false,
		});
		const offline = await nodeGetToken(
			router,
			'clientSecret',
			passwordCredential('offline_access'),
		);
		const { expiry } = await nodeCheckExpiry(router, 'none', undefined, offline);
		expect(expiry.refresh_token).toMatchObject({
			source: 'no_expiry',
			human: 'never expires',
			expired: false,
		});
	});
});
