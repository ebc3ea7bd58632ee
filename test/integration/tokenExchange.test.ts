/**
 * Token exchange (RFC 8693) and several resource indicators (RFC 8707) through the node's real
 * code and n8n's real request helper, against the real oidc-provider test server: its own
 * client_credentials grant (one resource per token) and the token-exchange grant registered in
 * test/server/grants.mjs (validates the subject and actor tokens it issued, knows its targets).
 */
import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IHttpRequestHelper,
} from 'n8n-workflow';

import { OAuthClientSecretApi } from '../../credentials/OAuthClientSecretApi.credentials';
import { attemptAsync, sharedTokenCache, TOKEN_TYPES } from '../../protocol';
import { createExecuteContext, runNode } from '../helpers/executeContext';
import { captureConsole, expectNoSecrets } from '../helpers/secrets';
import { loadTestServer, serverRequests, type RecordedRequest } from '../server/fixtures';

const server = loadTestServer();
const { clients, resources, tokenExchange } = server.fixtures;
const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';

const secretCredential = (extra: ICredentialDataDecryptedObject = {}) => ({
	formVersion: 2,
	endpointMode: 'manual',
	tokenUrl: server.tokenEndpoint,
	introspectionUrl: server.introspectionEndpoint,
	clientId: clients.post.client_id,
	clientSecret: clients.post.client_secret,
	clientAuthentication: 'client_secret_post',
	grantType: 'clientCredentials',
	scope: 'api:read',
	...extra,
});

const exchangeCredential = (extra: ICredentialDataDecryptedObject = {}) =>
	secretCredential({ grantType: 'tokenExchange', subjectTokenType: 'access_token', ...extra });

const rs256 = clients.privateKeyJwt.RS256;
const keyExchangeCredential = (extra: ICredentialDataDecryptedObject = {}) => ({
	formVersion: 2,
	endpointMode: 'manual',
	tokenUrl: server.tokenEndpoint,
	clientId: rs256.client_id,
	privateKey: rs256.pkcs8Pem,
	algorithm: 'RS256',
	grantType: 'tokenExchange',
	subjectTokenType: 'access_token',
	...extra,
});

async function getTokens(
	credential: ICredentialDataDecryptedObject,
	items: Array<{ subjectToken?: string; actorToken?: string }> = [{}],
	kind: 'clientSecret' | 'privateKeyJwt' = 'clientSecret',
	continueOnFail = false,
) {
	const type = kind === 'clientSecret' ? 'oauthClientSecretApi' : 'oauthPrivateKeyJwtApi';
	const { output } = await runNode({
		parameters: { authentication: kind, operation: 'getToken', options: {}, tokenExchange: {} },
		itemParameters: items.map((tokens) => ({ tokenExchange: tokens })),
		items: items.map((_, i) => ({ json: { i } })),
		credentials: { [type]: credential },
		continueOnFail,
	});
	return output[0].map((item) => item.json);
}

/** A fresh client-credentials access token of this server: the subject to exchange. */
async function subjectToken(scope = 'api:read'): Promise<string> {
	sharedTokenCache.clear();
	const [token] = await getTokens(secretCredential({ scope }));
	return String(token.access_token);
}

async function introspect(token: string): Promise<Record<string, unknown>> {
	const { output } = await runNode({
		parameters: {
			authentication: 'clientSecret',
			operation: 'introspectToken',
			token,
			tokenTypeHint: 'auto',
		},
		credentials: { oauthClientSecretApi: secretCredential() },
	});
	return output[0][0].json;
}

async function tokenRequestsSince(since: number): Promise<RecordedRequest[]> {
	return (await serverRequests(since)).filter(
		(r) => r.path.endsWith('/token') && r.clientId === clients.post.client_id,
	);
}

async function nodeError(run: () => Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	const outcome = await attemptAsync(run);
	if (outcome.ok) throw new Error('expected the node to fail');
	expect(outcome.error instanceof NodeApiError || outcome.error instanceof NodeOperationError).toBe(
		true,
	);
	return outcome.error as NodeApiError | NodeOperationError;
}

beforeEach(() => sharedTokenCache.clear());

describe('Get Token with the token exchange grant (RFC 8693), on the real server', () => {
	it('exchanges an access token per item for one with the requested audiences; the server reports both', async () => {
		const subject = await subjectToken();
		const since = Date.now();
		const [exchanged] = await getTokens(
			exchangeCredential({ resource: resources.join('\n'), scope: '' }),
			[{ subjectToken: subject }],
		);
		expect(exchanged).toMatchObject({
			issued_token_type: TOKEN_TYPES.access_token,
			issued_token_type_source: 'issued_token_type',
			token_type: 'Bearer',
			expires_at_source: 'expires_in',
			reused_cached_token: false,
		});
		expect(exchanged.access_token).not.toBe(subject);
		const [request] = await tokenRequestsSince(since);
		expect(request).toMatchObject({
			grantType: TE,
			subjectTokenType: TOKEN_TYPES.access_token,
			resources,
			status: 200,
		});
		expect(request.bodyKeys.filter((key) => key === 'resource')).toHaveLength(2);
		const seen = await introspect(String(exchanged.access_token));
		expect(seen).toMatchObject({ active: true, aud: resources, sub: clients.post.client_id });
		expectNoSecrets(exchanged, [subject, clients.post.client_secret]);
	});

	it('an actor token makes the issued token carry `act` (delegation); the private key credential works too', async () => {
		const subject = await subjectToken();
		const actor = await subjectToken('api:write');
		const [exchanged] = await getTokens(
			keyExchangeCredential({
				actorTokenType: 'access_token',
				audience: tokenExchange.audiences[0],
			}),
			[{ subjectToken: subject, actorToken: actor }],
			'privateKeyJwt',
		);
		const seen = await introspect(String(exchanged.access_token));
		expect(seen).toMatchObject({
			active: true,
			aud: tokenExchange.audiences[0],
			act: { sub: clients.post.client_id },
		});
		expectNoSecrets(exchanged, [subject, actor]);
	});

	it('asks for a JWT: token_type N_A and issued_token_type jwt, which a second exchange accepts as a subject', async () => {
		const subject = await subjectToken();
		const [jwt] = await getTokens(exchangeCredential({ requestedTokenType: 'jwt' }), [
			{ subjectToken: subject },
		]);
		expect(jwt).toMatchObject({ token_type: 'N_A', issued_token_type: TOKEN_TYPES.jwt });
		const [again] = await getTokens(exchangeCredential({ subjectTokenType: 'jwt' }), [
			{ subjectToken: String(jwt.access_token) },
		]);
		expect(again).toMatchObject({
			token_type: 'Bearer',
			issued_token_type: TOKEN_TYPES.access_token,
		});
	});

	it('items with different subjects never share a token; the same subject reuses its own', async () => {
		const [alice, bob] = [await subjectToken(), await subjectToken()];
		const since = Date.now();
		const out = await getTokens(exchangeCredential(), [
			{ subjectToken: alice },
			{ subjectToken: bob },
			{ subjectToken: alice },
			{ subjectToken: bob },
		]);
		expect((await tokenRequestsSince(since)).filter((r) => r.grantType === TE)).toHaveLength(2);
		expect(out[0].access_token).not.toBe(out[1].access_token);
		expect(out[2].access_token).toBe(out[0].access_token);
		expect(out[3].access_token).toBe(out[1].access_token);
		expect(out.map((item) => item.reused_cached_token)).toEqual([false, false, true, true]);
	});

	it('the credential fallback subject token is used when the node gives none', async () => {
		const subject = await subjectToken();
		const [exchanged] = await getTokens(exchangeCredential({ subjectToken: subject }));
		expect(exchanged.issued_token_type).toBe(TOKEN_TYPES.access_token);
	});

	it("an item whose $json.access_token is missing fails, instead of exchanging the credential's fallback subject token", async () => {
		const fallback = await subjectToken();
		const own = await subjectToken();
		const since = Date.now();
		const { output } = await runNode({
			parameters: {
				authentication: 'clientSecret',
				operation: 'getToken',
				options: {},
				tokenExchange: { subjectToken: '={{ $json.access_token }}' },
			},
			// What n8n evaluates the default to for each item: the first has a token, the second none.
			itemParameters: [
				{ tokenExchange: { subjectToken: own } },
				{ tokenExchange: { subjectToken: '' } },
			],
			items: [{ json: { access_token: own } }, { json: {} }],
			credentials: { oauthClientSecretApi: exchangeCredential({ subjectToken: fallback }) },
			continueOnFail: true,
		});
		const [first, second] = output[0].map((item) => item.json);
		expect(first.issued_token_type).toBe(TOKEN_TYPES.access_token);
		expect(String(second.error)).toMatch(/^Subject Token: "Subject Token" is empty for this item/);
		expectNoSecrets(second, [fallback, own]);
		const sent = await tokenRequestsSince(since);
		expect(sent).toHaveLength(1);
	});

	it('an unknown audience: invalid_target with the hint naming Audience and Resource, no token in the error', async () => {
		const subject = await subjectToken();
		const { result, error, output } = await captureConsole(
			async () =>
				await nodeError(
					async () =>
						await getTokens(exchangeCredential({ audience: 'https://unknown.example' }), [
							{ subjectToken: subject },
						]),
				),
		);
		const failure = result ?? error;
		expect(failure).toBeInstanceOf(NodeApiError);
		const apiError = failure as NodeApiError;
		expect(apiError.message).toMatch(
			/invalid_target \(audience https:\/\/unknown\.example is not a known target\)/,
		);
		expect(apiError.description).toMatch(/Change "Audience" or "Resource" in the credential/);
		expectNoSecrets([apiError, output], [subject, clients.post.client_secret]);
	});

	it('a subject token the server does not know: invalid_request with the subject hint, and the token nowhere', async () => {
		const subject = `${await subjectToken()}-not-issued`;
		const error = await nodeError(
			async () => await getTokens(exchangeCredential(), [{ subjectToken: subject }]),
		);
		expect(error.message).toMatch(/invalid_request \(subject_token is not an active access token/);
		expect(error.description).toMatch(/"Subject Token Type" matches it/);
		expectNoSecrets(error, [subject]);
	});

	it('Continue On Fail: the error item carries the hint, not the subject token', async () => {
		const subject = `${await subjectToken()}-not-issued`;
		const [item] = await getTokens(
			exchangeCredential(),
			[{ subjectToken: subject }],
			'clientSecret',
			true,
		);
		expect(String(item.error)).toMatch(/invalid_request/);
		expect(String(item.description)).toMatch(/"Subject Token Type" matches it/);
		expectNoSecrets(item, [subject]);
	});

	it('an actor token without its type is refused before any request', async () => {
		const subject = await subjectToken();
		const since = Date.now();
		const error = await nodeError(
			async () =>
				await getTokens(exchangeCredential(), [{ subjectToken: subject, actorToken: subject }]),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Actor Token Type/);
		expect(await tokenRequestsSince(since)).toEqual([]);
		expectNoSecrets(error, [subject]);
	});
});

describe('several resource indicators (RFC 8707) with client credentials, on the real server', () => {
	it('oidc-provider accepts one known resource and issues a token for it', async () => {
		const [token] = await getTokens(secretCredential({ resource: resources[1] }));
		expect(await introspect(String(token.access_token))).toMatchObject({
			active: true,
			aud: resources[1],
		});
	});

	it('both are sent as repeated parameters; oidc-provider refuses two for this grant, and the hint says one per request', async () => {
		const since = Date.now();
		const error = await nodeError(
			async () => await getTokens(secretCredential({ resource: resources.join(' ') })),
		);
		const [request] = await tokenRequestsSince(since);
		expect(request).toMatchObject({ grantType: 'client_credentials', resources, status: 400 });
		expect(error.message).toMatch(
			/invalid_target \(only a single resource indicator value is supported for this grant type\)/,
		);
		expect(error.description).toMatch(/Keep one URI in "Resource"/);
	});

	it('an unknown resource: invalid_target, the hint names Resource', async () => {
		const error = await nodeError(
			async () => await getTokens(secretCredential({ resource: 'https://unknown.example/api' })),
		);
		expect(error.message).toMatch(/invalid_target/);
		expect(error.description).toMatch(/Change "Resource" in the credential/);
	});

	it('a resource with a fragment is refused before any request, naming the field', async () => {
		const since = Date.now();
		const error = await nodeError(
			async () =>
				await getTokens(secretCredential({ resource: `${resources[0]}\n${resources[1]}#x` })),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Resource/);
		expect(await tokenRequestsSince(since)).toEqual([]);
	});
});

describe('the credential in the HTTP Request node, with the token exchange grant', () => {
	const preAuthenticate = async (data: ICredentialDataDecryptedObject) => {
		const { context } = createExecuteContext({ parameters: {}, credentials: {} });
		const helper = { helpers: { httpRequest: context.helpers.httpRequest } } as IHttpRequestHelper;
		return await new OAuthClientSecretApi().preAuthentication!.call(helper, data);
	};

	it('exchanges its fallback subject token and saves the access token', async () => {
		const subject = await subjectToken();
		const saved = await preAuthenticate(exchangeCredential({ subjectToken: subject }));
		expect(typeof saved.accessToken).toBe('string');
		expect(saved.accessToken).not.toBe(subject);
	});

	it('without a fallback subject token (as the Test button runs it), fails saying where to put one', async () => {
		const outcome = await attemptAsync(async () => await preAuthenticate(exchangeCredential()));
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(String(outcome.error)).toMatch(/subject token.*"Subject Token"/s);
	});

	it('refuses a token that is not an access token (N_A), saying which setting to change', async () => {
		const subject = await subjectToken();
		const outcome = await attemptAsync(
			async () =>
				await preAuthenticate(
					exchangeCredential({ subjectToken: subject, requestedTokenType: 'jwt' }),
				),
		);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(String(outcome.error)).toMatch(
			/token_type "N_A".*Set "Requested Token Type" to Access Token/,
		);
		expectNoSecrets(outcome.error, [subject]);
	});
});
