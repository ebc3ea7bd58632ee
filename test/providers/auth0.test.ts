/**
 * The Auth0 preset against a local Auth0 tenant (./emulators/auth0.ts).
 *
 * Documentation followed: auth0.com/docs/get-started/authentication-and-authorization-flow/
 * authenticate-with-private-key-jwt (aud = https://{tenant domain}/ with the trailing slash,
 * lifetime at most 5 minutes, jti single use), client-credentials-flow and the Authentication API
 * (/oauth/token with the `audience` parameter; the access_denied answers quoted in the emulator;
 * password grant with offline_access and the refresh_token grant; /oauth/revoke for refresh tokens).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { type ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	attemptAsync,
	clientConfigFromCredential,
	getToken,
	OAuthResponseError,
	sharedTokenCache,
	type ClientConfig,
} from '../../protocol';
import { ProviderRouter } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { startAuth0, type Auth0Emulator } from './emulators/auth0';
import {
	expectNodeError,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	nodeOperation,
	rsaKey,
	runtimeValue,
} from './helpers';

const DOMAIN = 'https://acme.eu.auth0.com';
const API = 'https://api.acme.example';
const key = rsaKey();
/** Auth0-style client ids (32 characters), made at run time. */
const auth0ClientId = () => randomUUID().replace(/-/g, '');
const keyClient = auth0ClientId();
const secretClient = auth0ClientId();
const otherClient = auth0ClientId();
const clientSecret = runtimeValue('auth0-secret');
const userPassword = runtimeValue('auth0-pw');

let auth0: Auth0Emulator;
let router: ProviderRouter;

beforeAll(async () => {
	auth0 = await startAuth0({
		apis: { [API]: { clients: [keyClient, secretClient] } },
		clients: [
			{ clientId: keyClient, publicKey: key.publicKey, alg: 'RS256' },
			{ clientId: secretClient, secret: clientSecret },
			{ clientId: otherClient, secret: clientSecret },
		],
		users: { 'ops@acme.example': userPassword },
		signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
	});
	router = new ProviderRouter({ [DOMAIN]: auth0.baseUrl });
});
afterAll(async () => await auth0.close());
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	auth0.log.length = 0;
	auth0.resetClock();
});

function keyCredential(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		provider: 'auth0',
		auth0Domain: new URL(DOMAIN).host,
		clientId: keyClient,
		privateKey: key.privatePem,
		grantType: 'clientCredentials',
		audience: API,
		...extra,
	};
}

function secretCredential(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		provider: 'auth0',
		auth0Domain: `${DOMAIN}/`,
		clientId: secretClient,
		clientSecret,
		clientAuthentication: 'client_secret_post',
		grantType: 'clientCredentials',
		audience: API,
		...extra,
	};
}

describe('Auth0 client credentials', () => {
	it('private_key_jwt: aud = https://{domain}/ with the trailing slash, a lifetime within 5 minutes, the audience parameter sent', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', keyCredential());
		expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
			`${DOMAIN}/oauth/token`,
		]);
		const seen = auth0.log[0];
		expect(seen).toMatchObject({
			auth: 'client_assertion',
			grantType: 'client_credentials',
			status: 200,
		});
		expect(seen.formKeys).toContain('audience');
		expect(seen.assertion?.payload).toMatchObject({
			iss: keyClient,
			sub: keyClient,
			aud: `${DOMAIN}/`,
		});
		expect(
			(seen.assertion?.payload.exp as number) - (seen.assertion?.payload.iat as number),
		).toBeLessThanOrEqual(300);
		expect(out).toMatchObject({
			token_type: 'Bearer',
			expires_in: 86400,
			expires_at_source: 'expires_in',
		});
		expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(86400 * 1000);
	});

	it('client_secret_post: works, and no secret in the output', async () => {
		const out = await nodeGetToken(router, 'clientSecret', secretCredential());
		expect(auth0.log[0]).toMatchObject({ auth: 'body', status: 200 });
		expectNoSecrets(out, [clientSecret]);
	});

	it('an assertion lifetime over 5 minutes is refused before any request', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', keyCredential({ assertionLifetime: 600 })),
		);
		expect(error.message).toMatch(
			/^Assertion Lifetime: Auth0 accepts assertions that live at most 300 seconds/,
		);
		expect(router.calls).toEqual([]);
	});

	it('a wrong assertion audience really fails (aud without the trailing slash), and the Auth0 hint names the domain rule', async () => {
		const config = clientConfigFromCredential('privateKeyJwt', keyCredential());
		const auth = config.auth as Extract<ClientConfig['auth'], { method: 'private_key_jwt' }>;
		const wrong: ClientConfig = {
			...config,
			auth: {
				...auth,
				assertion: { ...auth.assertion, audienceMode: 'custom', customAudience: DOMAIN },
			},
		};
		const outcome = await attemptAsync(async () => await getToken(wrong, router.send));
		const error = (outcome as { error: OAuthResponseError }).error;
		expect(error).toBeInstanceOf(OAuthResponseError);
		expect(error.error).toBe('invalid_client');
		expect(error.errorDescription).toMatch(/aud claim must be https:\/\/acme\.eu\.auth0\.com\//);
		expect(error.hint).toMatch(/trailing slash/);
	});

	it('no audience parameter: 403 access_denied, and the hint asks for the API identifier', async () => {
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'clientSecret', secretCredential({ audience: '' })),
		);
		expect(error.message).toMatch(/access_denied \(No audience parameter was provided/);
		expect(error.description).toMatch(/API Identifier/);
	});

	it('an unknown API: "Service not enabled within domain", the same hint', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					secretCredential({ audience: 'https://api.unknown.example' }),
				),
		);
		expect(error.message).toMatch(/Service not enabled within domain/);
		expect(error.description).toMatch(/API Identifier/);
	});

	it('an application not authorized for the API: the hint says to authorize it', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', secretCredential({ clientId: otherClient })),
		);
		expect(error.message).toMatch(/Client is not authorized to access/);
		expect(error.description).toMatch(/authorize the application for the API/);
	});

	it('a wrong client secret: 401 access_denied "Unauthorized", and the hint is about the credentials, not the API', async () => {
		const wrong = runtimeValue('wrong');
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', secretCredential({ clientSecret: wrong })),
		);
		expect(error.message).toMatch(/access_denied \(Unauthorized\)/);
		expect(error.description).toMatch(/client ID or secret is wrong/);
		expectNoSecrets(error, [wrong, clientSecret]);
	});
});

describe('Auth0 refresh and revoke (password grant with offline_access)', () => {
	function passwordCredential(): ICredentialDataDecryptedObject {
		return secretCredential({
			grantType: 'password',
			username: 'ops@acme.example',
			password: userPassword,
			scope: 'openid offline_access',
		});
	}

	it('refresh keeps the refresh token; revoke at /oauth/revoke; a revoked refresh token cannot refresh', async () => {
		const out = await nodeGetToken(router, 'clientSecret', passwordCredential());
		expect(typeof out.refresh_token).toBe('string');
		const [refreshed] = await nodeOperation(
			router,
			'clientSecret',
			passwordCredential(),
			'refreshToken',
			{ refreshToken: out.refresh_token, scope: '' },
		);
		expect(refreshed[0]).toMatchObject({ refresh_token: out.refresh_token, token_type: 'Bearer' });
		expect(refreshed[0].access_token).not.toBe(out.access_token);
		const [revoked] = await nodeOperation(
			router,
			'clientSecret',
			passwordCredential(),
			'revokeToken',
			{ token: out.refresh_token, tokenTypeHint: 'refresh_token', options: {} },
		);
		expect(revoked[0]).toMatchObject({
			revoked: true,
			http_status: 200,
			revocation_endpoint: `${DOMAIN}/oauth/revoke`,
		});
		const error = await expectNodeError(
			async () =>
				await nodeOperation(router, 'clientSecret', passwordCredential(), 'refreshToken', {
					refreshToken: out.refresh_token,
					scope: '',
				}),
		);
		expect(error.message).toMatch(/invalid_grant \(Unknown or invalid refresh token\.\)/);
		expect(error.description).toMatch(/original grant/);
		expect(
			auth0.log.map((entry) => `${entry.path} ${entry.grantType ?? ''} ${entry.status}`),
		).toEqual([
			'/oauth/token password 200',
			'/oauth/token refresh_token 200',
			'/oauth/revoke  200',
			'/oauth/token refresh_token 403',
		]);
	});
});

describe('Auth0 Check Expiry', () => {
	it('a Get Token output is Valid for 24 hours; a day later it Needs Refresh', async () => {
		const out = await nodeGetToken(router, 'clientSecret', secretCredential());
		const fresh = await nodeCheckExpiry(router, 'none', undefined, out);
		expect(fresh.output).toBe('valid');
		expect(fresh.expiry.access_token).toMatchObject({ source: 'expires_in', expired: false });
		const dayOld = {
			...out,
			expires_at: new Date(ms(out.expires_at) - 86400 * 1000).toISOString(),
		};
		const stale = await nodeCheckExpiry(router, 'none', undefined, dayOld);
		expect(stale.output).toBe('needsRefresh');
		expect(stale.expiry).toMatchObject({ reason: 'access_token_expired' });
	});
});
