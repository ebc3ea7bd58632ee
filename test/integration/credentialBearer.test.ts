/**
 * The credentials as n8n's HTTP Request node uses them (credentials/shared/bearerToken.ts):
 * preAuthentication through n8n's request helper, authenticate adding only a Bearer header, a
 * refused token never reused, renewal near expiry, and no secret ever in the API request.
 * n8n's own side (storing the hidden fields, re-running after a 401) is proven in e2e/.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { OAuthClientSecretApi } from '../../credentials/OAuthClientSecretApi.credentials';
import { OAuthPrivateKeyJwtApi } from '../../credentials/OAuthPrivateKeyJwtApi.credentials';
import {
	RENEW_MARGIN_MS,
	settingsFingerprint,
	usableStoredToken,
} from '../../credentials/shared/bearerToken';
import { attemptAsync } from '../../protocol';
import { createExecuteContext } from '../helpers/executeContext';
import { credentialFor, requestsTo, type TestCredential } from '../helpers/lifecycle';

type Authenticate = (
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

const TYPES = {
	clientSecret: new OAuthClientSecretApi(),
	privateKeyJwt: new OAuthPrivateKeyJwtApi(),
};

/** Client credentials, so each case gets tokens of its own grant. */
const cases: TestCredential[] = [
	credentialFor('client_secret_basic', { grantType: 'clientCredentials', scope: 'api:read' }),
	credentialFor('private_key_jwt', { grantType: 'clientCredentials', scope: 'api:read' }),
];

function helper(): { helper: IHttpRequestHelper; calls: { url: string }[] } {
	const { context, httpCalls } = createExecuteContext({ parameters: {}, credentials: {} });
	return {
		helper: { helpers: { httpRequest: context.helpers.httpRequest } } as IHttpRequestHelper,
		calls: httpCalls,
	};
}

/** What preAuthentication returns, which n8n merges into the stored credential. */
async function preAuthenticate(
	credential: TestCredential,
	data: ICredentialDataDecryptedObject,
): Promise<ICredentialDataDecryptedObject> {
	return (await TYPES[credential.kind].preAuthentication!.call(
		helper().helper,
		data,
	)) as ICredentialDataDecryptedObject;
}

async function authenticate(
	credential: TestCredential,
	data: ICredentialDataDecryptedObject,
): Promise<IHttpRequestOptions> {
	const request: IHttpRequestOptions = {
		url: 'https://api.example.test/orders',
		method: 'GET',
		headers: { Accept: 'application/json' },
		qs: { page: 1 },
	};
	return await (TYPES[credential.kind].authenticate as Authenticate)(data, request);
}

describe.each(cases)('$kind credential in the HTTP Request node ($method)', (credential) => {
	it("preAuthentication gets a token through n8n's request helper and returns what n8n stores", async () => {
		const since = Date.now();
		const { helper: requestHelper, calls } = helper();
		const stored = await TYPES[credential.kind].preAuthentication!.call(requestHelper, {
			...credential.data,
			accessToken: '',
		});
		expect(typeof stored.accessToken).toBe('string');
		expect(Math.abs(Number(stored.accessTokenExpiresAt) - (since + 3600_000))).toBeLessThan(10_000);
		expect(stored.accessTokenFor).toBe(settingsFingerprint(credential.data));
		expect(calls.every((call) => call.url.endsWith('/token'))).toBe(true);
	});

	it('after a 401 (a token is stored) preAuthentication gets a new token, never the refused one', async () => {
		const first = await preAuthenticate(credential, { ...credential.data, accessToken: '' });
		const since = Date.now();
		const second = await preAuthenticate(credential, { ...credential.data, ...first });
		expect(second.accessToken).not.toBe(first.accessToken);
		expect(
			await requestsTo('token', since, (r) => r.clientId === credential.clientId),
		).toHaveLength(1);
	});

	it('authenticate sends the stored token as Bearer and nothing else', async () => {
		const stored = await preAuthenticate(credential, { ...credential.data, accessToken: '' });
		const since = Date.now();
		const request = await authenticate(credential, { ...credential.data, ...stored });
		expect(request.headers).toEqual({
			Accept: 'application/json',
			Authorization: `Bearer ${String(stored.accessToken)}`,
		});
		expect(request.qs).toEqual({ page: 1 });
		expect(request.body).toBeUndefined();
		expect(
			await requestsTo('token', since, (r) => r.clientId === credential.clientId),
		).toHaveLength(0);
		const sent = JSON.stringify(request);
		for (const secret of credential.secrets) expect(sent).not.toContain(secret);
	});

	it('authenticate replaces a token within the margin of expiry, and one from before the settings changed', async () => {
		const stored = await preAuthenticate(credential, { ...credential.data, accessToken: '' });
		const expiring = {
			...credential.data,
			...stored,
			accessTokenExpiresAt: Date.now() + RENEW_MARGIN_MS - 1000,
		};
		const renewed = await authenticate(credential, expiring);
		expect(renewed.headers?.Authorization).not.toBe(`Bearer ${String(stored.accessToken)}`);

		const edited = { ...credential.data, ...stored, scope: 'api:read api:write' };
		expect(usableStoredToken(edited, Date.now())).toBeUndefined();
		const rescoped = await authenticate(credential, edited);
		expect(rescoped.headers?.Authorization).not.toBe(`Bearer ${String(stored.accessToken)}`);
	});
});

describe('bearer token helpers', () => {
	const data = cases[0].data;

	it('the settings fingerprint ignores secrets and the stored token, not the scope or client', () => {
		const base = settingsFingerprint(data);
		expect(
			settingsFingerprint({
				...data,
				clientSecret: 'rotated',
				accessToken: 'x',
				accessTokenExpiresAt: 1,
			}),
		).toBe(base);
		expect(settingsFingerprint({ ...data, scope: 'other' })).not.toBe(base);
		expect(settingsFingerprint({ ...data, clientId: 'other' })).not.toBe(base);
	});

	it('a token with an unknown expiry is used until the API refuses it', () => {
		const now = Date.now();
		const stored = { ...data, accessToken: 'opaque', accessTokenFor: settingsFingerprint(data) };
		expect(usableStoredToken({ ...stored, accessTokenExpiresAt: '' }, now)).toBe('opaque');
		expect(
			usableStoredToken({ ...stored, accessTokenExpiresAt: now + RENEW_MARGIN_MS + 1000 }, now),
		).toBe('opaque');
		expect(
			usableStoredToken({ ...stored, accessTokenExpiresAt: now + RENEW_MARGIN_MS - 1000 }, now),
		).toBeUndefined();
		expect(usableStoredToken({ ...stored, accessToken: '' }, now)).toBeUndefined();
	});

	it("a wrong secret fails with the package's message and hint, without the secret", async () => {
		const wrong = 'wrong-secret-for-the-bearer-test';
		const outcome = await attemptAsync(
			async () =>
				await preAuthenticate(cases[0], { ...data, clientSecret: wrong, accessToken: '' }),
		);
		expect(outcome.ok).toBe(false);
		const message = outcome.ok ? '' : (outcome.error as Error).message;
		expect(message).toMatch(
			/^Could not get an access token: invalid_client: .*Check the client ID and secret/,
		);
		expect(message).not.toContain(wrong);
	});
});
