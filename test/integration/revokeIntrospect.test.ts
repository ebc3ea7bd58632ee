/**
 * Revoke (RFC 7009) and Introspect (RFC 7662) through the node's real code, against the real
 * oidc-provider test server; provider behaviour it lacks (503 with Retry-After, Salesforce's
 * 400 invalid_token) comes from tiny local servers that follow the cited documents.
 */
import { randomUUID } from 'node:crypto';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { sharedTokenCache } from '../../protocol';
import {
	credentialFor,
	expectNodeError,
	freshTokens,
	requestsTo,
	runOne,
	runOperation,
	unknownValue,
	type TestCredential,
} from '../helpers/lifecycle';
import { json, startLocalServer, type LocalServer } from '../helpers/localServer';
import { collectText } from '../helpers/secrets';
import { loadTestServer, resetServerLog } from '../server/fixtures';

const server = loadTestServer();

const revoke = async (
	credential: TestCredential,
	token: string,
	tokenTypeHint = 'auto',
	options: Record<string, unknown> = {},
) => await runOne(credential, 'revokeToken', { token, tokenTypeHint, options });
const introspect = async (
	credential: TestCredential,
	token: string,
	tokenTypeHint = 'auto',
	timezone?: string,
) => await runOne(credential, 'introspectToken', { token, tokenTypeHint }, { timezone });

beforeEach(async () => {
	sharedTokenCache.clear();
	await resetServerLog();
});

describe('Revoke against the real server', () => {
	it('revoking a refresh token makes introspection report it inactive and a refresh fail', async () => {
		const credential = credentialFor('client_secret_basic');
		const { refreshToken } = await freshTokens(credential);
		expect((await introspect(credential, refreshToken, 'refresh_token')).active).toBe(true);

		const revoked = await revoke(credential, refreshToken, 'refresh_token');
		expect(revoked).toMatchObject({
			revoked: true,
			token_masked: `${refreshToken.slice(0, 4)}…${refreshToken.slice(-4)}`,
			token_type_hint: 'refresh_token',
			already_invalid: false,
			revocation_endpoint: server.revocationEndpoint,
			http_status: 200,
			attempts: 1,
		});
		expect(Math.abs(Date.parse(String(revoked.revoked_at)) - Date.now())).toBeLessThan(5_000);
		// The output confirms which token without carrying it.
		expect(collectText(revoked)).not.toContain(refreshToken);

		const after = await introspect(credential, refreshToken, 'refresh_token');
		expect(after).toMatchObject({ active: false, expires_at: null, expires_at_source: 'unknown' });

		const error = await expectNodeError(
			async () => await runOne(credential, 'refreshToken', { refreshToken, scope: '' }),
		);
		expect(error.message).toMatch(/invalid_grant/);
		expect(error.description).toMatch(/refresh token expired, was revoked, or was already used/);
	});

	it('sends the hint and client authentication the RFC asks for', async () => {
		const credential = credentialFor('client_secret_post');
		const { accessToken } = await freshTokens(credential);
		const since = Date.now();
		await revoke(credential, accessToken, 'access_token');
		const [request] = await requestsTo('revocation', since);
		expect(request).toMatchObject({
			method: 'POST',
			tokenTypeHint: 'access_token',
			clientId: credential.clientId,
			status: 200,
		});
		expect(request.bodyKeys).toEqual(['token', 'token_type_hint', 'client_id', 'client_secret']);
	});

	it('revoking a token the server does not know succeeds (RFC 7009 §2.2)', async () => {
		const out = await revoke(credentialFor('client_secret_basic'), unknownValue('never-issued'));
		expect(out).toMatchObject({
			revoked: true,
			http_status: 200,
			token_type_hint: null,
			already_invalid: false,
		});
	});

	it("revoking another client's token fails with a clear error, and the token stays active", async () => {
		const owner = credentialFor('client_secret_basic');
		const other = credentialFor('client_secret_post');
		const { accessToken } = await freshTokens(owner);
		// oidc-provider (features.revocation.allowedPolicy) answers 400 invalid_request
		// "client is not authorized to revoke the presented token".
		const error = await expectNodeError(async () => await revoke(other, accessToken));
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.message).toMatch(
			/^The revocation endpoint refused the request: invalid_request \(client is not authorized to revoke the presented token\)/,
		);
		expect(error.description).toMatch(
			/issued to another client.*Revoke it with the credential of the client that obtained the token/,
		);
		expect(collectText(error)).not.toContain(accessToken);
		expect((await introspect(owner, accessToken)).active).toBe(true);
	});

	it('no revocation endpoint: a configuration error naming "Revocation URL", before any request', async () => {
		const since = Date.now();
		const credential = credentialFor('client_secret_basic', { revocationUrl: '' });
		const { output, httpCalls } = await runOperation(
			credential,
			'revokeToken',
			{ token: unknownValue('x'), tokenTypeHint: 'auto' },
			{ continueOnFail: true },
		);
		expect(output[0][0].json.error).toMatch(/^Revocation URL: No revocation endpoint is known/);
		expect(output[0][0].json.description).toMatch(/Enter the "Revocation URL"/);
		expect(httpCalls).toHaveLength(0);
		expect(await requestsTo('revocation', since)).toHaveLength(0);
		const thrown = await expectNodeError(async () => await revoke(credential, unknownValue('x')));
		expect(thrown).toBeInstanceOf(NodeOperationError);
	});

	it('finds the revocation and introspection endpoints by discovery', async () => {
		const credential = credentialFor('client_secret_basic', {
			endpointMode: 'discovery',
			issuerUrl: server.issuer,
			tokenUrl: '',
			revocationUrl: '',
			introspectionUrl: '',
		});
		const { accessToken } = await freshTokens(credential);
		expect((await introspect(credential, accessToken)).active).toBe(true);
		expect((await revoke(credential, accessToken)).revocation_endpoint).toBe(
			server.revocationEndpoint,
		);
		expect((await introspect(credential, accessToken)).active).toBe(false);
	});

	it('an empty token is a configuration error', async () => {
		const error = await expectNodeError(
			async () => await revoke(credentialFor('client_secret_basic'), ' '),
		);
		expect(error.message).toMatch(/^Token: The token to revoke is empty/);
	});
});

describe('Introspect against the real server', () => {
	it('an active access token: active, its exp, and the expiry in the workflow time zone', async () => {
		const credential = credentialFor('client_secret_jwt');
		const { accessToken } = await freshTokens(credential);
		const out = await introspect(credential, accessToken, 'access_token', 'Asia/Tokyo');
		expect(out).toMatchObject({
			active: true,
			client_id: credential.clientId,
			sub: server.fixtures.users.alice.username,
			expires_at_source: 'introspection_exp',
			expired: false,
		});
		expect(typeof out.exp).toBe('number');
		expect(String(out.expires_at)).toMatch(/\+09:00$/);
		expect(Date.parse(String(out.expires_at))).toBe((out.exp as number) * 1000);
		expect(out.seconds_until_expiry).toBeGreaterThan(server.fixtures.accessTokenTtl - 30);
		expect(out.seconds_until_expiry).toBeLessThanOrEqual(server.fixtures.accessTokenTtl);
		expect(String(out.introspected_at)).toMatch(/\+09:00$/);
	});

	it('a revoked access token: active false, a normal result', async () => {
		const credential = credentialFor('client_secret_basic');
		const { accessToken } = await freshTokens(credential);
		await revoke(credential, accessToken, 'access_token');
		const out = await introspect(credential, accessToken);
		expect(out).toMatchObject({
			active: false,
			expires_at: null,
			expires_at_source: 'unknown',
			seconds_until_expiry: null,
			expired: null,
		});
	});

	it('no introspection endpoint: a configuration error naming "Introspection URL"', async () => {
		const error = await expectNodeError(
			async () =>
				await introspect(
					credentialFor('client_secret_basic', { introspectionUrl: '' }),
					unknownValue('x'),
				),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Introspection URL: No introspection endpoint is known/);
	});
});

describe('Revoke against provider behaviour the test server lacks', () => {
	let local: LocalServer;
	const seen = new Map<string, number>();

	beforeAll(async () => {
		local = await startLocalServer((request, res) => {
			const count = (seen.get(request.path) ?? 0) + 1;
			seen.set(request.path, count);
			const [, behaviour] = request.path.split('/');
			switch (behaviour) {
				// RFC 7009 §2.2.1: 503 "indicates that the revocation could not be performed and the
				// token may still be valid"; the client may retry after the Retry-After delay.
				case 'busy-once':
					if (count === 1)
						return json(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '1' });
					return void res.writeHead(200).end();
				case 'busy-always':
					return json(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '0' });
				case 'busy-long':
					return json(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '3600' });
				// Salesforce (developer.salesforce.com/docs/atlas.en-us.mobile_sdk.meta/mobile_sdk/oauth_revoking_tokens.htm):
				// an invalid token is answered with HTTP 400 and error invalid_token, not RFC 7009's 200.
				case 'salesforce':
					return json(res, 400, { error: 'invalid_token', error_description: 'Invalid token' });
				default:
					return json(res, 404, { error: 'not_found' });
			}
		});
	});
	afterAll(async () => await local.close());

	const at = (behaviour: string) =>
		credentialFor('client_secret_post', {
			tokenUrl: local.url(`/${behaviour}/${randomUUID()}/token`),
			revocationUrl: local.url(`/${behaviour}/${randomUUID()}/revoke`),
		});
	const revokePath = (credential: TestCredential) =>
		new URL(String(credential.data.revocationUrl)).pathname;

	it('503 with Retry-After is retried after the delay, then succeeds', async () => {
		const credential = at('busy-once');
		const started = Date.now();
		const out = await revoke(credential, unknownValue('tok'));
		expect(out).toMatchObject({ revoked: true, attempts: 2, http_status: 200 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(seen.get(revokePath(credential))).toBe(2);
	});

	it('a server that stays unavailable is tried a bounded number of times, and the error says the token may still be valid', async () => {
		const credential = at('busy-always');
		const error = await expectNodeError(async () => await revoke(credential, unknownValue('tok')));
		expect(error.message).toMatch(
			/unavailable \(HTTP 503 \("temporarily_unavailable"\)\) after 3 attempts: the token may still be valid/,
		);
		expect(seen.get(revokePath(credential))).toBe(3);
	});

	it('a Retry-After beyond the bound is not waited for', async () => {
		const credential = at('busy-long');
		const started = Date.now();
		const error = await expectNodeError(async () => await revoke(credential, unknownValue('tok')));
		expect(error.message).toMatch(/after 1 attempt:/);
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(seen.get(revokePath(credential))).toBe(1);
	});

	it('Salesforce-style 400 invalid_token with "Treat Invalid Token as Already Revoked" is reported as already revoked', async () => {
		const token = unknownValue('sf');
		const out = await revoke(at('salesforce'), token, 'access_token', {
			invalidTokenMeansRevoked: true,
		});
		expect(out).toMatchObject({
			revoked: true,
			already_invalid: true,
			http_status: 400,
			token_type_hint: 'access_token',
		});
		expect(collectText(out)).not.toContain(token);
	});

	it('the same answer without the option is an error that points at the option', async () => {
		const error = await expectNodeError(
			async () => await revoke(at('salesforce'), unknownValue('sf')),
		);
		expect(error.message).toMatch(/revocation endpoint refused the request: invalid_token/);
		expect(error.description).toMatch(/Treat Invalid Token as Already Revoked/);
	});
});
