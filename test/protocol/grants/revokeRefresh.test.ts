/** Revoke's retry bound, Refresh's single attempt, and the hints they get, without a network. */
import { randomUUID } from 'node:crypto';

import {
	REVOKE_RETRY_POLICY,
	OAuthResponseError,
	OAuthTransportError,
	clientConfigFromCredential,
	hintFor,
	keepRefreshToken,
	refreshToken,
	revokeToken,
	type ClientConfig,
	type HttpResponse,
} from '../../../protocol';
import { scriptedSend } from '../../helpers/scriptedSend';

const clientValue = `unit-${randomUUID()}`;
const config: ClientConfig = clientConfigFromCredential('clientSecret', {
	endpointMode: 'manual',
	tokenUrl: 'https://as.example/token',
	revocationUrl: 'https://as.example/revoke',
	clientId: 'unit-client',
	clientSecret: clientValue,
	clientAuthentication: 'client_secret_post',
	grantType: 'clientCredentials',
});

const busy = (retryAfter?: string): HttpResponse => ({
	status: 503,
	headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
	body: '',
});
const ok: HttpResponse = { status: 200, headers: {}, body: '' };

function clock() {
	let t = 1_700_000_000_000;
	const sleeps: number[] = [];
	return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
}

describe('Revoke retry bound', () => {
	it('retries 503 at most twice, waiting the Retry-After each time, then reports the token may still be valid', async () => {
		const { send, requests } = scriptedSend([busy('2')]);
		const time = clock();
		await expect(
			revokeToken(config, `t-${randomUUID()}`, send, { now: time.now, sleep: time.sleep }),
		).rejects.toThrow(/after 3 attempts: the token may still be valid/);
		expect(requests).toHaveLength(1 + REVOKE_RETRY_POLICY.maxRetries);
		expect(REVOKE_RETRY_POLICY.maxRetries).toBe(2);
		expect(time.sleeps).toEqual([2000, 2000]);
	});

	it('does not wait for a Retry-After longer than the cap', async () => {
		const { send, requests } = scriptedSend([
			busy(String(REVOKE_RETRY_POLICY.maxDelayMs / 1000 + 1)),
		]);
		const time = clock();
		await expect(
			revokeToken(config, `t-${randomUUID()}`, send, { now: time.now, sleep: time.sleep }),
		).rejects.toThrow(/after 1 attempt:/);
		expect(requests).toHaveLength(1);
		expect(time.sleeps).toEqual([]);
	});

	it('succeeds on the retry, and counts the attempts', async () => {
		const { send } = scriptedSend([busy('1'), ok]);
		const time = clock();
		const result = await revokeToken(config, `t-${randomUUID()}`, send, {
			now: time.now,
			sleep: time.sleep,
			tokenTypeHint: 'refresh_token',
		});
		expect(result).toMatchObject({
			attempts: 2,
			status: 200,
			alreadyInvalid: false,
			tokenTypeHint: 'refresh_token',
			revokedAt: time.now(),
		});
	});

	it('ServiceNow-style GET revocation puts the token in the query and sends no client credentials', async () => {
		const { send, requests } = scriptedSend([ok]);
		const value = `t-${randomUUID()}`;
		const result = await revokeToken(
			{ ...config, revocation: { method: 'GET', invalidTokenMeansRevoked: false } },
			value,
			send,
		);
		expect(requests[0]).toMatchObject({
			method: 'GET',
			url: `https://as.example/revoke?token=${value}`,
		});
		expect(requests[0].body).toBeUndefined();
		expect(result.revocationEndpoint).toBe('https://as.example/revoke');
	});

	it('a preset without revocation refuses before any request', async () => {
		const { send, requests } = scriptedSend([ok]);
		await expect(
			revokeToken(
				{
					...config,
					revocation: {
						method: 'POST',
						invalidTokenMeansRevoked: false,
						unsupportedReason: 'No endpoint here.',
					},
				},
				'x',
				send,
			),
		).rejects.toMatchObject({ field: 'Revocation URL', message: 'No endpoint here.' });
		expect(requests).toHaveLength(0);
	});
});

describe('Refresh is sent once', () => {
	it('a 503 is not retried', async () => {
		const { send, requests } = scriptedSend([busy('1')]);
		await expect(refreshToken(config, `r-${randomUUID()}`, send)).rejects.toThrow(/HTTP 503/);
		expect(requests).toHaveLength(1);
	});

	it('a failure that may have reached the server is not retried, and the error says why', async () => {
		const { send, requests } = scriptedSend([
			new OAuthTransportError(
				'token',
				'The request to https://as.example timed out.',
				'ETIMEDOUT',
				true,
			),
		]);
		await expect(refreshToken(config, `r-${randomUUID()}`, send)).rejects.toThrow(
			/not repeated: the server may have received it/,
		);
		expect(requests).toHaveLength(1);
	});

	it('sends grant_type, the refresh token and the client authentication, and no credential scope', async () => {
		const value = `r-${randomUUID()}`;
		const { send, requests } = scriptedSend([
			{
				status: 200,
				headers: {},
				body: JSON.stringify({ access_token: 'a'.repeat(30), token_type: 'Bearer' }),
			},
		]);
		await refreshToken({ ...config, scope: 'credential-scope' }, value, send);
		const form = new URLSearchParams(requests[0].body);
		expect([...form.keys()]).toEqual(['grant_type', 'refresh_token', 'client_id', 'client_secret']);
		expect(form.get('refresh_token')).toBe(value);
	});
});

describe('keepRefreshToken', () => {
	const old = `old-${randomUUID()}`;
	const fresh = `new-${randomUUID()}`;
	const base = { access_token: 'a', token_type: 'Bearer' };

	it.each([
		['no refresh token', base, old, false],
		['an empty refresh token', { ...base, refresh_token: '' }, old, false],
		['the same refresh token', { ...base, refresh_token: old }, old, false],
		['a new refresh token', { ...base, refresh_token: fresh }, fresh, true],
	])('%s', (_name, token, expected, rotated) => {
		expect(keepRefreshToken(token, old)).toEqual({
			token: { ...token, refresh_token: expected },
			rotated,
		});
	});
});

describe('hints know which request failed', () => {
	const salesforceLike = [
		{
			id: 'provider-any-grant',
			errors: ['invalid_grant'],
			cause: 'provider cause',
			fix: 'provider fix',
		},
	];

	it('invalid_grant on a refresh is always about the refresh token, whatever the description and provider', () => {
		for (const description of [
			undefined,
			'grant request is invalid',
			'refresh token already used',
			'expired access/refresh token',
		]) {
			expect(
				hintFor('invalid_grant', description, { grant: 'refresh_token', endpoint: 'token' })?.id,
			).toBe('refresh-token-invalid');
			expect(
				hintFor('invalid_grant', description, {
					grant: 'refresh_token',
					providerHints: salesforceLike,
				})?.id,
			).toBe('refresh-token-invalid');
		}
	});

	it('invalid_grant on other grants is not taken for a refresh problem', () => {
		expect(
			hintFor('invalid_grant', 'invalid resource owner credentials', { grant: 'password' })?.id,
		).toBe('password-grant');
		expect(
			hintFor('invalid_grant', 'assertion jti has already been used', { grant: 'jwt_bearer' })?.id,
		).toBe('assertion-replayed');
	});

	it('a wrong password gets the hint naming Username and Password, whatever the description', () => {
		for (const description of [undefined, 'Invalid user credentials', 'authentication failure']) {
			const hint = hintFor('invalid_grant', description, { grant: 'password', endpoint: 'token' });
			expect(hint?.id).toBe('password-grant');
			expect(hint?.fix).toMatch(/"Username" and "Password"/);
		}
	});

	it('hints match the grant used: a JWT bearer "user hasn\'t approved this consumer" on the Generic preset is not a password problem', () => {
		const hint = hintFor('invalid_grant', "user hasn't approved this consumer", {
			grant: 'jwt_bearer',
			endpoint: 'token',
		});
		expect(hint?.id).toBe('jwt-bearer-subject');
		expect(hint?.fix).not.toMatch(/Password/);
		for (const grant of ['client_credentials', 'jwt_bearer', 'refresh_token'])
			expect(hintFor('invalid_grant', 'invalid user credentials', { grant })?.id).not.toBe(
				'password-grant',
			);
	});

	it('revocation hints apply at the revocation endpoint only', () => {
		expect(
			hintFor('invalid_request', 'client is not authorized to revoke the presented token', {
				endpoint: 'revocation',
			})?.id,
		).toBe('revoke-other-client');
		expect(
			hintFor('invalid_request', 'client is not authorized to revoke the presented token', {
				endpoint: 'token',
			}),
		).toBeUndefined();
		expect(hintFor('invalid_token', undefined, { endpoint: 'revocation' })?.id).toBe(
			'revoke-invalid-token',
		);
		expect(hintFor('unsupported_token_type', undefined, { endpoint: 'revocation' })?.id).toBe(
			'revoke-unsupported-type',
		);
	});

	it('the error of a refresh carries the hint', async () => {
		const answer: HttpResponse = {
			status: 400,
			headers: {},
			body: '{"error":"invalid_grant","error_description":"grant request is invalid"}',
		};
		const outcome = await refreshToken(config, `r-${randomUUID()}`, async () => answer).catch(
			(error: unknown) => error,
		);
		expect(outcome).toBeInstanceOf(OAuthResponseError);
		expect((outcome as OAuthResponseError).hint).toMatch(
			/expired, was revoked, or was already used/,
		);
	});
});
