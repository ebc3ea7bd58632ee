/**
 * An Auth0 tenant's token and revoke endpoints, as documented:
 * - auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt:
 *   the assertion's alg matches the registered credential, kid optional; iss = sub = client id;
 *   aud = "the URL of the Auth0 tenant or custom domain that receives the assertion", e.g.
 *   https://{yourTenant}.auth0.com/ "with the trailing slash"; "Auth0 supports a maximum token
 *   lifetime of 5 minutes"; jti single use.
 * - auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow and
 *   the Authentication API (POST /oauth/token): client_secret_post / client_secret_basic /
 *   client assertion; the `audience` parameter names the API. Errors as Auth0 answers them:
 *   403 access_denied "No audience parameter was provided, and no default audience has been
 *   configured", 403 access_denied "Service not enabled within domain: {audience}", 403
 *   access_denied "Client is not authorized to access \"{audience}\". You need to create a
 *   \"client-grant\" associated to this API. …", 401 access_denied "Unauthorized" (wrong secret).
 * - Resource owner password grant with scope offline_access issues a refresh token; the
 *   refresh_token grant; 403 invalid_grant "Unknown or invalid refresh token."; 403 invalid_grant
 *   "Wrong email or password.".
 * - POST /oauth/revoke (Authentication API "Revoke refresh token"): client authentication and
 *   token; 200 with an empty body.
 * - Response {access_token (a JWT), scope, expires_in: 86400, token_type: "Bearer"}.
 * The exact wording Auth0 uses for a rejected client assertion is not documented; the emulator
 * answers 401 invalid_client with a description naming the failed check.
 */
import { randomUUID, type KeyObject } from 'node:crypto';

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

export interface Auth0Client {
	clientId: string;
	secret?: string;
	publicKey?: KeyObject;
	alg?: string;
}

export interface Auth0Config {
	/** APIs by identifier, with the clients granted access to each. */
	apis: Record<string, { clients: string[] }>;
	clients: Auth0Client[];
	users: Record<string, string>;
	signingKey: KeyObject;
}

export interface Auth0Emulator extends Emulator {
	config: Auth0Config;
	refreshTokens: Map<
		string,
		{ clientId: string; user: string; audience: string; revoked: boolean }
	>;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export async function startAuth0(config: Auth0Config): Promise<Auth0Emulator> {
	const refreshTokens = new Map<
		string,
		{ clientId: string; user: string; audience: string; revoked: boolean }
	>();

	const authenticate = async (
		request: EmulatorRequest,
		emulator: Emulator,
	): Promise<{ client: Auth0Client } | { reply: EmulatorReply }> => {
		const assertion = request.form.get('client_assertion');
		if (assertion) {
			const refused = (why: string): { reply: EmulatorReply } => ({
				reply: oauthError(401, 'invalid_client', `Invalid client_assertion: ${why}`),
			});
			const decoded = decodeUnverified(assertion);
			if (request.form.get('client_assertion_type') !== ASSERTION_TYPE || !decoded)
				return refused('malformed JWT');
			const { header, payload } = decoded;
			const client = config.clients.find((candidate) => candidate.clientId === payload.iss);
			if (!client?.publicKey || payload.sub !== client.clientId)
				return refused('iss and sub must be the client_id');
			if (
				header.alg !== (client.alg ?? 'RS256') ||
				!(await signatureValid(assertion, client.publicKey, [client.alg ?? 'RS256']))
			)
				return refused('signature verification failed');
			const expected = `${request.publicOrigin}/`;
			const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
			if (!audiences.includes(expected)) return refused(`aud claim must be ${expected}`);
			const now = nowSeconds(emulator);
			if (typeof payload.exp !== 'number' || payload.exp <= now)
				return refused('the assertion has expired');
			const issuedAt = typeof payload.iat === 'number' ? payload.iat : now;
			if (payload.exp - Math.min(issuedAt, now) > 300)
				return refused('the assertion lifetime exceeds 5 minutes');
			if (typeof payload.jti !== 'string' || emulator.usedJti.has(payload.jti))
				return refused('jti already used');
			emulator.usedJti.add(payload.jti);
			return { client };
		}
		const id = request.basic?.id ?? request.form.get('client_id') ?? '';
		const secret = request.basic?.secret ?? request.form.get('client_secret');
		const client = config.clients.find((candidate) => candidate.clientId === id);
		if (!client?.secret || client.secret !== secret)
			return { reply: oauthError(401, 'access_denied', 'Unauthorized') };
		return { client };
	};

	const accessToken = async (
		request: EmulatorRequest,
		emulator: Emulator,
		clientId: string,
		audience: string,
		scope: string,
		sub: string,
	) => {
		const iat = nowSeconds(emulator);
		return await new SignJWT({ scope, azp: clientId, gty: 'client-credentials' })
			.setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'auth0-emulator' })
			.setIssuer(`${request.publicOrigin}/`)
			.setSubject(sub)
			.setAudience(audience)
			.setIssuedAt(iat)
			.setExpirationTime(iat + 86400)
			.setJti(randomUUID())
			.sign(config.signingKey);
	};

	const token = async (
		request: EmulatorRequest,
		emulator: Emulator,
		client: Auth0Client,
	): Promise<EmulatorReply> => {
		const grant = request.form.get('grant_type');
		if (grant === 'refresh_token') {
			const stored = refreshTokens.get(request.form.get('refresh_token') ?? '');
			if (!stored || stored.revoked || stored.clientId !== client.clientId)
				return oauthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
			return json(200, {
				access_token: await accessToken(
					request,
					emulator,
					client.clientId,
					stored.audience,
					'openid offline_access',
					stored.user,
				),
				scope: 'openid offline_access',
				expires_in: 86400,
				token_type: 'Bearer',
			});
		}
		const audience = request.form.get('audience');
		if (!audience)
			return oauthError(
				403,
				'access_denied',
				'No audience parameter was provided, and no default audience has been configured',
			);
		const api = config.apis[audience];
		if (!api)
			return oauthError(403, 'access_denied', `Service not enabled within domain: ${audience}`);
		if (grant === 'client_credentials') {
			if (!api.clients.includes(client.clientId)) {
				return oauthError(
					403,
					'access_denied',
					`Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
				);
			}
			const scope = request.form.get('scope') ?? 'read:reports';
			return json(200, {
				access_token: await accessToken(
					request,
					emulator,
					client.clientId,
					audience,
					scope,
					`${client.clientId}@clients`,
				),
				scope,
				expires_in: 86400,
				token_type: 'Bearer',
			});
		}
		if (grant === 'password') {
			const user = request.form.get('username') ?? '';
			if (!(user in config.users) || config.users[user] !== request.form.get('password'))
				return oauthError(403, 'invalid_grant', 'Wrong email or password.');
			const scope = request.form.get('scope') ?? 'openid';
			const refresh = scope.split(' ').includes('offline_access')
				? opaqueToken('v1.', 48)
				: undefined;
			if (refresh)
				refreshTokens.set(refresh, { clientId: client.clientId, user, audience, revoked: false });
			return json(200, {
				access_token: await accessToken(
					request,
					emulator,
					client.clientId,
					audience,
					scope,
					`auth0|${user}`,
				),
				...(refresh ? { refresh_token: refresh } : {}),
				scope,
				expires_in: 86400,
				token_type: 'Bearer',
			});
		}
		return oauthError(
			403,
			'unauthorized_client',
			`Grant type '${grant ?? ''}' not allowed for the client.`,
		);
	};

	const emulator = (await startEmulator('auth0', async (request, self) => {
		if (
			request.method !== 'POST' ||
			(request.path !== '/oauth/token' && request.path !== '/oauth/revoke')
		)
			return json(404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
		const auth = await authenticate(request, self);
		if ('reply' in auth) return auth.reply;
		if (request.path === '/oauth/token') return await token(request, self, auth.client);
		const stored = refreshTokens.get(request.form.get('token') ?? '');
		if (stored && stored.clientId === auth.client.clientId) stored.revoked = true;
		return { status: 200 };
	})) as Auth0Emulator;
	emulator.config = config;
	emulator.refreshTokens = refreshTokens;
	return emulator;
}
