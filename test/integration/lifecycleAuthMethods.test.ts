/**
 * Every token operation with each of the four client authentication methods, against the real
 * test server (which refuses a credential in the wrong place): the request log shows how the
 * client authenticated at the token, introspection and revocation endpoints.
 */
import { sharedTokenCache } from '../../protocol';
import {
	AUTH_METHODS,
	credentialFor,
	freshTokens,
	requestsTo,
	runOne,
	type AuthMethod,
} from '../helpers/lifecycle';
import { collectText, expectNoSecrets } from '../helpers/secrets';
import type { RecordedRequest } from '../server/fixtures';
import { resetServerLog } from '../server/fixtures';

beforeEach(async () => {
	sharedTokenCache.clear();
	await resetServerLog();
});

/** How each method must show in the log, whatever the endpoint. */
function expectAuthenticatedAs(
	method: AuthMethod,
	request: RecordedRequest,
	clientId: string,
): void {
	expect(request.clientId).toBe(clientId);
	switch (method) {
		case 'client_secret_basic':
			expect(request).toMatchObject({ authorization: 'basic', basicUser: clientId });
			expect(request.bodyKeys).not.toContain('client_secret');
			break;
		case 'client_secret_post':
			expect(request.authorization).toBe('none');
			expect(request.bodyKeys).toEqual(expect.arrayContaining(['client_id', 'client_secret']));
			break;
		case 'client_secret_jwt':
		case 'private_key_jwt':
			expect(request.authorization).toBe('none');
			expect(request.bodyKeys).not.toContain('client_secret');
			expect(request.clientAssertion?.header.alg).toBe(
				method === 'client_secret_jwt' ? 'HS256' : 'RS256',
			);
			expect(request.clientAssertion?.payload).toMatchObject({ iss: clientId, sub: clientId });
			break;
	}
}

describe.each(AUTH_METHODS)('%s', (method) => {
	it('Get Token, Refresh, Introspect and Revoke all authenticate this way and work', async () => {
		const credential = credentialFor(method);
		const since = Date.now();
		const { refreshToken } = await freshTokens(credential);

		const refreshed = await runOne(credential, 'refreshToken', { refreshToken, scope: '' });
		expect(refreshed.refresh_token_rotated).toBe(true);
		const accessToken = String(refreshed.access_token);
		const newRefreshToken = String(refreshed.refresh_token);

		const active = await runOne(credential, 'introspectToken', {
			token: accessToken,
			tokenTypeHint: 'access_token',
		});
		expect(active).toMatchObject({
			active: true,
			client_id: credential.clientId,
			expires_at_source: 'introspection_exp',
		});

		const revoked = await runOne(credential, 'revokeToken', {
			token: newRefreshToken,
			tokenTypeHint: 'refresh_token',
			options: {},
		});
		expect(revoked).toMatchObject({ revoked: true, http_status: 200 });
		expect(collectText(revoked)).not.toContain(newRefreshToken);

		const inactive = await runOne(credential, 'introspectToken', {
			token: newRefreshToken,
			tokenTypeHint: 'refresh_token',
		});
		expect(inactive.active).toBe(false);

		const tokenRequests = await requestsTo('token', since);
		expect(tokenRequests.map((r) => [r.grantType, r.status])).toEqual([
			['password', 200],
			['refresh_token', 200],
		]);
		const introspections = await requestsTo('introspection', since);
		const revocations = await requestsTo('revocation', since);
		expect(introspections.map((r) => r.status)).toEqual([200, 200]);
		expect(revocations.map((r) => r.status)).toEqual([200]);
		for (const request of [...tokenRequests, ...introspections, ...revocations])
			expectAuthenticatedAs(method, request, credential.clientId);

		// JWT client authentication: a fresh assertion (new jti) for every request.
		const jtis = [...tokenRequests, ...introspections, ...revocations]
			.map((r) => r.clientAssertion?.payload.jti)
			.filter(Boolean);
		expect(new Set(jtis).size).toBe(jtis.length);

		expectNoSecrets([refreshed, active, revoked, inactive], credential.secrets);
	});
});
