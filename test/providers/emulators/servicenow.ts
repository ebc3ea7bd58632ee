/**
 * A ServiceNow instance's OAuth endpoints, as documented:
 * - ServiceNow/ServiceNowDocs `r_OAuthAPIRequestParameters.md`: POST /oauth_token.do,
 *   application/x-www-form-urlencoded, client_id and client_secret as body parameters (required),
 *   grant_type password (username, password) or refresh_token; "Access requests made within the
 *   expiration time of the access token always return the current access token"; a refresh
 *   returns the current refresh token.
 * - `r_OAuthAPIResponseParameters.md`: {"scope":"useraccount","token_type":"Bearer",
 *   "expires_in":1800,"refresh_token":…,"access_token":…}.
 * - The seed document shared/seeds/000 (KB0791140): instance-issued tokens live 30 minutes
 *   (access) and 100 days (refresh); a new non-refresh token request returns the same still-valid
 *   access token with its expiry renewed, and renews the refresh token's expiry.
 * - Client credentials (`client-credentials.md`, `add-oauth-application-user.md`, Washington DC
 *   and later): off unless glide.oauth.inbound.client.credential.grant_type.enabled is true and an
 *   OAuth Application User is set; otherwise the request "isn't passed".
 * - JWT bearer (`jwt-bearer-grant.md`): iss = client id, sub = a user, aud = "ServiceNow token
 *   endpoint" (Zurich); the Tokyo/Xanadu page says aud must be the client ID, so the emulator can
 *   be set to either rule. JTI verification is on by default.
 * - Revoke (`t_RevokeOAuthToken.md`): oauth_revoke_token.do?token=…, "does not require
 *   authentication", the token "is marked as expired".
 * - Errors: ServiceNow answers a refused token request with HTTP 401
 *   {"error_description":"access_denied","error":"server_error"} (ServiceNow community threads on
 *   oauth_token.do 401; the same body for a wrong secret, a wrong password or a disabled grant).
 */
import type { KeyObject } from 'node:crypto';

import {
	decodeUnverified,
	json,
	nowSeconds,
	opaqueToken,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorReply,
	type EmulatorRequest,
} from '../emulator';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ServiceNowConfig {
	instanceHost: string;
	clientId: string;
	clientSecret: string;
	users: Record<string, string>;
	/** glide.oauth.inbound.client.credential.grant_type.enabled */
	clientCredentialsEnabled: boolean;
	/** The OAuth Application User of the registry entry (client credentials). */
	applicationUser?: string;
	accessTokenLifespan: number;
	refreshTokenLifespan: number;
	jwt?: { publicKey: KeyObject; audienceRule: 'tokenEndpoint' | 'clientId' };
}

interface StoredToken {
	value: string;
	user: string;
	expiresAt: number;
}

export interface ServiceNowEmulator extends Emulator {
	config: ServiceNowConfig;
	/** The server's own record of the current access token per user (the oauth_credential table). */
	accessTokens: Map<string, StoredToken>;
	refreshTokens: Map<string, StoredToken>;
}

const DENIED: EmulatorReply = json(401, {
	error_description: 'access_denied',
	error: 'server_error',
});

export async function startServiceNow(config: ServiceNowConfig): Promise<ServiceNowEmulator> {
	const accessTokens = new Map<string, StoredToken>();
	const refreshTokens = new Map<string, StoredToken>();

	const clientOk = (request: EmulatorRequest) =>
		request.form.get('client_id') === config.clientId &&
		request.form.get('client_secret') === config.clientSecret;

	/** The same still-valid access token with a renewed expiry, or a new one (seed / KB0791140). */
	const accessFor = (emulator: Emulator, user: string, reuse: boolean): StoredToken => {
		const now = emulator.now();
		const current = accessTokens.get(user);
		const expiresAt = now + config.accessTokenLifespan * 1000;
		if (reuse && current && current.expiresAt > now) {
			current.expiresAt = expiresAt;
			return current;
		}
		const fresh = { value: opaqueToken('', 48), user, expiresAt };
		accessTokens.set(user, fresh);
		return fresh;
	};

	const refreshFor = (emulator: Emulator, user: string): StoredToken => {
		const now = emulator.now();
		const current = [...refreshTokens.values()].find(
			(token) => token.user === user && token.expiresAt > now,
		);
		const expiresAt = now + config.refreshTokenLifespan * 1000;
		if (current) {
			current.expiresAt = expiresAt;
			return current;
		}
		const fresh = { value: opaqueToken('', 48), user, expiresAt };
		refreshTokens.set(fresh.value, fresh);
		return fresh;
	};

	const answer = (emulator: Emulator, access: StoredToken, refresh?: StoredToken): EmulatorReply =>
		json(200, {
			access_token: access.value,
			...(refresh ? { refresh_token: refresh.value } : {}),
			scope: 'useraccount',
			token_type: 'Bearer',
			expires_in: Math.round((access.expiresAt - emulator.now()) / 1000),
		});

	const jwtBearer = async (
		request: EmulatorRequest,
		emulator: Emulator,
	): Promise<EmulatorReply> => {
		if (!config.jwt) return DENIED;
		const assertion = request.form.get('assertion') ?? '';
		const decoded = decodeUnverified(assertion);
		if (
			!decoded ||
			!(await signatureValid(assertion, config.jwt.publicKey, [
				'RS256',
				'RS384',
				'RS512',
				'ES256',
				'ES384',
				'ES512',
			]))
		)
			return DENIED;
		const { payload } = decoded;
		const expectedAud =
			config.jwt.audienceRule === 'clientId' ? config.clientId : request.publicUrl;
		const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
		if (payload.iss !== config.clientId || !audiences.includes(expectedAud)) return DENIED;
		if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds(emulator)) return DENIED;
		if (typeof payload.jti !== 'string' || emulator.usedJti.has(payload.jti)) return DENIED;
		emulator.usedJti.add(payload.jti);
		if (typeof payload.sub !== 'string' || !(payload.sub in config.users)) return DENIED;
		return answer(emulator, accessFor(emulator, payload.sub, true));
	};

	const emulator = (await startEmulator('servicenow', async (request, self) => {
		if (request.path === '/oauth_token.do') {
			if (
				request.method !== 'POST' ||
				!request.contentType.startsWith('application/x-www-form-urlencoded')
			)
				return json(400, { error: 'invalid_request', error_description: 'unspecified error' });
			const grant = request.form.get('grant_type');
			if (grant === JWT_BEARER) return await jwtBearer(request, self);
			// client_id and client_secret are required body parameters; a Basic header is not read.
			if (!clientOk(request)) return DENIED;
			if (grant === 'password') {
				const user = request.form.get('username') ?? '';
				if (!(user in config.users) || config.users[user] !== request.form.get('password'))
					return DENIED;
				return answer(self, accessFor(self, user, true), refreshFor(self, user));
			}
			if (grant === 'refresh_token') {
				const stored = refreshTokens.get(request.form.get('refresh_token') ?? '');
				if (!stored || stored.expiresAt <= self.now()) return DENIED;
				// A refresh issues a new access token and returns the current refresh token.
				return answer(self, accessFor(self, stored.user, false), stored);
			}
			if (grant === 'client_credentials') {
				if (!config.clientCredentialsEnabled || !config.applicationUser) return DENIED;
				return answer(self, accessFor(self, config.applicationUser, true));
			}
			return DENIED;
		}
		if (request.path === '/oauth_revoke_token.do') {
			const token = request.query.get('token') ?? '';
			for (const store of [accessTokens, refreshTokens]) {
				for (const stored of store.values())
					if (stored.value === token) stored.expiresAt = self.now();
			}
			return { status: 200, body: '', headers: { 'content-type': 'text/html;charset=UTF-8' } };
		}
		return {
			status: 404,
			body: '<html><body>Not Found</body></html>',
			headers: { 'content-type': 'text/html' },
		};
	})) as ServiceNowEmulator;
	emulator.config = config;
	emulator.accessTokens = accessTokens;
	emulator.refreshTokens = refreshTokens;
	return emulator;
}
