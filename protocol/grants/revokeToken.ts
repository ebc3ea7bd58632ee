/**
 * Revoke (RFC 7009): POST `token` and an optional `token_type_hint`, with client authentication.
 * HTTP 200 means revoked, also for tokens the server does not know (§2.2). A 503 means the token
 * may still be valid and the client may retry (§2.2.1), so 503/429 are retried a bounded number of
 * times; revoking twice is harmless. Provider quirks: Salesforce answers 400 `invalid_token` for a
 * token that is already invalid; ServiceNow takes `?token=` on a GET without client authentication.
 */
import { validateClientAuth } from '../clientAuth/clientAuth';
import type { ClientConfig } from '../config/clientConfig';
import { resolveEndpoints, type ResolvedEndpoints } from '../config/endpoints';
import { InvalidResponseError, OAuthConfigError } from '../errors/oauthErrors';
import type { HttpRequest, HttpResponse, HttpSend } from '../transport/http';
import { maskToken } from './maskToken';
import { STANDARD_REVOCATION } from '../providers/types';
import { describeBody, parseBodyObject, throwIfOAuthError } from '../transport/responseBody';
import { attempt } from '../errors/attempt';
import { DEFAULT_RETRY_POLICY, sendWithRetry, type RetryPolicy } from '../transport/retry';
import { authenticatedRequest } from '../clientAuth/authenticatedRequest';

export type TokenTypeHint = 'access_token' | 'refresh_token';

export interface RevokeOptions {
	/** RFC 7009 `token_type_hint`; omitted = the server finds out. */
	tokenTypeHint?: TokenTypeHint;
	/** Count a 400 `invalid_token` answer as "already revoked" (the Salesforce preset always does). */
	invalidTokenMeansRevoked?: boolean;
	now?: () => number;
	/** How long to wait between attempts; the node passes n8n's sleep. */
	sleep?: (ms: number) => Promise<void>;
	retry?: RetryPolicy;
}

export interface RevokeResult {
	/** What was revoked, recognisably but not usably: undefined for short tokens. */
	tokenMasked?: string;
	tokenTypeHint?: TokenTypeHint;
	/** Epoch ms when the server confirmed. */
	revokedAt: number;
	/** The server answered that the token was already invalid (only with the invalid_token rule). */
	alreadyInvalid: boolean;
	/** The endpoint, without any query (ServiceNow's carries the token). */
	revocationEndpoint: string;
	status: number;
	attempts: number;
}

/** Two retries, each waiting at most the server's Retry-After up to 5 s: a workflow step must not hang. */
export const REVOKE_RETRY_POLICY: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	maxRetries: 2,
	maxDelayMs: 5_000,
	maxTotalMs: 12_000,
};

function revocationUrl(endpoints: ResolvedEndpoints): string {
	if (!endpoints.revocationEndpoint) {
		throw new OAuthConfigError(
			'Revocation URL',
			'No revocation endpoint is known for this credential.',
			'Enter the "Revocation URL" in the credential, or use an issuer whose discovery metadata lists a revocation_endpoint.',
		);
	}
	return endpoints.revocationEndpoint;
}

function buildRequest(
	config: ClientConfig,
	endpoints: ResolvedEndpoints,
	url: string,
	token: string,
	hint: TokenTypeHint | undefined,
	now: number,
): Promise<HttpRequest> | HttpRequest {
	if ((config.revocation ?? STANDARD_REVOCATION).method === 'GET') {
		// ServiceNow oauth_revoke_token.do: "does not require authentication"; the token goes in the query.
		const target = new URL(url);
		target.searchParams.set('token', token);
		return {
			method: 'GET',
			url: target.toString(),
			headers: { accept: 'application/json' },
			timeoutMs: config.timeoutMs,
		};
	}
	const params = new URLSearchParams({ token });
	if (hint) params.set('token_type_hint', hint);
	return authenticatedRequest(config, endpoints, url, params, now);
}

/**
 * A 2xx counts as revoked only with an empty body or a JSON object (RFC 7009 servers send one or
 * the other): an HTML "instance hibernating" page or any other text with 200 was not written by a
 * revocation endpoint.
 */
function revocationAnswer(response: HttpResponse): boolean {
	const { body } = response;
	if (body === undefined) return true;
	if (typeof body === 'object') return true;
	const text = body.trim();
	if (!text) return true;
	if (!text.startsWith('{')) return false;
	const parsed = attempt((): unknown => JSON.parse(text));
	return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null;
}

export async function revokeToken(
	config: ClientConfig,
	token: string,
	send: HttpSend,
	options: RevokeOptions = {},
): Promise<RevokeResult> {
	const now = options.now ?? Date.now;
	const value = token.trim();
	if (!value)
		throw new OAuthConfigError(
			'Token',
			'The token to revoke is empty.',
			'Map the token of the incoming item (the default reads the field "access_token"), or map the field "refresh_token" to revoke the refresh token.',
		);
	// Configuration problems are reported before any request, discovery included.
	const rules = config.revocation ?? STANDARD_REVOCATION;
	if (rules.unsupportedReason)
		throw new OAuthConfigError('Revocation URL', rules.unsupportedReason);
	if (rules.method === 'POST') validateClientAuth(config.auth);
	const endpoints = await resolveEndpoints(config.endpoints, send, now(), config.timeoutMs);
	const url = revocationUrl(endpoints);

	let attempts = 0;
	const policy: RetryPolicy = {
		...(options.retry ?? REVOKE_RETRY_POLICY),
		...(options.sleep ? { sleep: options.sleep } : {}),
		now,
	};
	// Rebuilt per attempt, so a retried client assertion carries a new jti.
	const build = async () => {
		attempts++;
		return await buildRequest(config, endpoints, url, value, options.tokenTypeHint, now());
	};
	const response = await sendWithRetry(build, send, policy);
	const revokedAt = now();
	const result = {
		tokenMasked: maskToken(value),
		tokenTypeHint: options.tokenTypeHint,
		revokedAt,
		revocationEndpoint: url,
		status: response.status,
		attempts,
	};
	const body = parseBodyObject(response);
	// §2.2: the content of a 200 is ignored, unless it explicitly says the request failed (some servers
	// answer errors with 200): reporting "revoked" for a token that is still valid is the worst outcome.
	const explicitError = typeof body?.error === 'string' && body.error !== '';
	if (response.status >= 200 && response.status < 300 && !explicitError) {
		if (!revocationAnswer(response))
			throw new InvalidResponseError(
				'revocation',
				response.status,
				`The revocation endpoint answered HTTP ${response.status} with ${describeBody(response)}, not an empty or JSON body, so it is not known whether the token was revoked: it may still be valid. Run Revoke again once the server answers normally.`,
				response.headers['content-type'],
				'Check that "Revocation URL" is the RFC 7009 endpoint itself and that the server is up (a hibernating or maintenance page answers 200 too).',
			);
		return { ...result, alreadyInvalid: false };
	}

	if (
		(options.invalidTokenMeansRevoked === true || rules.invalidTokenMeansRevoked) &&
		body?.error === 'invalid_token'
	) {
		return { ...result, alreadyInvalid: true };
	}
	if (response.status === 503) {
		const said = typeof body?.error === 'string' ? ` ("${body.error}")` : '';
		throw new InvalidResponseError(
			'revocation',
			503,
			`The revocation endpoint was unavailable (HTTP 503${said}) after ${attempts} attempt${attempts === 1 ? '' : 's'}: the token may still be valid (RFC 7009 §2.2.1). Run Revoke again later.`,
			response.headers['content-type'],
		);
	}
	// No grant in the hint context: a grant-specific hint (e.g. "client credentials are disabled") would mislead here.
	throwIfOAuthError('revocation', response, body, { providerHints: config.providerHints });
	// A non-2xx answer that throwIfOAuthError did not turn into an error cannot happen; this keeps the type honest.
	throw new InvalidResponseError(
		'revocation',
		response.status,
		`The revocation endpoint answered HTTP ${response.status}.`,
	);
}
