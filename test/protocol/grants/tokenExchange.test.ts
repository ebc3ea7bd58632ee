/**
 * RFC 8693 token exchange and RFC 8707 resource indicators in the core, without a network: what
 * the credential fields become, what goes on the wire, what is refused before sending, how the
 * response's issued_token_type is read, the cache key, and the hints.
 */
import { randomUUID } from 'node:crypto';

import {
	InvalidResponseError,
	OAuthConfigError,
	OAuthResponseError,
	TOKEN_TYPES,
	clientConfigFromCredential,
	getToken,
	hintFor,
	parseTokenResponse,
	resolveEndpoints,
	TokenCache,
	tokenCacheKey,
	withItemTokens,
	type ClientConfig,
	type CredentialData,
	type HttpRequest,
	type HttpResponse,
	type HttpSend,
	type TokenResult,
} from '../../../protocol';
import { scriptedSend } from '../../helpers/scriptedSend';
import { expectNoSecrets } from '../../helpers/secrets';

const TE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const subjectValue = `subject-${randomUUID()}`;
const actorValue = `actor-${randomUUID()}`;
const clientValue = `secret-${randomUUID()}`;

const base: CredentialData = {
	formVersion: 2,
	endpointMode: 'manual',
	tokenUrl: 'https://as.example/token',
	clientId: 'unit-client',
	clientSecret: clientValue,
	clientAuthentication: 'client_secret_post',
	grantType: 'tokenExchange',
	subjectTokenType: 'access_token',
};

const configOf = (data: CredentialData = {}): ClientConfig =>
	clientConfigFromCredential('clientSecret', { ...base, ...data });

const json = (status: number, body: unknown): HttpResponse => ({
	status,
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body),
});

const issued = (extra: Record<string, unknown> = {}) =>
	json(200, {
		access_token: `issued-${randomUUID()}`,
		issued_token_type: TOKEN_TYPES.access_token,
		token_type: 'Bearer',
		expires_in: 600,
		...extra,
	});

const form = (request: HttpRequest) => new URLSearchParams(String(request.body));

function configError(run: () => unknown): OAuthConfigError {
	try {
		run();
	} catch (error) {
		if (error instanceof OAuthConfigError) return error;
		throw error;
	}
	throw new Error('expected an OAuthConfigError');
}

async function asyncError(run: () => Promise<unknown>): Promise<Error> {
	try {
		await run();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected an error');
}

const fresh = () => new TokenCache<TokenResult>({ maxEntries: 10 });

describe('token exchange on the wire (RFC 8693 §2.1)', () => {
	it('sends the grant, the item subject token and its type, audience, resources and scope', async () => {
		const { send, requests } = scriptedSend(issued());
		const config = withItemTokens(
			configOf({
				audience: 'urn:example:billing',
				resource: 'https://a.example/api\nhttps://b.example/api',
				scope: 'read',
			}),
			{ subjectToken: subjectValue },
		);
		await getToken(config, send, { cache: fresh() });
		const params = form(requests[0]);
		expect(params.get('grant_type')).toBe(TE);
		expect(params.get('subject_token')).toBe(subjectValue);
		expect(params.get('subject_token_type')).toBe(TOKEN_TYPES.access_token);
		expect(params.get('audience')).toBe('urn:example:billing');
		expect(params.getAll('resource')).toEqual(['https://a.example/api', 'https://b.example/api']);
		expect(params.get('scope')).toBe('read');
		expect(params.has('actor_token')).toBe(false);
		expect(params.has('requested_token_type')).toBe(false);
	});

	it('sends the actor token with its type, and the requested and custom token types', async () => {
		const { send, requests } = scriptedSend(
			json(200, {
				access_token: 'x.y.z',
				issued_token_type: TOKEN_TYPES.jwt,
				token_type: 'N_A',
			}),
		);
		const config = configOf({
			subjectToken: subjectValue,
			subjectTokenType: 'custom',
			customSubjectTokenType: 'urn:example:token-type:internal',
			actorToken: actorValue,
			actorTokenType: 'jwt',
			requestedTokenType: 'jwt',
		});
		await getToken(config, send, { cache: fresh() });
		const params = form(requests[0]);
		expect(params.get('subject_token')).toBe(subjectValue);
		expect(params.get('subject_token_type')).toBe('urn:example:token-type:internal');
		expect(params.get('actor_token')).toBe(actorValue);
		expect(params.get('actor_token_type')).toBe(TOKEN_TYPES.jwt);
		expect(params.get('requested_token_type')).toBe(TOKEN_TYPES.jwt);
	});

	it('the item tokens replace the credential fallback; empty item values keep it', async () => {
		const config = configOf({ subjectToken: 'fallback-subject' });
		expect(withItemTokens(config, { subjectToken: '' }).grant).toMatchObject({
			subjectToken: 'fallback-subject',
		});
		expect(withItemTokens(config, { subjectToken: subjectValue }).grant).toMatchObject({
			subjectToken: subjectValue,
		});
	});
});

describe('refused before sending', () => {
	const send: HttpSend = async () => {
		throw new Error('no request may be sent');
	};

	it('no subject token, naming the node and credential fields', async () => {
		const error = await asyncError(() => getToken(configOf(), send, { cache: fresh() }));
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect((error as OAuthConfigError).field).toBe('Subject Token');
	});

	it('an actor token without its type (RFC 8693 §2.1), from the node or the credential', async () => {
		const fromNode = withItemTokens(configOf({ subjectToken: subjectValue }), {
			actorToken: actorValue,
		});
		const error = await asyncError(() => getToken(fromNode, send, { cache: fresh() }));
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect((error as OAuthConfigError).field).toBe('Actor Token Type');
		expectNoSecrets(error, [actorValue, subjectValue, clientValue]);
		const fromCredential = configOf({ subjectToken: subjectValue, actorToken: actorValue });
		const again = await asyncError(() => getToken(fromCredential, send, { cache: fresh() }));
		expect((again as OAuthConfigError).field).toBe('Actor Token Type');
	});

	it('a custom token type that is not a URI', () => {
		const error = configError(() =>
			configOf({ subjectTokenType: 'custom', customSubjectTokenType: 'internal' }),
		);
		expect(error.field).toBe('Custom Subject Token Type');
	});

	it('node token values with a credential of another grant', () => {
		const error = configError(() =>
			withItemTokens(configOf({ grantType: 'clientCredentials' }), { subjectToken: subjectValue }),
		);
		expect(error.field).toBe('Subject Token');
		expect(error.message).toMatch(/Token Exchange \(RFC 8693\)/);
		expectNoSecrets(error, [subjectValue]);
	});

	it('token exchange parameters in "Additional Body Parameters"', async () => {
		const config = configOf({
			subjectToken: subjectValue,
			additionalParameters: '{"subject_token_type":"x"}',
		});
		const error = await asyncError(() => getToken(config, send, { cache: fresh() }));
		expect((error as OAuthConfigError).field).toBe('Additional Body Parameters');
		// Other grants never sent them, so they stay allowed there (unchanged behaviour).
		const other = configOf({
			grantType: 'clientCredentials',
			additionalParameters: '{"subject_token_type":"x"}',
		});
		const { send: ok } = scriptedSend(issued());
		await expect(getToken(other, ok, { cache: fresh() })).resolves.toBeDefined();
	});
});

describe('the response (RFC 8693 §2.2.1)', () => {
	const hints = {};
	it('carries issued_token_type as the server said it', () => {
		const token = parseTokenResponse(issued(), hints, { tokenExchange: true });
		expect(token).toMatchObject({
			issued_token_type: TOKEN_TYPES.access_token,
			issued_token_type_source: 'issued_token_type',
			token_type: 'Bearer',
		});
	});

	it('accepts token_type N_A for a token that is not an access token', () => {
		const token = parseTokenResponse(
			json(200, { access_token: 'a.b.c', issued_token_type: TOKEN_TYPES.jwt, token_type: 'N_A' }),
			hints,
			{ tokenExchange: true },
		);
		expect(token).toMatchObject({ token_type: 'N_A', issued_token_type: TOKEN_TYPES.jwt });
	});

	it('refuses N_A outside a token exchange, and N_A for an access token', () => {
		const body = { access_token: 'a', issued_token_type: TOKEN_TYPES.jwt, token_type: 'N_A' };
		expect(() => parseTokenResponse(json(200, body))).toThrow(/not a Bearer token/);
		expect(() =>
			parseTokenResponse(
				json(200, { ...body, issued_token_type: TOKEN_TYPES.access_token }),
				hints,
				{ tokenExchange: true },
			),
		).toThrow(/not a Bearer token/);
	});

	it('missing issued_token_type with a Bearer token: an access token, labelled as inferred', () => {
		const token = parseTokenResponse(
			json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 60 }),
			hints,
			{ tokenExchange: true },
		);
		expect(token).toMatchObject({
			issued_token_type: TOKEN_TYPES.access_token,
			issued_token_type_source: 'token_type_bearer',
		});
	});

	it('missing issued_token_type with N_A: refused, since nobody can tell what was issued', () => {
		const answer = json(200, { access_token: 'a', token_type: 'N_A' });
		expect(() => parseTokenResponse(answer, hints, { tokenExchange: true })).toThrow(
			InvalidResponseError,
		);
		expect(() => parseTokenResponse(answer, hints, { tokenExchange: true })).toThrow(
			/no "issued_token_type" \(RFC 8693 §2\.2\.1 requires it\)/,
		);
	});
});

describe('the cache key', () => {
	const endpointsOf = async (config: ClientConfig) =>
		await resolveEndpoints(config.endpoints, async () => json(500, {}), Date.now());

	it('differs per subject and actor token, and holds neither', async () => {
		const config = configOf();
		const endpoints = await endpointsOf(config);
		const key = (tokens: { subjectToken?: string; actorToken?: string }) =>
			tokenCacheKey(withItemTokens(config, tokens), endpoints);
		const keys = [
			key({ subjectToken: 'alice-token' }),
			key({ subjectToken: 'bob-token' }),
			key({ subjectToken: 'alice-token', actorToken: 'svc-token' }),
			key({ subjectToken: 'alice-token', actorToken: 'other-token' }),
		];
		expect(new Set(keys).size).toBe(4);
		expect(key({ subjectToken: 'alice-token' })).toBe(keys[0]);
		expectNoSecrets(keys, ['alice-token', 'svc-token']);
	});

	it('two subjects get two tokens; the same subject again reuses its token', async () => {
		let n = 0;
		const send: HttpSend = async () => issued({ access_token: `issued-${++n}` });
		const cache = fresh();
		const config = configOf();
		const a1 = await getToken(withItemTokens(config, { subjectToken: 'a' }), send, { cache });
		const b = await getToken(withItemTokens(config, { subjectToken: 'b' }), send, { cache });
		const a2 = await getToken(withItemTokens(config, { subjectToken: 'a' }), send, { cache });
		expect([a1.token.access_token, b.token.access_token, a2.token.access_token]).toEqual([
			'issued-1',
			'issued-2',
			'issued-1',
		]);
		expect(a2.reused).toBe(true);
	});

	it('includes every resource', async () => {
		const one = configOf({ grantType: 'clientCredentials', resource: 'https://a.example' });
		const endpoints = await endpointsOf(one);
		const two = configOf({
			grantType: 'clientCredentials',
			resource: 'https://a.example https://b.example',
		});
		const other = configOf({
			grantType: 'clientCredentials',
			resource: 'https://a.example https://c.example',
		});
		const keys = [one, two, other].map((config) => tokenCacheKey(config, endpoints));
		expect(new Set(keys).size).toBe(3);
		expect(one.resource).toEqual(['https://a.example']);
	});
});

describe('resource indicators (RFC 8707 §2)', () => {
	const cc = (resource: string, formVersion: number = 2) =>
		configOf({ grantType: 'clientCredentials', resource, formVersion });

	it('one per line or separated by spaces, duplicates dropped, each its own parameter', async () => {
		const config = cc(' https://a.example/x?q=1 \n\nhttps://b.example  https://a.example/x?q=1 ');
		expect(config.resource).toEqual(['https://a.example/x?q=1', 'https://b.example']);
		const { send, requests } = scriptedSend(issued());
		await getToken(config, send, { cache: fresh() });
		expect(form(requests[0]).getAll('resource')).toEqual([
			'https://a.example/x?q=1',
			'https://b.example',
		]);
		expect(String(requests[0].body)).toMatch(/resource=.*&resource=/);
	});

	it('a URN is an absolute URI too', () => {
		expect(cc('urn:example:api').resource).toEqual(['urn:example:api']);
	});

	it.each([
		[
			'a relative value',
			'https://a.example orders-api',
			/"orders-api" in "Resource".*not an absolute URI/,
		],
		['a fragment', 'https://a.example https://b.example/api#v2', /fragment/],
	])('among several values, refuses %s, naming the field', (_name, value, message) => {
		const error = configError(() => cc(value));
		expect(error.field).toBe('Resource');
		expect(error.message).toMatch(message);
	});

	it('one saved value is sent as before, valid or not (it was one parameter before several were allowed)', () => {
		expect(cc('orders-api').resource).toEqual(['orders-api']);
		expect(cc(' https://a.example/api#v2 ').resource).toEqual(['https://a.example/api#v2']);
	});

	it('a credential saved before (form 1) sends its value as one parameter, as before', async () => {
		expect(cc('orders-api', 1).resource).toEqual(['orders-api']);
		expect(cc('urn:a urn:b', 1).resource).toEqual(['urn:a urn:b']);
		const { send, requests } = scriptedSend(issued());
		await getToken(cc('https://a.example', 1), send, { cache: fresh() });
		expect(form(requests[0]).getAll('resource')).toEqual(['https://a.example']);
	});

	it('no resource: no parameter', async () => {
		const { send, requests } = scriptedSend(issued());
		await getToken(cc(''), send, { cache: fresh() });
		expect(form(requests[0]).has('resource')).toBe(false);
	});

	it('repeated resources replace a "resource" in Additional Body Parameters entirely', async () => {
		const config = configOf({
			grantType: 'clientCredentials',
			resource: 'https://a.example https://b.example',
			additionalParameters: '{"resource":"https://old.example","x":"1"}',
		});
		const { send, requests } = scriptedSend(issued());
		await getToken(config, send, { cache: fresh() });
		expect(form(requests[0]).getAll('resource')).toEqual([
			'https://a.example',
			'https://b.example',
		]);
		expect(form(requests[0]).get('x')).toBe('1');
	});
});

describe('hints (grant-aware)', () => {
	const hint = (error: string, description: string | undefined, grant: string) =>
		hintFor(error, description, { grant, endpoint: 'token' });

	it('invalid_target on a token exchange names Audience and Resource', () => {
		expect(hint('invalid_target', 'audience x is not a known target', 'token_exchange')?.id).toBe(
			'token-exchange-target',
		);
		expect(hint('invalid_target', undefined, 'token_exchange')?.fix).toMatch(
			/"Audience" or "Resource"/,
		);
	});

	it('invalid_target on another grant names Resource; several refused: one per request', () => {
		expect(hint('invalid_target', undefined, 'client_credentials')?.id).toBe('invalid-target');
		expect(
			hint(
				'invalid_target',
				'only a single resource indicator value is supported for this grant type',
				'client_credentials',
			)?.id,
		).toBe('single-resource');
	});

	it('invalid_request is about the subject token only on a token exchange', () => {
		expect(hint('invalid_request', 'subject_token is invalid', 'token_exchange')?.id).toBe(
			'token-exchange-request',
		);
		expect(
			hint('invalid_request', 'subject_token is invalid', 'client_credentials'),
		).toBeUndefined();
	});

	it('the server error reaches the user with the hint and without the tokens', async () => {
		const { send } = scriptedSend(
			json(400, { error: 'invalid_request', error_description: 'subject_token is not active' }),
		);
		const config = configOf({
			subjectToken: subjectValue,
			actorToken: actorValue,
			actorTokenType: 'access_token',
		});
		const error = await asyncError(() => getToken(config, send, { cache: fresh() }));
		expect(error).toBeInstanceOf(OAuthResponseError);
		expect((error as OAuthResponseError).hint).toMatch(/"Subject Token Type"/);
		expectNoSecrets(error, [subjectValue, actorValue, clientValue]);
	});
});
