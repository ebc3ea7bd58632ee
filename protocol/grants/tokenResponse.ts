/** RFC 6749 §5.1 access token responses. */
import { InvalidResponseError } from '../errors/oauthErrors';
import type { HttpResponse } from '../transport/http';
import {
	readJsonResult,
	toNumber,
	type HintContext,
	type JsonObject,
} from '../transport/responseBody';

export interface TokenResponse extends JsonObject {
	access_token: string;
	token_type: string;
	expires_in?: number;
	refresh_token?: string;
	scope?: string;
}

/**
 * RFC 6749 §5.1: `token_type` is REQUIRED and case-insensitive. The token is used as a Bearer
 * token (RFC 6750), so any other type (DPoP, MAC, N_A) or none is refused rather than sent wrongly.
 */
function bearerTokenType(response: HttpResponse, value: unknown): string {
	if (typeof value === 'string' && value.toLowerCase() === 'bearer') return value;
	const shown =
		typeof value === 'string' && value
			? `a "${value.slice(0, 40)}" token`
			: value === undefined
				? 'a token without "token_type" (RFC 6749 §5.1 requires it)'
				: 'a token with an empty or non-text "token_type"';
	const dpop = typeof value === 'string' && value.toLowerCase() === 'dpop';
	throw new InvalidResponseError(
		'token',
		response.status,
		`The token endpoint issued ${shown}, not a Bearer token; this package sends tokens only as "Authorization: Bearer" (RFC 6750), which would not work with it.`,
		response.headers['content-type'],
		dpop
			? 'The server binds tokens to a DPoP key (RFC 9449) for this client; turn off DPoP-bound tokens for this client on the authorization server.'
			: 'Configure the client on the authorization server to issue Bearer tokens.',
	);
}

export function parseTokenResponse(response: HttpResponse, hints: HintContext = {}): TokenResponse {
	const body = readJsonResult('token', response, hints);
	if (typeof body.access_token !== 'string' || !body.access_token) {
		throw new InvalidResponseError(
			'token',
			response.status,
			'The token endpoint answered without an "access_token".',
			response.headers['content-type'],
		);
	}
	const token: TokenResponse = {
		...body,
		access_token: body.access_token,
		token_type: bearerTokenType(response, body.token_type),
	};
	// expires_in is RECOMMENDED and sometimes a string; anything unusable is dropped, never NaN.
	const expiresIn = toNumber(body.expires_in);
	if (expiresIn !== undefined && expiresIn >= 0) token.expires_in = expiresIn;
	else delete token.expires_in;
	if (body.refresh_token !== undefined && typeof body.refresh_token !== 'string')
		delete token.refresh_token;
	return token;
}
