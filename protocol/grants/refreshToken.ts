/**
 * Refresh (RFC 6749 §6): `grant_type=refresh_token`, an optional narrower scope, and the old
 * refresh token kept when the server issues none. On servers that rotate refresh tokens, a second
 * use of one revokes the whole grant, so concurrent refreshes of one refresh token share one request
 * and a refresh is sent exactly once: never retried, since it may have reached the server.
 */
import { createHash } from 'node:crypto';

import { attemptAsync } from '../errors/attempt';
import { clientAuthMaterial, validateClientAuth } from '../clientAuth/clientAuth';
import type { ClientConfig } from '../config/clientConfig';
import { resolveEndpoints, type ResolvedEndpoints } from '../config/endpoints';
import { OAuthConfigError, OAuthTransportError } from '../errors/oauthErrors';
import type { TokenResult } from './getToken';
import type { HttpSend } from '../transport/http';
import { tokenTimes } from '../expiry/tokenTimes';
import { SingleFlight } from '../state/singleFlight';
import { authenticatedRequest } from '../clientAuth/authenticatedRequest';
import { checkExtraParams, hintContext } from './tokenRequest';
import { parseTokenResponse, type TokenResponse } from './tokenResponse';
import { registerProcessState } from '../state/processState';

export const REFRESH_GRANT = 'refresh_token';

export interface RefreshResult extends TokenResult {
	/** The server sent a new refresh token (the old one must be discarded). */
	rotated: boolean;
}

export interface RefreshOutcome extends RefreshResult {
	/** This call made no request of its own: it got the result of another call's refresh. */
	shared: boolean;
}

/** Results remembered for the lifetime of one run (one n8n execution), keyed like the flights. */
export type RefreshMemo = Map<string, Promise<RefreshResult>>;

export interface RefreshOptions {
	/** Space-separated scopes, at most those originally granted; omitted = the original scope. */
	scope?: string;
	now?: () => number;
	flights?: SingleFlight<RefreshResult>;
	/** Calls sharing a memo get one result per refresh token even when they run one after another. */
	memo?: RefreshMemo;
}

/** The process-wide flights the node uses. */
export const sharedRefreshFlights = registerProcessState(new SingleFlight<RefreshResult>());

/**
 * Refreshes are shared when the token endpoint, client identity (secret or key included, so a
 * wrong secret never borrows a right one's result) and refresh token are the same. Not the scope:
 * a rotating server accepts each refresh token once, so two refreshes of one token with scopes
 * "a b" and "b a" (or none) would make the second revoke the whole grant; the later callers get
 * the first call's token set instead. Hashed, so no refresh token or secret is kept as a map key.
 */
export function refreshKey(
	config: ClientConfig,
	tokenEndpoint: string,
	refreshToken: string,
): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				tokenEndpoint,
				config.clientId,
				clientAuthMaterial(config.auth),
				refreshToken,
			]),
		)
		.digest('base64url');
}

function normalizeScope(scope: string | undefined): string | undefined {
	const words = (scope ?? '').split(/\s+/).filter(Boolean);
	return words.length ? words.join(' ') : undefined;
}

/** The token set after a refresh: the new refresh token if one came, else the old one, never none. */
export function keepRefreshToken(
	token: TokenResponse,
	oldRefreshToken: string,
): { token: TokenResponse; rotated: boolean } {
	const returned =
		typeof token.refresh_token === 'string' && token.refresh_token
			? token.refresh_token
			: undefined;
	return {
		token: { ...token, refresh_token: returned ?? oldRefreshToken },
		rotated: returned !== undefined && returned !== oldRefreshToken,
	};
}

async function sendRefresh(
	config: ClientConfig,
	endpoints: ResolvedEndpoints,
	refreshToken: string,
	scope: string | undefined,
	send: HttpSend,
	now: () => number,
): Promise<RefreshResult> {
	const { tokenEndpoint } = endpoints;
	const params = new URLSearchParams({ grant_type: REFRESH_GRANT, refresh_token: refreshToken });
	if (scope) params.set('scope', scope);
	// A public client identifies itself with client_id (RFC 6749 §6 and §3.2.1).
	if (config.auth.method === 'none' && config.clientId) params.set('client_id', config.clientId);
	const obtainedAt = now();
	const request = await authenticatedRequest(
		config,
		endpoints,
		tokenEndpoint,
		params,
		obtainedAt,
		config.extraParams,
	);
	const sent = await attemptAsync(async () => await send(request));
	if (!sent.ok) {
		const error = sent.error;
		if (error instanceof OAuthTransportError && error.mayHaveReachedServer) {
			throw new OAuthTransportError(
				'token',
				`${error.message} The refresh was not repeated: the server may have received it and, if it rotates refresh tokens, used up the old refresh token.`,
				error.code,
				true,
			);
		}
		throw error;
	}
	const { token, rotated } = keepRefreshToken(
		parseTokenResponse(sent.value, hintContext(config, REFRESH_GRANT)),
		refreshToken,
	);
	// A kept refresh token's expiry is not renewed by this answer: only the server's own figures count for it.
	const lifespans = rotated
		? config.lifespans
		: { accessTokenSeconds: config.lifespans.accessTokenSeconds };
	return { token, rotated, times: tokenTimes(token, obtainedAt, lifespans), tokenEndpoint };
}

export async function refreshToken(
	config: ClientConfig,
	oldRefreshToken: string,
	send: HttpSend,
	options: RefreshOptions = {},
): Promise<RefreshOutcome> {
	const now = options.now ?? Date.now;
	const refresh = oldRefreshToken.trim();
	if (!refresh) {
		throw new OAuthConfigError(
			'Refresh Token',
			'The refresh token is empty.',
			'Map the refresh token of the incoming item (the default reads the field "refresh_token", as Get Token and Refresh output it).',
		);
	}
	validateClientAuth(config.auth);
	checkExtraParams(config.extraParams);
	const scope = normalizeScope(options.scope);
	const endpoints = await resolveEndpoints(config.endpoints, send, now(), config.timeoutMs);
	const key = refreshKey(config, endpoints.tokenEndpoint, refresh);
	const remembered = options.memo?.get(key);
	if (remembered) return { ...(await remembered), shared: true };
	const flights = options.flights ?? sharedRefreshFlights;
	const { promise, shared } = flights.run(
		key,
		async () => await sendRefresh(config, endpoints, refresh, scope, send, now),
	);
	options.memo?.set(key, promise);
	return { ...(await promise), shared };
}
