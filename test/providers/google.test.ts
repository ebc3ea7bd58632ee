/**
 * The Google (service account) preset against a local Google token endpoint (./emulators/google.ts).
 *
 * Documentation followed: developers.google.com/identity/protocols/oauth2/service-account
 * (JWT bearer grant; RS256 with kid = private_key_id; iss = client_email; `scope` as a claim;
 * aud = https://oauth2.googleapis.com/token; exp at most one hour after iat; optional sub for
 * domain-wide delegation; response {access_token, expires_in 3599, token_type}; the documented
 * error codes) and developers.google.com/identity/protocols/oauth2/web-server "Revoking a token"
 * (POST /revoke, 200, or 400 for an invalid token).
 */
import { randomUUID } from 'node:crypto';

import { type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { clientConfigFromCredential, revokeToken, sharedTokenCache } from '../../protocol';
import { ProviderRouter } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { JWT_BEARER, startGoogle, TOKEN_URI, type GoogleEmulator } from './emulators/google';
import { expectNodeError, ms, nodeCheckExpiry, nodeGetToken, rsaKey } from './helpers';

const key = rsaKey();
const otherKey = rsaKey();
const privateKeyId = randomUUID().replace(/-/g, '');
const clientEmail = 'n8n-automation@acme-project.iam.gserviceaccount.com';
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const DRIVE = 'https://www.googleapis.com/auth/drive.readonly';

function serviceAccountJson(privateKey: string): string {
	return JSON.stringify({
		type: 'service_account',
		project_id: 'acme-project',
		private_key_id: privateKeyId,
		private_key: privateKey,
		client_email: clientEmail,
		client_id: '104729384756102938475',
		auth_uri: 'https://accounts.google.com/o/oauth2/auth',
		token_uri: TOKEN_URI,
		universe_domain: 'googleapis.com',
	});
}

let google: GoogleEmulator;
let router: ProviderRouter;

beforeAll(async () => {
	google = await startGoogle([
		{
			clientEmail,
			privateKeyId,
			publicKey: key.publicKey,
			delegation: { 'admin@acme.example': [DRIVE] },
		},
	]);
	router = new ProviderRouter({ 'https://oauth2.googleapis.com': google.baseUrl });
});
afterAll(async () => await google.close());
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	google.log.length = 0;
	google.resetClock();
});

function credential(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		provider: 'google',
		privateKey: serviceAccountJson(key.privatePem),
		grantType: 'jwtBearer',
		clientAuthentication: 'none',
		scope: SCOPE,
		...extra,
	};
}

describe('Google service account (JWT bearer grant)', () => {
	it('the scope goes in the assertion (not the body) even when "Send Scope as Claim" is off; aud = token URI; kid = private_key_id', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', credential({ scopeInClaim: false }));
		expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
			'https://oauth2.googleapis.com/token',
		]);
		const seen = google.log[0];
		expect(seen).toMatchObject({ grantType: JWT_BEARER, auth: 'none', status: 200 });
		expect(seen.formKeys.sort()).toEqual(['assertion', 'grant_type']);
		expect(seen.assertion?.header).toMatchObject({ alg: 'RS256', kid: privateKeyId });
		expect(seen.assertion?.payload).toMatchObject({
			iss: clientEmail,
			scope: SCOPE,
			aud: TOKEN_URI,
		});
		expect(seen.assertion?.payload.sub).toBeUndefined();
		expect(
			(seen.assertion?.payload.exp as number) - (seen.assertion?.payload.iat as number),
		).toBeLessThanOrEqual(3600);
		expect(out).toMatchObject({
			token_type: 'Bearer',
			expires_in: 3599,
			expires_at_source: 'expires_in',
		});
		expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(3599 * 1000);
		expect(out.refresh_token).toBeUndefined();
		expectNoSecrets(out, [key.privatePem.split('\n')[1]]);
	});

	it('domain-wide delegation: sub = the user to impersonate', async () => {
		await nodeGetToken(
			router,
			'privateKeyJwt',
			credential({ subject: 'admin@acme.example', scope: DRIVE }),
		);
		expect(google.log[0]).toMatchObject({ status: 200 });
		expect(google.log[0].assertion?.payload.sub).toBe('admin@acme.example');
	});

	it('delegation not granted: unauthorized_client, and the hint points to the Workspace admin console', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					credential({ subject: 'someone@acme.example' }),
				),
		);
		expect(error.message).toMatch(
			/unauthorized_client \(Client is unauthorized to retrieve access tokens/,
		);
		expect(error.description).toMatch(/domain-wide delegation/);
	});

	it('"Invalid JWT Signature." (a key Google does not have for the account): the hint says to create a new JSON key', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					credential({ privateKey: serviceAccountJson(otherKey.privatePem) }),
				),
		);
		expect(error.message).toMatch(/Invalid JWT Signature/);
		expect(error.description).toMatch(/new JSON key/);
	});

	it('"Token must be a short-lived token" (the host clock is off by an hour): the hint names the clock and the one-hour limit', async () => {
		google.advance(2 * 60 * 60 * 1000);
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', credential()),
		);
		expect(error.message).toMatch(/Token must be a short-lived token \(60 minutes\)/);
		expect(error.description).toMatch(/3600 seconds/);
		expect(error.description).toMatch(/clock/);
	});

	it('an assertion lifetime over one hour is refused before any request', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', credential({ assertionLifetime: 7200 })),
		);
		expect(error.message).toMatch(
			/^Assertion Lifetime: The assertion lifetime is 7200 seconds; at most 3600 are allowed/,
		);
		expect(router.calls).toEqual([]);
	});

	it('an unknown scope: invalid_scope, and the hint asks for full scope URLs', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', credential({ scope: 'cloud-platform' })),
		);
		expect(error.message).toMatch(/invalid_scope/);
		expect(error.description).toMatch(/full scope URLs/);
	});

	it('no scope, client credentials, or client authentication are refused before any request', async () => {
		const noScope = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', credential({ scope: '' })),
		);
		expect(noScope.message).toMatch(/^Scope: /);
		const clientCredentials = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', {
					...credential({ grantType: 'clientCredentials' }),
					clientAuthentication: '',
				}),
		);
		expect(clientCredentials.message).toMatch(
			/^Grant Type: Google service accounts use the JWT bearer grant/,
		);
		const withClientAuth = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					credential({ clientAuthentication: 'private_key_jwt' }),
				),
		);
		expect(withClientAuth.message).toMatch(/^Client Authentication: /);
		expect(router.calls).toEqual([]);
	});
});

describe('Google revoke', () => {
	it('POST /revoke with token=: 200; a second time 400 invalid_token, which the preset counts as already revoked', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', credential());
		const config = clientConfigFromCredential('privateKeyJwt', credential());
		const first = await revokeToken(config, out.access_token as string, router.send);
		expect(first).toMatchObject({
			status: 200,
			alreadyInvalid: false,
			revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
		});
		const second = await revokeToken(config, out.access_token as string, router.send);
		expect(second).toMatchObject({ status: 400, alreadyInvalid: true });
		const revokes = google.log.filter((entry) => entry.path === '/revoke');
		expect(revokes.map((entry) => [entry.method, entry.status])).toEqual([
			['POST', 200],
			['POST', 400],
		]);
		expect(revokes[0].formKeys).toContain('token');
	});
});

describe('Google Check Expiry', () => {
	it('a fresh token is Valid; the same set 57 minutes later Needs Refresh (within the 5-minute margin)', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', credential());
		const fresh = await nodeCheckExpiry(router, 'none', undefined, out);
		expect(fresh.output).toBe('valid');
		expect(fresh.expiry.access_token).toMatchObject({ source: 'expires_in', expired: false });
		const older = {
			...out,
			obtained_at: new Date(ms(out.obtained_at) - 57 * 60 * 1000).toISOString(),
			expires_at: undefined,
			expires_at_source: undefined,
		};
		const late = await nodeCheckExpiry(router, 'none', undefined, older);
		expect(late.output).toBe('needsRefresh');
		expect(late.expiry).toMatchObject({ reason: 'access_token_expires_within_margin' });
	});
});
