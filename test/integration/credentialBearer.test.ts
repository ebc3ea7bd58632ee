/**
 * The credentials as n8n's HTTP Request node uses them (credentials/shared/bearerToken.ts):
 * preAuthentication through n8n's real request helper returns {} while the stored token is fresh
 * and a new token (with the renewal marker, so n8n saves it) near expiry; after an error it
 * renews at most once; authenticate only reads. n8n's own side (saving, re-running after any
 * error) is proven in real n8n in e2e/suites/httpRequest.mjs.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { OAuthClientSecretApi } from '../../credentials/OAuthClientSecretApi.credentials';
import { OAuthPrivateKeyJwtApi } from '../../credentials/OAuthPrivateKeyJwtApi.credentials';
import {
	JUST_OBTAINED_MS,
	RENEW_MARGIN_MS,
	RENEWAL_FIELD,
	settingsFingerprint,
} from '../../credentials/shared/bearerToken';
import { attemptAsync, resetProcessState } from '../../protocol';
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
/** n8n passes the same object again when it calls after the request failed. */
async function preAuthenticate(
	credential: TestCredential,
	data: ICredentialDataDecryptedObject,
): Promise<ICredentialDataDecryptedObject> {
	return (await TYPES[credential.kind].preAuthentication!.call(
		helper().helper,
		data,
	)) as ICredentialDataDecryptedObject;
}

const tokenRequestsSince = async (credential: TestCredential, since: number) =>
	await requestsTo('token', since, (r) => r.clientId === credential.clientId);

/** A credential as n8n loads it from its database: the stored fields merged in, a fresh object. */
const loaded = (
	credential: TestCredential,
	stored: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject => ({
	...credential.data,
	[RENEWAL_FIELD]: '',
	accessToken: '',
	...stored,
});

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
	it("preAuthentication gets a token through n8n's request helper and returns what n8n saves", async () => {
		const since = Date.now();
		const { helper: requestHelper, calls } = helper();
		const stored = await TYPES[credential.kind].preAuthentication!.call(
			requestHelper,
			loaded(credential),
		);
		expect(stored[RENEWAL_FIELD]).toBe('');
		expect(typeof stored.accessToken).toBe('string');
		expect(Math.abs(Number(stored.accessTokenExpiresAt) - (since + 3600_000))).toBeLessThan(10_000);
		expect(Number(stored.accessTokenObtainedAt)).toBeGreaterThanOrEqual(since);
		expect(stored.accessTokenFor).toBe(settingsFingerprint(credential.data));
		expect(calls.length).toBeGreaterThan(0);
		expect(calls.every((call) => call.url.endsWith('/token'))).toBe(true);
	});

	it('with a fresh stored token preAuthentication returns {} (nothing saved) and asks no server', async () => {
		const stored = await preAuthenticate(credential, loaded(credential));
		const since = Date.now();
		for (let execution = 0; execution < 3; execution++)
			expect(await preAuthenticate(credential, loaded(credential, stored))).toEqual({});
		expect(await tokenRequestsSince(credential, since)).toHaveLength(0);
	});

	it('near expiry, items at once share one new token, returned with the marker so n8n saves it', async () => {
		const stored = await preAuthenticate(credential, loaded(credential));
		const expiring = { ...stored, accessTokenExpiresAt: Date.now() + RENEW_MARGIN_MS - 1000 };
		const since = Date.now();
		const renewed = await Promise.all(
			[1, 2, 3, 4, 5].map(
				async () => await preAuthenticate(credential, loaded(credential, expiring)),
			),
		);
		expect(await tokenRequestsSince(credential, since)).toHaveLength(1);
		expect(new Set(renewed.map((out) => out.accessToken)).size).toBe(1);
		expect(renewed[0].accessToken).not.toBe(stored.accessToken);
		expect(renewed[0][RENEWAL_FIELD]).toBe('');
		// The next execution loads the saved token: nothing to do.
		expect(await preAuthenticate(credential, loaded(credential, renewed[0]))).toEqual({});
	});

	it('after an error on many items with an older token: one token request, the same new token for all', async () => {
		const stored = await preAuthenticate(credential, loaded(credential));
		const old = { ...stored, accessTokenObtainedAt: Date.now() - JUST_OBTAINED_MS - 1000 };
		resetProcessState(); // a later execution in a new process (n8n execute, another worker)
		const items = Array.from({ length: 50 }, () => loaded(credential, old));
		for (const item of items) expect(await preAuthenticate(credential, item)).toEqual({});
		const since = Date.now();
		// n8n calls again with the same object after the API answered 401 or 500.
		const after = await Promise.all(
			items.map(async (item) => await preAuthenticate(credential, item)),
		);
		expect(await tokenRequestsSince(credential, since)).toHaveLength(1);
		expect(new Set(after.map((out) => out.accessToken)).size).toBe(1);
		expect(after[0].accessToken).not.toBe(stored.accessToken);
		// Later errors in the same process get that token, without asking again.
		const late = loaded(credential, old);
		await preAuthenticate(credential, late);
		expect((await preAuthenticate(credential, late)).accessToken).toBe(after[0].accessToken);
		expect(await tokenRequestsSince(credential, since)).toHaveLength(1);
	});

	it('after an error with a token obtained just now: no new token (the error is not about it)', async () => {
		const item = loaded(credential);
		const first = await preAuthenticate(credential, item);
		Object.assign(item, first); // what n8n does with the saved output
		const since = Date.now();
		expect(await preAuthenticate(credential, item)).toEqual({});
		expect(await tokenRequestsSince(credential, since)).toHaveLength(0);
	});

	it('authenticate sends the stored token as Bearer and nothing else, and never asks a server', async () => {
		const stored = await preAuthenticate(credential, loaded(credential));
		const since = Date.now();
		for (const expiresAt of [stored.accessTokenExpiresAt, Date.now() - 1000]) {
			const request = await authenticate(credential, {
				...loaded(credential, stored),
				accessTokenExpiresAt: expiresAt,
			});
			expect(request.headers).toEqual({
				Accept: 'application/json',
				Authorization: `Bearer ${String(stored.accessToken)}`,
			});
			expect(request.qs).toEqual({ page: 1 });
			expect(request.body).toBeUndefined();
			const sent = JSON.stringify(request);
			for (const secret of credential.secrets) expect(sent).not.toContain(secret);
		}
		expect(await tokenRequestsSince(credential, since)).toHaveLength(0);
	});

	it('a token from before the settings changed is replaced before the request', async () => {
		const stored = await preAuthenticate(credential, loaded(credential));
		const edited = { ...loaded(credential, stored), scope: 'api:read api:write' };
		const out = await preAuthenticate(credential, edited);
		expect(out.accessToken).toBeDefined();
		expect(out.accessToken).not.toBe(stored.accessToken);
	});
});

describe('bearer token helpers', () => {
	const data = cases[0].data;

	it('the settings fingerprint ignores the stored token, not the secret, scope or client', () => {
		const base = settingsFingerprint(data);
		expect(
			settingsFingerprint({
				...data,
				accessToken: 'x',
				accessTokenExpiresAt: 1,
				[RENEWAL_FIELD]: '',
			}),
		).toBe(base);
		expect(settingsFingerprint({ ...data, clientSecret: 'rotated' })).not.toBe(base);
		expect(settingsFingerprint({ ...data, scope: 'other' })).not.toBe(base);
		expect(settingsFingerprint({ ...data, clientId: 'other' })).not.toBe(base);
	});

	it('a token with an unknown expiry is used until the API refuses it', async () => {
		const stored = {
			accessToken: 'opaque',
			accessTokenExpiresAt: '',
			accessTokenObtainedAt: Date.now() - 3600_000,
			accessTokenFor: settingsFingerprint(data),
		};
		expect(await preAuthenticate(cases[0], loaded(cases[0], stored))).toEqual({});
	});

	it("a wrong secret fails with the package's message and hint, without the secret", async () => {
		const wrong = 'wrong-secret-for-the-bearer-test';
		const outcome = await attemptAsync(
			async () => await preAuthenticate(cases[0], { ...loaded(cases[0]), clientSecret: wrong }),
		);
		expect(outcome.ok).toBe(false);
		const message = outcome.ok ? '' : (outcome.error as Error).message;
		expect(message).toMatch(
			/^Could not get an access token: invalid_client: .*Check the client ID and secret/,
		);
		expect(message).not.toContain(wrong);
		expect(outcome.ok ? {} : { ...(outcome.error as object) }).not.toHaveProperty('code');
	});
});
