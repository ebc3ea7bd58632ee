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
		token_type: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
	};
	// expires_in is RECOMMENDED and sometimes a string; anything unusable is dropped, never NaN.
	const expiresIn = toNumber(body.expires_in);
	if (expiresIn !== undefined && expiresIn >= 0) token.expires_in = expiresIn;
	else delete token.expires_in;
	if (body.refresh_token !== undefined && typeof body.refresh_token !== 'string')
		delete token.refresh_token;
	return token;
}
