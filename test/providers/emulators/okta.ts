/**
 * An Okta org with its org authorization server and a custom authorization server, as documented:
 * - developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth and
 *   developer.okta.com/docs/guides/build-self-signed-jwt: client_secret_basic, client_secret_post,
 *   client_secret_jwt (HS256 with the secret) and private_key_jwt; assertion claims iss = sub =
 *   client_id, aud = "the full URL of the resource that you're using the JWT to authenticate to"
 *   (the endpoint invoked: …/v1/token, …/v1/revoke, …/v1/introspect), exp "a maximum of only an
 *   hour in the future", jti to prevent replay, kid when several keys are registered.
 * - Error for a wrong audience, verbatim from Okta: invalid_client "The audience claim for
 *   client_assertion must be the endpoint invoked for the request." (okta/okta-sdk-dotnet#600,
 *   facile-it/php-openid-client#25). Expiry errors: invalid_client "The client_assertion token is
 *   expired." / "…has an expiration too far into the future." (Okta's client-auth error texts).
 * - Endpoints (developer.okta.com/docs/api/openapi/okta-oauth): /oauth2/v1/{token,revoke,introspect}
 *   for the org authorization server, /oauth2/{authServerId}/v1/… for custom ones. Client
 *   credentials on the org server grant only okta.* scopes; a custom server needs a scope it
 *   defines (invalid_scope otherwise). Response {token_type, expires_in: 3600, access_token (a JWT),
 *   scope}. Revoke answers 200 (also for unknown tokens, RFC 7009); introspect RFC 7662.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';

import { SignJWT } from 'jose';

import {
	decodeUnverified,
	json,
	nowSeconds,
	oauthError,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorReply,
	type EmulatorRequest,
} from '../emulator';

export interface OktaClient {
	clientId: string;
	secret?: string;
	publicKey?: KeyObject;
	/** Registered key id; when set, the assertion must carry it as kid. */
	kid?: string;
}

export interface OktaConfig {
	clients: OktaClient[];
	/** Custom authorization servers and the scopes each defines. */
	servers: Record<string, string[]>;
	signingKey: KeyObject;
}

export interface OktaEmulator extends Emulator {
	config: OktaConfig;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export async function startOkta(config: OktaConfig): Promise<OktaEmulator> {
	const issued = new Map<
		string,
		{ clientId: string; exp: number; iat: number; scope: string; iss: string; revoked: boolean }
	>();

	/** Client authentication on every endpoint; the assertion audience is the endpoint invoked. */
	const authenticate = async (
		request: EmulatorRequest,
		emulator: Emulator,
	): Promise<{ client: OktaClient } | { reply: EmulatorReply }> => {
		const failed = (description: string): { reply: EmulatorReply } => ({
			reply: oauthError(401, 'invalid_client', description),
		});
		const assertion = request.form.get('client_assertion');
		if (assertion) {
			const decoded = decodeUnverified(assertion);
			if (request.form.get('client_assertion_type') !== ASSERTION_TYPE || !decoded)
				return failed('The client_assertion token is invalid.');
			const { header, payload } = decoded;
			const client = config.clients.find((candidate) => candidate.clientId === payload.sub);
			if (
				!client ||
				payload.iss !== payload.sub ||
				(request.form.has('client_id') && request.form.get('client_id') !== client.clientId)
			)
				return failed('The client_assertion token has an invalid iss or sub claim.');
			const key =
				header.alg === 'HS256' && client.secret
					? createSecretKey(Buffer.from(client.secret, 'utf8'))
					: client.publicKey;
			if (
				!key ||
				(client.kid && header.kid !== client.kid) ||
				!(await signatureValid(assertion, key, [
					'RS256',
					'RS384',
					'RS512',
					'ES256',
					'ES384',
					'ES512',
					'HS256',
				]))
			) {
				return failed('The client_assertion signature is invalid.');
			}
			const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
			if (!audiences.includes(request.publicUrl))
				return failed(
					'The audience claim for client_assertion must be the endpoint invoked for the request.',
				);
			const now = nowSeconds(emulator);
			if (typeof payload.exp !== 'number' || payload.exp <= now)
				return failed('The client_assertion token is expired.');
			if (payload.exp > now + 3600)
				return failed('The client_assertion token has an expiration too far into the future.');
			if (typeof payload.jti === 'string') {
				if (emulator.usedJti.has(payload.jti))
					return failed('The client_assertion token has already been used.');
				emulator.usedJti.add(payload.jti);
			}
			return { client };
		}
		const id = request.basic?.id ?? request.form.get('client_id') ?? '';
		const secret = request.basic?.secret ?? request.form.get('client_secret');
		const client = config.clients.find((candidate) => candidate.clientId === id);
		if (!client || !client.secret || secret !== client.secret)
			return failed(
				'Client authentication failed. Either the client or the client credentials are invalid.',
			);
		return { client };
	};

	const emulator = (await startEmulator('okta', async (request, self) => {
		const match = /^\/oauth2(?:\/([^/]+))?\/v1\/(token|revoke|introspect)$/.exec(request.path);
		if (!match || request.method !== 'POST')
			return json(404, {
				errorCode: 'E0000022',
				errorSummary: 'The endpoint does not support the provided HTTP method',
			});
		const [, server, endpoint] = match;
		if (server && !(server in config.servers))
			return json(404, {
				errorCode: 'E0000007',
				errorSummary: `Not found: Resource not found: ${server} (AuthorizationServer)`,
			});
		const auth = await authenticate(request, self);
		if ('reply' in auth) return auth.reply;
		const issuer = server ? `${request.publicOrigin}/oauth2/${server}` : request.publicOrigin;

		if (endpoint === 'token') {
			if (request.form.get('grant_type') !== 'client_credentials')
				return oauthError(
					400,
					'unsupported_grant_type',
					`The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].`,
				);
			const scopes = (request.form.get('scope') ?? '').split(' ').filter(Boolean);
			if (scopes.length === 0)
				return oauthError(
					400,
					'invalid_scope',
					"The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
				);
			const allowed = (scope: string) =>
				server ? config.servers[server].includes(scope) : scope.startsWith('okta.');
			if (!scopes.every(allowed))
				return oauthError(
					400,
					'invalid_scope',
					'One or more scopes are not configured for the authorization server resource.',
				);
			const iat = nowSeconds(self);
			const accessToken = await new SignJWT({
				scp: scopes,
				cid: auth.client.clientId,
				sub: auth.client.clientId,
			})
				.setProtectedHeader({ alg: 'RS256', kid: 'okta-emulator' })
				.setIssuer(issuer)
				.setAudience(server ? 'api://default' : request.publicOrigin)
				.setIssuedAt(iat)
				.setExpirationTime(iat + 3600)
				.setJti(`AT.${randomUUID()}`)
				.sign(config.signingKey);
			issued.set(accessToken, {
				clientId: auth.client.clientId,
				exp: iat + 3600,
				iat,
				scope: scopes.join(' '),
				iss: issuer,
				revoked: false,
			});
			return json(200, {
				token_type: 'Bearer',
				expires_in: 3600,
				access_token: accessToken,
				scope: scopes.join(' '),
			});
		}
		const known = issued.get(request.form.get('token') ?? '');
		if (endpoint === 'revoke') {
			if (known && known.clientId === auth.client.clientId) known.revoked = true;
			return { status: 200 };
		}
		if (!known || known.revoked || known.exp <= nowSeconds(self))
			return json(200, { active: false });
		return json(200, {
			active: true,
			scope: known.scope,
			client_id: known.clientId,
			token_type: 'Bearer',
			exp: known.exp,
			iat: known.iat,
			iss: known.iss,
			sub: known.clientId,
		});
	})) as OktaEmulator;
	emulator.config = config;
	return emulator;
}
