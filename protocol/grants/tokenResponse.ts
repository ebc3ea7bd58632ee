/** RFC 6749 §5.1 access token responses. */
import { TOKEN_TYPES } from '../config/clientConfig';
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
	/** RFC 8693 §2.2.1, token exchange only. */
	issued_token_type?: string;
	/** Where `issued_token_type` came from: the response, or (missing there) a Bearer `token_type`. */
	issued_token_type_source?: 'issued_token_type' | 'token_type_bearer';
}

export interface TokenResponseOptions {
	/** The request was an RFC 8693 token exchange. */
	tokenExchange?: boolean;
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

/**
 * RFC 8693 §2.2.1: `issued_token_type` is REQUIRED, and `token_type` is N_A when the issued token
 * is not an access token. A missing `issued_token_type` with a Bearer `token_type` is taken as an
 * access token (the server said it is used as one; some servers omit the member) and labelled so;
 * missing with any other type, nobody can tell what was issued, so it is refused.
 */
function issuedTokenType(
	response: HttpResponse,
	body: JsonObject,
): Pick<TokenResponse, 'token_type' | 'issued_token_type' | 'issued_token_type_source'> {
	const issued =
		typeof body.issued_token_type === 'string' && body.issued_token_type.trim()
			? body.issued_token_type.trim()
			: undefined;
	const notAnAccessToken =
		typeof body.token_type === 'string' && body.token_type.toUpperCase() === 'N_A';
	if (issued && notAnAccessToken && issued !== TOKEN_TYPES.access_token)
		return {
			token_type: body.token_type as string,
			issued_token_type: issued,
			issued_token_type_source: 'issued_token_type',
		};
	if (!issued && notAnAccessToken)
		throw new InvalidResponseError(
			'token',
			response.status,
			'The token endpoint answered the token exchange with token_type "N_A" and no "issued_token_type" (RFC 8693 §2.2.1 requires it), so what kind of token it issued is unknown.',
			response.headers['content-type'],
			'Set "Requested Token Type" in the credential, or ask the server\'s administrator why it omits issued_token_type.',
		);
	return {
		token_type: bearerTokenType(response, body.token_type),
		issued_token_type: issued ?? TOKEN_TYPES.access_token,
		issued_token_type_source: issued ? 'issued_token_type' : 'token_type_bearer',
	};
}

export function parseTokenResponse(
	response: HttpResponse,
	hints: HintContext = {},
	options: TokenResponseOptions = {},
): TokenResponse {
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
		...(options.tokenExchange
			? issuedTokenType(response, body)
			: { token_type: bearerTokenType(response, body.token_type) }),
	};
	// expires_in is RECOMMENDED and sometimes a string; anything unusable is dropped, never NaN.
	const expiresIn = toNumber(body.expires_in);
	if (expiresIn !== undefined && expiresIn >= 0) token.expires_in = expiresIn;
	else delete token.expires_in;
	if (body.refresh_token !== undefined && typeof body.refresh_token !== 'string')
		delete token.refresh_token;
	return token;
}
