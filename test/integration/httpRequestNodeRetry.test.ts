/**
 * The credentials under n8n-core 2.41.1's real `requestWithAuthentication` (what the HTTP Request
 * node calls with a predefined credential type): it runs preAuthentication before the request and
 * again after ANY error, and resends when that returns the renewal marker. n8n's CLI side
 * (CredentialsHelper.preAuthentication: run when the expirable field is '' or after an error, save
 * the output when it holds that field) is the few lines below; real n8n runs it in e2e/.
 */
import type { ServerResponse } from 'node:http';

import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { OAuthClientSecretApi } from '../../credentials/OAuthClientSecretApi.credentials';
import { JUST_OBTAINED_MS } from '../../credentials/shared/bearerToken';
import { resetProcessState } from '../../protocol';
import { credentialFor, requestsTo } from '../helpers/lifecycle';
import { json, startLocalServer, type LocalServer } from '../helpers/localServer';
import { n8nRequestHelpers } from '../helpers/n8nContext';

const TYPE = new OAuthClientSecretApi();
const NAME = 'oauthClientSecretApi';
const credential = credentialFor('client_secret_basic', {
	grantType: 'clientCredentials',
	scope: 'api:read',
});

/** n8n's database row of the credential (decrypted). */
let stored: ICredentialDataDecryptedObject = {};

/** n8n 2.41.1 packages/cli credentials-helper.ts preAuthentication / authenticate, in short. */
const credentialsHelper = {
	getParentTypes: () => [],
	async preAuthentication(
		helper: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_type: string,
		_node: unknown,
		credentialsExpired: boolean,
	) {
		const expirable = TYPE.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await TYPE.preAuthentication!.call(
			{ helpers: { httpRequest: helper.helpers.httpRequest } },
			credentials,
		);
		if (output[expirable.name] === undefined) return undefined;
		stored = { ...stored, ...(output as ICredentialDataDecryptedObject) };
		return Object.assign(credentials, output);
	},
	async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, options: object) {
		const authenticate = TYPE.authenticate as (
			c: ICredentialDataDecryptedObject,
			o: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		return await authenticate(credentials, options as IHttpRequestOptions);
	},
};

const helpers = n8nRequestHelpers(credentialsHelper) as unknown as {
	requestWithAuthentication: (
		type: string,
		/** The legacy request options (`uri`, `json`) the HTTP Request node passes. */
		options: { uri: string; method: string; json: boolean },
		extra: undefined,
		itemIndex: number,
	) => Promise<unknown>;
};
const context = {
	helpers,
	// Each item gets its own copy from the database, as in n8n.
	getCredentials: async () => ({ ...stored }),
	getNode: () => ({ name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', parameters: {} }),
	logger: { warn: () => undefined },
};

/** The HTTP Request node's loop: every item at once. */
async function runItems(url: string, count: number) {
	return await Promise.allSettled(
		Array.from(
			{ length: count },
			async (_, item) =>
				await helpers.requestWithAuthentication.call(
					context,
					NAME,
					{ uri: url, method: 'GET', json: true },
					undefined,
					item,
				),
		),
	);
}

let refused = new Set<string>();
let api: LocalServer;
const bearer = (authorization: unknown) => String(authorization ?? '').replace(/^Bearer /, '');

beforeAll(async () => {
	api = await startLocalServer((request, res: ServerResponse) => {
		if (request.path === '/always500') return json(res, 500, { error: 'internal' });
		if (refused.has(bearer(request.headers.authorization)))
			// Slow refusals, so every item has sent before the first retry renews the token.
			return void setTimeout(() => json(res, 401, { error: 'invalid_token' }), 300);
		return json(res, 200, { ok: true });
	});
});
afterAll(async () => await api.close());

/** A stored token from an earlier execution in another process. */
async function storedFromEarlierExecution(): Promise<string> {
	resetProcessState();
	stored = { ...credential.data, tokenRenewal: '', accessToken: '' };
	await runItems(api.url('/ok'), 1);
	resetProcessState();
	stored = { ...stored, accessTokenObtainedAt: Date.now() - JUST_OBTAINED_MS - 1000 };
	refused = new Set();
	return String(stored.accessToken);
}

const tokenRequests = async (since: number) =>
	await requestsTo('token', since, (r) => r.clientId === credential.clientId);

describe("the HTTP Request node's retry path (n8n-core's real requestWithAuthentication)", () => {
	it('a second execution makes 0 token requests', async () => {
		await storedFromEarlierExecution();
		const since = Date.now();
		const outcomes = await runItems(api.url('/ok'), 3);
		expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
		expect(await tokenRequests(since)).toHaveLength(0);
	});

	it('a 401 on 5 items makes exactly 1 token request, and the 5 retried items succeed', async () => {
		const old = await storedFromEarlierExecution();
		refused.add(old);
		const since = Date.now();
		const outcomes = await runItems(api.url('/orders'), 5);
		expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('fulfilled'));
		expect(await tokenRequests(since)).toHaveLength(1);
		const sent = api.requests('/orders').filter((r) => r.headers.authorization);
		expect(sent.filter((r) => bearer(r.headers.authorization) === old)).toHaveLength(5);
		expect(stored.accessToken).not.toBe(old);
	});

	it('50 API answers of 500 in one execution make at most 1 token request', async () => {
		await storedFromEarlierExecution();
		const since = Date.now();
		const outcomes = await runItems(api.url('/always500'), 50);
		expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
		expect((await tokenRequests(since)).length).toBeLessThanOrEqual(1);
		// The next burst right after makes none: that token was just obtained.
		const again = Date.now();
		await runItems(api.url('/always500'), 50);
		expect(await tokenRequests(again)).toHaveLength(0);
	});
});
