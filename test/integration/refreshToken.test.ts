/**
 * Refresh through the node's real code. Against the real oidc-provider test server, which rotates
 * refresh tokens and treats the reuse of an old one as theft (it then revokes the whole grant);
 * and against a tiny local server for a server that issues no new refresh token (RFC 6749 §6).
 */
import { randomUUID } from 'node:crypto';

import { NodeApiError } from 'n8n-workflow';

import { sharedRefreshFlights, sharedTokenCache } from '../../protocol';
import { createExecuteContext } from '../helpers/executeContext';
import {
	credentialFor,
	expectNodeError,
	freshTokens,
	requestsTo,
	runOne,
	runOperation,
	type TestCredential,
} from '../helpers/lifecycle';
import { json, startLocalServer, type LocalServer } from '../helpers/localServer';
import { expectNoSecrets } from '../helpers/secrets';
import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';
import { resetServerLog } from '../server/fixtures';

const refresh = async (credential: TestCredential, refreshToken: string, scope = '') =>
	await runOne(credential, 'refreshToken', { refreshToken, scope });

beforeEach(async () => {
	sharedTokenCache.clear();
	await resetServerLog();
});

describe('Refresh against a server that rotates refresh tokens', () => {
	it('returns a rotated refresh token; the rotated one works; the old one then fails as "already used"', async () => {
		const credential = credentialFor('client_secret_basic');
		const { refreshToken: first } = await freshTokens(credential);

		const refreshed = await refresh(credential, first);
		expect(refreshed).toMatchObject({
			token_type: 'Bearer',
			refresh_token_rotated: true,
			shared_refresh: false,
			expires_at_source: 'expires_in',
		});
		expect(typeof refreshed.access_token).toBe('string');
		const second = String(refreshed.refresh_token);
		expect(second).not.toBe(first);

		// The rotated one works (checked before the reuse below, which revokes the grant).
		const again = await refresh(credential, second);
		expect(again.refresh_token_rotated).toBe(true);
		const third = String(again.refresh_token);

		const error = await expectNodeError(async () => await refresh(credential, first));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/invalid_grant.*refresh token already used/);
		expect(error.description).toMatch(/refresh token expired, was revoked, or was already used/);
		expectNoSecrets(error, [first, second, third, ...credential.secrets]);

		// oidc-provider treats the reuse as theft and revokes the grant, so the newest refresh token
		// is dead too: exactly the failure single flight exists to prevent.
		const afterReuse = await expectNodeError(async () => await refresh(credential, third));
		expect(afterReuse.message).toMatch(/invalid_grant/);
		expect(afterReuse.description).toMatch(/expired, was revoked, or was already used/);
	});

	it('asks for a narrower scope when told to', async () => {
		const credential = credentialFor('client_secret_post');
		const { refreshToken } = await freshTokens(credential);
		const since = Date.now();
		const refreshed = await refresh(credential, refreshToken, '  api:read ');
		expect(refreshed.scope).toBe('api:read');
		const [request] = await requestsTo('token', since);
		expect(request.bodyKeys).toEqual(
			expect.arrayContaining(['grant_type', 'refresh_token', 'scope']),
		);
	});

	it('an empty refresh token is a configuration error before any request', async () => {
		const since = Date.now();
		const error = await expectNodeError(
			async () => await refresh(credentialFor('client_secret_basic'), '  '),
		);
		expect(error.message).toMatch(/^Refresh Token: The refresh token is empty/);
		expect(await requestsTo('token', since)).toHaveLength(0);
	});
});

describe('single flight: one refresh token, one request', () => {
	it('50 items in one execution with the same refresh token make exactly one request and get the same token set', async () => {
		const credential = credentialFor('client_secret_basic');
		const { refreshToken } = await freshTokens(credential);
		const since = Date.now();
		const items = Array.from({ length: 50 }, (_, i) => ({ json: { i } }));
		const { output } = await runOperation(
			credential,
			'refreshToken',
			{ scope: '' },
			{ items, itemParameters: items.map(() => ({ refreshToken })) },
		);
		expect(output[0]).toHaveLength(50);
		expect(new Set(output[0].map((item) => item.json.access_token)).size).toBe(1);
		expect(new Set(output[0].map((item) => item.json.refresh_token)).size).toBe(1);
		expect(output[0][0].json.refresh_token).not.toBe(refreshToken);
		expect(output[0].filter((item) => item.json.shared_refresh === false)).toHaveLength(1);
		expect(output[0].map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(await requestsTo('token', since, (r) => r.grantType === 'refresh_token')).toHaveLength(
			1,
		);
	});

	it('50 concurrent executions in one process with the same refresh token make exactly one request and get the same token set', async () => {
		const credential = credentialFor('private_key_jwt');
		const { refreshToken } = await freshTokens(credential);
		const since = Date.now();
		const runs = await Promise.all(
			Array.from({ length: 50 }, async () => await refresh(credential, refreshToken)),
		);
		expect(new Set(runs.map((json) => json.access_token)).size).toBe(1);
		expect(new Set(runs.map((json) => json.refresh_token)).size).toBe(1);
		expect(runs.every((json) => json.refresh_token_rotated === true)).toBe(true);
		expect(runs.filter((json) => json.shared_refresh === false)).toHaveLength(1);
		const requests = await requestsTo('token', since, (r) => r.grantType === 'refresh_token');
		expect(requests).toHaveLength(1);
		expect(requests[0].status).toBe(200);
		expect(sharedRefreshFlights.size).toBe(0);
	});

	it('50 concurrent executions of 50 items each still make one request', async () => {
		const credential = credentialFor('client_secret_jwt');
		const { refreshToken } = await freshTokens(credential);
		const since = Date.now();
		const items = Array.from({ length: 50 }, (_, i) => ({ json: { i } }));
		const runs = await Promise.all(
			Array.from(
				{ length: 50 },
				async () =>
					await runOperation(
						credential,
						'refreshToken',
						{ scope: '' },
						{ items, itemParameters: items.map(() => ({ refreshToken })) },
					),
			),
		);
		const tokens = new Set(
			runs.flatMap((run) => run.output[0].map((item) => item.json.access_token)),
		);
		expect(tokens.size).toBe(1);
		expect(await requestsTo('token', since, (r) => r.grantType === 'refresh_token')).toHaveLength(
			1,
		);
	});

	it('different refresh tokens are not shared', async () => {
		const credential = credentialFor('client_secret_basic');
		const a = await freshTokens(credential);
		const b = await freshTokens(credential);
		const since = Date.now();
		const [ra, rb] = await Promise.all([
			refresh(credential, a.refreshToken),
			refresh(credential, b.refreshToken),
		]);
		expect(ra.access_token).not.toBe(rb.access_token);
		expect(await requestsTo('token', since, (r) => r.grantType === 'refresh_token')).toHaveLength(
			2,
		);
	});

	it('a failed refresh is shared by the items of its execution, which all become paired error items', async () => {
		const credential = credentialFor('client_secret_basic');
		const since = Date.now();
		const unknown = `unknown-${randomUUID()}`;
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const { context } = createExecuteContext({
			parameters: {
				authentication: 'clientSecret',
				operation: 'refreshToken',
				scope: '',
				refreshToken: unknown,
			},
			credentials: { oauthClientSecretApi: credential.data },
			items,
			continueOnFail: true,
		});
		const output = await new OauthToken().execute.call(context);
		expect(output[0]).toHaveLength(3);
		for (const [i, item] of output[0].entries()) {
			expect(item).toMatchObject({
				json: {
					error: expect.stringMatching(/invalid_grant/),
					description: expect.stringMatching(/already used/),
				},
				pairedItem: { item: i },
			});
		}
		expect(await requestsTo('token', since, (r) => r.grantType === 'refresh_token')).toHaveLength(
			1,
		);
	});
});

describe('Refresh against a server that issues no new refresh token', () => {
	// RFC 6749 §6: "The authorization server MAY issue a new refresh token, in which case the
	// client MUST discard the old refresh token and replace it with the new refresh token." So a
	// server may answer a refresh with an access token only; the client keeps the old refresh token.
	let local: LocalServer;
	const issued: string[] = [];

	beforeAll(async () => {
		local = await startLocalServer((request, res, socket) => {
			if (request.path === '/reset/token') {
				socket.resetAndDestroy();
				return;
			}
			if (
				request.form.get('grant_type') !== 'refresh_token' ||
				!request.form.get('refresh_token')
			) {
				json(res, 400, { error: 'invalid_request' });
				return;
			}
			if (request.headers.authorization === undefined) {
				json(res, 401, { error: 'invalid_client' });
				return;
			}
			const accessToken = `local-${randomUUID()}`;
			issued.push(accessToken);
			json(res, 200, {
				access_token: accessToken,
				token_type: 'Bearer',
				expires_in: 600,
				...(request.form.has('scope') ? { scope: request.form.get('scope') } : {}),
			});
		});
	});
	afterAll(async () => await local.close());

	const localCredential = (path: string) =>
		credentialFor('client_secret_basic', {
			tokenUrl: local.url(path),
			refreshTokenLifespan: 8_640_000,
		});

	it('keeps the old refresh token, says it did not rotate, and does not invent its expiry', async () => {
		const old = `old-refresh-${randomUUID()}`;
		const out = await refresh(localCredential('/token'), old);
		expect(out).toMatchObject({
			refresh_token: old,
			refresh_token_rotated: false,
			expires_at_source: 'expires_in',
			refresh_token_expires_at: null,
			refresh_token_expires_at_source: 'unknown',
		});
		expect(issued).toContain(out.access_token);
		const [request] = local.requests('/token');
		expect(request.form.get('refresh_token')).toBe(old);
		expect(request.form.has('scope')).toBe(false);
	});

	it('is never retried after the request may have reached the server, and says so', async () => {
		const before = local.requests('/reset/token').length;
		const error = await expectNodeError(
			async () => await refresh(localCredential('/reset/token'), `old-refresh-${randomUUID()}`),
		);
		expect(error.message).toMatch(
			/failed.*The refresh was not repeated: the server may have received it/,
		);
		expect(local.requests('/reset/token').length - before).toBe(1);
	});
});
