/**
 * A Keycloak realm's OpenID Connect endpoints, as documented and as Keycloak's source answers:
 * - keycloak.org/securing-apps/oidc-layers: {base}/realms/{realm}/protocol/openid-connect/token,
 *   /revoke, /token/introspect; client authentication "Client Id and Secret" (Basic or body),
 *   "Signed JWT" (private_key_jwt), "Signed JWT with client secret" (client_secret_jwt); the
 *   assertion audience may be the realm issuer or the token endpoint; jti single use.
 * - Token responses carry expires_in, refresh_expires_in (0 for an offline token or when no
 *   refresh token is issued), token_type "Bearer", not-before-policy, session_state, scope
 *   (shared/reference §2, forum.keycloak.org t/28909). Client credentials issue no refresh token
 *   by default ("Use refresh tokens for client credentials grant" off).
 * - "Revoke Refresh Token" with max reuse 0: every refresh returns a new refresh token and the old
 *   one fails with invalid_grant "Maximum allowed refresh token reuse exceeded".
 * - Error texts from Keycloak's source (services/.../authenticators/client, TokenEndpoint):
 *   invalid_client "Client authentication with signed JWT failed: …" (audience, "Token is not
 *   active", "Token reuse detected"), unauthorized_client "Invalid client or Invalid client
 *   credentials", unauthorized_client "Client not enabled to retrieve service account",
 *   invalid_grant "Invalid user credentials", invalid_grant "Token is not active"; an unknown
 *   realm is 404 {"error":"Realm does not exist"}.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';

import { SignJWT } from 'jose';

import {
	decodeUnverified,
	json,
	nowSeconds,
	oauthError,
	opaqueToken,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorReply,
	type EmulatorRequest,
} from '../emulator';

export interface KeycloakClient {
	clientId: string;
	secret?: string;
	publicKey?: KeyObject;
	serviceAccountsEnabled: boolean;
}

export interface KeycloakConfig {
	/** Path prefix before /realms ("" for Keycloak 17+, "/auth" for older). */
	basePath: string;
	realm: string;
	clients: KeycloakClient[];
	users: Record<string, string>;
	accessTokenLifespan: number;
	ssoSessionIdle: number;
	signingKey: KeyObject;
}

interface RefreshRecord {
	clientId: string;
	user: string;
	offline: boolean;
	exp: number | null;
	used: boolean;
}

export interface KeycloakEmulator extends Emulator {
	config: KeycloakConfig;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export async function startKeycloak(config: KeycloakConfig): Promise<KeycloakEmulator> {
	const refreshTokens = new Map<string, RefreshRecord>();
	const accessTokens = new Map<
		string,
		{ clientId: string; exp: number; iat: number; user: string; revoked: boolean }
	>();

	const authenticate = async (
		request: EmulatorRequest,
		emulator: Emulator,
		issuer: string,
		tokenUrl: string,
	): Promise<{ client: KeycloakClient } | { reply: EmulatorReply }> => {
		const assertion = request.form.get('client_assertion');
		if (assertion) {
			const failed = (why: string): { reply: EmulatorReply } => ({
				reply: oauthError(
					400,
					'invalid_client',
					`Client authentication with signed JWT failed: ${why}`,
				),
			});
			const decoded = decodeUnverified(assertion);
			if (request.form.get('client_assertion_type') !== ASSERTION_TYPE || !decoded)
				return failed('Invalid client assertion type');
			const { header, payload } = decoded;
			const client = config.clients.find((candidate) => candidate.clientId === payload.sub);
			if (!client) return failed("Can't identify client. Subject missing on JWT token");
			const key =
				header.alg === 'HS256' && client.secret
					? createSecretKey(Buffer.from(client.secret, 'utf8'))
					: client.publicKey;
			if (!key || !(await signatureValid(assertion, key, ['RS256', 'PS256', 'ES256', 'HS256'])))
				return failed('Invalid signature');
			const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
			if (!audiences.some((aud) => aud === issuer || aud === tokenUrl)) {
				return failed(
					`Token audience doesn't match domain. Expected audiences are any of [${issuer}, ${tokenUrl}] but audience from token is '[${audiences.join(', ')}]'`,
				);
			}
			if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds(emulator))
				return failed('Token is not active');
			if (typeof payload.jti !== 'string') return failed('Missing ID on the token');
			if (emulator.usedJti.has(payload.jti)) return failed('Token reuse detected');
			emulator.usedJti.add(payload.jti);
			return { client };
		}
		const id = request.basic?.id ?? request.form.get('client_id') ?? '';
		const secret = request.basic?.secret ?? request.form.get('client_secret');
		const client = config.clients.find((candidate) => candidate.clientId === id);
		if (!client?.secret || client.secret !== secret)
			return {
				reply: oauthError(
					401,
					'unauthorized_client',
					'Invalid client or Invalid client credentials',
				),
			};
		return { client };
	};

	const tokens = async (
		emulator: Emulator,
		issuer: string,
		client: KeycloakClient,
		user: string,
		scope: string,
		refresh: 'none' | 'online' | 'offline',
	): Promise<EmulatorReply> => {
		const iat = nowSeconds(emulator);
		const sessionState = randomUUID();
		const access = await new SignJWT({
			typ: 'Bearer',
			azp: client.clientId,
			scope,
			session_state: sessionState,
			preferred_username: user,
		})
			.setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'keycloak-emulator' })
			.setIssuer(issuer)
			.setSubject(randomUUID())
			.setAudience('account')
			.setIssuedAt(iat)
			.setExpirationTime(iat + config.accessTokenLifespan)
			.setJti(randomUUID())
			.sign(config.signingKey);
		accessTokens.set(access, {
			clientId: client.clientId,
			exp: iat + config.accessTokenLifespan,
			iat,
			user,
			revoked: false,
		});
		const body: Record<string, unknown> = {
			access_token: access,
			expires_in: config.accessTokenLifespan,
			refresh_expires_in: 0,
			token_type: 'Bearer',
			'not-before-policy': 0,
			scope,
		};
		if (refresh !== 'none') {
			const value = opaqueToken('eyJhbGciOiJIUzUxMiJ9.', 64);
			const offline = refresh === 'offline';
			refreshTokens.set(value, {
				clientId: client.clientId,
				user,
				offline,
				exp: offline ? null : iat + config.ssoSessionIdle,
				used: false,
			});
			Object.assign(body, {
				refresh_token: value,
				refresh_expires_in: offline ? 0 : config.ssoSessionIdle,
				session_state: sessionState,
			});
		}
		return json(200, body);
	};

	const emulator = (await startEmulator('keycloak', async (request, self) => {
		const prefix = `${config.basePath}/realms/`;
		if (!request.path.startsWith(prefix))
			return {
				status: 404,
				body: '<html><body>Resource not found</body></html>',
				headers: { 'content-type': 'text/html' },
			};
		const [realm, ...rest] = request.path.slice(prefix.length).split('/');
		if (realm !== config.realm) return json(404, { error: 'Realm does not exist' });
		const issuer = `${request.publicOrigin}${prefix}${realm}`;
		const oidc = `${issuer}/protocol/openid-connect`;
		const endpoint = `/${rest.join('/')}`;
		if (
			request.method !== 'POST' ||
			![
				'/protocol/openid-connect/token',
				'/protocol/openid-connect/revoke',
				'/protocol/openid-connect/token/introspect',
			].includes(endpoint)
		) {
			return {
				status: 404,
				body: '<html><body>Resource not found</body></html>',
				headers: { 'content-type': 'text/html' },
			};
		}
		const auth = await authenticate(request, self, issuer, `${oidc}/token`);
		if ('reply' in auth) return auth.reply;
		const { client } = auth;

		if (endpoint === '/protocol/openid-connect/token') {
			const grant = request.form.get('grant_type');
			const scope = [
				'profile',
				'email',
				...(request.form.get('scope') ?? '').split(' ').filter(Boolean),
			].join(' ');
			if (grant === 'client_credentials') {
				if (!client.serviceAccountsEnabled)
					return oauthError(
						401,
						'unauthorized_client',
						'Client not enabled to retrieve service account',
					);
				return await tokens(
					self,
					issuer,
					client,
					`service-account-${client.clientId}`,
					scope,
					'none',
				);
			}
			if (grant === 'password') {
				const user = request.form.get('username') ?? '';
				if (!(user in config.users) || config.users[user] !== request.form.get('password'))
					return oauthError(401, 'invalid_grant', 'Invalid user credentials');
				return await tokens(
					self,
					issuer,
					client,
					user,
					scope,
					scope.split(' ').includes('offline_access') ? 'offline' : 'online',
				);
			}
			if (grant === 'refresh_token') {
				const stored = refreshTokens.get(request.form.get('refresh_token') ?? '');
				if (!stored || stored.clientId !== client.clientId)
					return oauthError(400, 'invalid_grant', 'Invalid refresh token');
				if (stored.exp !== null && stored.exp <= nowSeconds(self))
					return oauthError(400, 'invalid_grant', 'Token is not active');
				if (stored.used)
					return oauthError(400, 'invalid_grant', 'Maximum allowed refresh token reuse exceeded');
				stored.used = true;
				return await tokens(
					self,
					issuer,
					client,
					stored.user,
					scope,
					stored.offline ? 'offline' : 'online',
				);
			}
			return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
		}
		const token = request.form.get('token') ?? '';
		if (endpoint === '/protocol/openid-connect/revoke') {
			const access = accessTokens.get(token);
			if (access && access.clientId === client.clientId) access.revoked = true;
			const refresh = refreshTokens.get(token);
			if (refresh && refresh.clientId === client.clientId) refresh.used = true;
			return { status: 200 };
		}
		const access = accessTokens.get(token);
		if (!access || access.revoked || access.exp <= nowSeconds(self))
			return json(200, { active: false });
		return json(200, {
			active: true,
			exp: access.exp,
			iat: access.iat,
			iss: issuer,
			client_id: access.clientId,
			username: access.user,
			token_type: 'Bearer',
			typ: 'Bearer',
		});
	})) as KeycloakEmulator;
	emulator.config = config;
	return emulator;
}
