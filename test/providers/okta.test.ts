/**
 * The Okta preset against a local Okta org (./emulators/okta.ts).
 *
 * Documentation followed: developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth and
 * developer.okta.com/docs/guides/build-self-signed-jwt (client_secret_jwt / private_key_jwt:
 * iss = sub = client_id, aud = the full URL of the endpoint invoked, exp at most one hour ahead,
 * jti single use, kid); the org and custom authorization server endpoints
 * (/oauth2/v1/… and /oauth2/{authServerId}/v1/…); Okta's error text for a wrong audience
 * (okta/okta-sdk-dotnet#600) and for expired assertions.
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
import { startOkta, type OktaEmulator } from './emulators/okta';
import {
	expectNodeError,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	nodeOperation,
	rsaKey,
	runtimeValue,
} from './helpers';

const DOMAIN = 'https://dev-123456.okta.com';
const key = rsaKey();
/** Okta-style client ids (0oa…), made at run time. */
const oktaClientId = () => `0oa${randomUUID().replace(/-/g, '').slice(0, 17)}`;
const keyClient = oktaClientId();
const secretClient = oktaClientId();
const clientSecret = `${runtimeValue('okta-secret')}-long-enough-for-hs256`;

let okta: OktaEmulator;
let router: ProviderRouter;

beforeAll(async () => {
	okta = await startOkta({
		clients: [
			{ clientId: keyClient, publicKey: key.publicKey, kid: 'n8n-key-1' },
			{ clientId: secretClient, secret: clientSecret },
		],
		servers: { default: ['api:read', 'api:write'] },
		signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
	});
	router = new ProviderRouter({ [DOMAIN]: okta.baseUrl });
});
afterAll(async () => await okta.close());
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	okta.log.length = 0;
	okta.resetClock();
});

function keyCredential(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		provider: 'okta',
		oktaDomain: 'dev-123456.okta.com',
		oktaAuthorizationServer: 'default',
		clientId: keyClient,
		privateKey: key.privatePem,
		keyId: 'n8n-key-1',
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

function secretCredential(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		provider: 'okta',
		oktaDomain: DOMAIN,
		oktaAuthorizationServer: 'default',
		clientId: secretClient,
		clientSecret,
		clientAuthentication: 'client_secret_jwt',
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

describe('Okta client credentials', () => {
	it('private_key_jwt on the "default" server: aud = the full token endpoint URL, iss = sub = client id, kid sent', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', keyCredential());
		expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
			`${DOMAIN}/oauth2/default/v1/token`,
		]);
		const seen = okta.log[0];
		expect(seen).toMatchObject({
			auth: 'client_assertion',
			grantType: 'client_credentials',
			status: 200,
		});
		expect(seen.assertion?.header.kid).toBe('n8n-key-1');
		expect(seen.assertion?.payload).toMatchObject({
			iss: keyClient,
			sub: keyClient,
			aud: `${DOMAIN}/oauth2/default/v1/token`,
		});
		expect(
			(seen.assertion?.payload.exp as number) - (seen.assertion?.payload.iat as number),
		).toBeLessThanOrEqual(3600);
		expect(out).toMatchObject({
			token_type: 'Bearer',
			expires_in: 3600,
			scope: 'api:read',
			expires_at_source: 'expires_in',
		});
		expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(3600 * 1000);
	});

	it('client_secret_jwt (HS256 with the secret) works too', async () => {
		await nodeGetToken(router, 'clientSecret', secretCredential());
		expect(okta.log[0]).toMatchObject({ auth: 'client_assertion', status: 200 });
		expect(okta.log[0].assertion?.header.alg).toBe('HS256');
	});

	it('the org authorization server (empty server id): /oauth2/v1/token and okta.* scopes', async () => {
		await nodeGetToken(
			router,
			'privateKeyJwt',
			keyCredential({ oktaAuthorizationServer: '', scope: 'okta.users.read' }),
		);
		expect(router.paths()).toEqual(['/oauth2/v1/token']);
		expect(okta.log[0].assertion?.payload.aud).toBe(`${DOMAIN}/oauth2/v1/token`);
	});

	it('a custom scope on the org server: invalid_scope, and the hint says to use a custom authorization server', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', keyCredential({ oktaAuthorizationServer: '' })),
		);
		expect(error.message).toMatch(/invalid_scope \(One or more scopes are not configured/);
		expect(error.description).toMatch(/custom authorization server/);
	});

	it("a wrong audience really fails with Okta's own words, and the Okta hint explains it", async () => {
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
		expect(outcome.ok).toBe(false);
		const error = (outcome as { error: OAuthResponseError }).error;
		expect(error).toBeInstanceOf(OAuthResponseError);
		expect(error.errorDescription).toBe(
			'The audience claim for client_assertion must be the endpoint invoked for the request.',
		);
		expect(error.hint).toMatch(/exact URL of the endpoint/);
	});

	it('an expired assertion (the host clock is behind): the hint names the clock', async () => {
		okta.advance(10 * 60 * 1000);
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', keyCredential()),
		);
		expect(error.message).toMatch(/The client_assertion token is expired/);
		expect(error.description).toMatch(/clock/);
	});

	it('a key id Okta does not have for the client: the signature is refused', async () => {
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', keyCredential({ keyId: 'old-key' })),
		);
		expect(error.message).toMatch(/invalid_client/);
		expect(error.description).toMatch(/Key ID/);
	});
});

describe('Okta revoke and introspect (client authentication at those endpoints too)', () => {
	it('revoke with private_key_jwt: the assertion audience is the revoke endpoint; then introspection says inactive', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', keyCredential());
		const [introspected] = await nodeOperation(
			router,
			'privateKeyJwt',
			keyCredential(),
			'introspectToken',
			{ token: out.access_token, tokenTypeHint: 'access_token' },
		);
		expect(introspected[0]).toMatchObject({ active: true, client_id: keyClient });
		const [revoked] = await nodeOperation(router, 'privateKeyJwt', keyCredential(), 'revokeToken', {
			token: out.access_token,
			tokenTypeHint: 'access_token',
			options: {},
		});
		expect(revoked[0]).toMatchObject({ revoked: true });
		const [after] = await nodeOperation(
			router,
			'privateKeyJwt',
			keyCredential(),
			'introspectToken',
			{ token: out.access_token, tokenTypeHint: 'access_token' },
		);
		expect(after[0]).toMatchObject({ active: false });
		const byPath = Object.fromEntries(okta.log.map((entry) => [entry.path, entry]));
		expect(byPath['/oauth2/default/v1/revoke'].assertion?.payload.aud).toBe(
			`${DOMAIN}/oauth2/default/v1/revoke`,
		);
		expect(byPath['/oauth2/default/v1/introspect'].assertion?.payload.aud).toBe(
			`${DOMAIN}/oauth2/default/v1/introspect`,
		);
		expect(okta.log.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
	});
});

describe('Okta Check Expiry', () => {
	it('a Get Token output is Valid; the access token alone (a JWT) is read from its exp, labelled unverified', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', keyCredential());
		expect((await nodeCheckExpiry(router, 'none', undefined, out)).output).toBe('valid');
		const { output, expiry } = await nodeCheckExpiry(router, 'none', undefined, {
			access_token: out.access_token,
		});
		expect(output).toBe('valid');
		expect(expiry.access_token).toMatchObject({ source: 'jwt_exp_unverified' });
		expect(ms((expiry.access_token as Record<string, unknown>).expires_at)).toBe(
			Math.floor(ms(out.obtained_at) / 1000) * 1000 + 3600 * 1000,
		);
	});
});
