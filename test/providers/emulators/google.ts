/**
 * Google's OAuth 2.0 token and revoke endpoints for service accounts, as documented in
 * developers.google.com/identity/protocols/oauth2/service-account ("Preparing to make an
 * authorized API call" > HTTP/REST, and "Error codes"):
 * - POST https://oauth2.googleapis.com/token, grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer,
 *   assertion = an RS256 JWT whose header kid is the key's private_key_id and whose claims are
 *   iss = the service account email, scope (space-delimited, a claim, not a form parameter),
 *   aud = https://oauth2.googleapis.com/token, iat, exp at most one hour after iat; optional sub =
 *   a user to impersonate with domain-wide delegation;
 * - response {access_token, expires_in: 3599, token_type: "Bearer"}, no refresh token;
 * - errors: invalid_grant "Invalid JWT Signature.", invalid_grant "Invalid JWT: Token must be a
 *   short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in
 *   the JWT claim.", invalid_grant "Invalid JWT: Failed audience check. The right audience is …"
 *   (googleapis/google-auth-library-python#804), unauthorized_client "Client is unauthorized to
 *   retrieve access tokens using this method, or client not authorized for any of the scopes
 *   requested." (delegation), invalid_scope "Invalid OAuth scope or ID token audience provided.";
 * - revoke (developers.google.com/identity/protocols/oauth2/web-server "Revoking a token"):
 *   POST https://oauth2.googleapis.com/revoke with token= (form body); 200 on success, 400 with
 *   an error for an invalid token ({"error":"invalid_token","error_description":"Token expired or revoked"}).
 */
import type { KeyObject } from 'node:crypto';

import {
	decodeUnverified,
	json,
	nowSeconds,
	oauthError,
	opaqueToken,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorRequest,
	type EmulatorReply,
} from '../emulator';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_URI = 'https://oauth2.googleapis.com/token';

export interface ServiceAccount {
	clientEmail: string;
	privateKeyId: string;
	publicKey: KeyObject;
	/** Users the service account may impersonate (domain-wide delegation), and for which scopes. */
	delegation: Record<string, string[]>;
}

export interface GoogleEmulator extends Emulator {
	accounts: ServiceAccount[];
	tokens: Map<string, { revoked: boolean }>;
}

export async function startGoogle(accounts: ServiceAccount[]): Promise<GoogleEmulator> {
	const tokens = new Map<string, { revoked: boolean }>();

	const token = async (request: EmulatorRequest, emulator: Emulator): Promise<EmulatorReply> => {
		if (request.form.get('grant_type') !== JWT_BEARER)
			return oauthError(
				400,
				'unsupported_grant_type',
				`Invalid grant_type: ${request.form.get('grant_type') ?? ''}`,
			);
		const assertion = request.form.get('assertion') ?? '';
		const decoded = decodeUnverified(assertion);
		if (!decoded) return oauthError(400, 'invalid_grant', 'Invalid JWT: Unable to parse');
		const { header, payload } = decoded;
		const account = accounts.find((candidate) => candidate.clientEmail === payload.iss);
		if (!account) return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
		if (
			header.alg !== 'RS256' ||
			header.kid !== account.privateKeyId ||
			!(await signatureValid(assertion, account.publicKey, ['RS256']))
		) {
			return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
		}
		if (payload.aud !== TOKEN_URI)
			return oauthError(
				400,
				'invalid_grant',
				`Invalid JWT: Failed audience check. The right audience is ${TOKEN_URI}`,
			);
		const now = nowSeconds(emulator);
		const { iat, exp } = payload;
		if (
			typeof iat !== 'number' ||
			typeof exp !== 'number' ||
			exp - iat > 3600 ||
			exp <= now ||
			iat > now + 300
		) {
			return oauthError(
				400,
				'invalid_grant',
				'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
			);
		}
		const scopes =
			typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
		const known = (scope: string) =>
			scope.startsWith('https://www.googleapis.com/auth/') ||
			['openid', 'email', 'profile'].includes(scope);
		if (scopes.length === 0 || !scopes.every(known))
			return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
		if (typeof payload.sub === 'string' && payload.sub !== account.clientEmail) {
			const allowed = account.delegation[payload.sub] ?? [];
			if (!scopes.every((scope) => allowed.includes(scope))) {
				return oauthError(
					401,
					'unauthorized_client',
					'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
				);
			}
		}
		const access = opaqueToken('ya29.', 90);
		tokens.set(access, { revoked: false });
		return json(200, { access_token: access, expires_in: 3599, token_type: 'Bearer' });
	};

	const emulator = (await startEmulator('google', async (request, self) => {
		if (request.path === '/token' && request.method === 'POST') return await token(request, self);
		if (request.path === '/revoke' && request.method === 'POST') {
			const known = tokens.get(request.form.get('token') ?? request.query.get('token') ?? '');
			if (!known || known.revoked)
				return oauthError(400, 'invalid_token', 'Token expired or revoked');
			known.revoked = true;
			return json(200, {});
		}
		return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/html' } };
	})) as GoogleEmulator;
	emulator.accounts = accounts;
	emulator.tokens = tokens;
	return emulator;
}
