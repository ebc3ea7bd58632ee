/**
 * Introspect (RFC 7662): POST `token` and an optional `token_type_hint`, with client
 * authentication. `{"active": false}` is a normal answer (revoked, expired, unknown, or not this
 * client's to see), not an error. `exp` is the only standard way to learn when an opaque token
 * (Salesforce's) expires. Introspection changes nothing, so it is retried like a token request.
 */
import { validateClientAuth } from '../clientAuth/clientAuth';
import type { ClientConfig } from '../config/clientConfig';
import { resolveEndpoints } from '../config/endpoints';
import { InvalidResponseError, OAuthConfigError } from '../errors/oauthErrors';
import type { HttpSend } from '../transport/http';
import { instantToMillis } from '../expiry/tokenTimes';
import { readJsonResult, type JsonObject } from '../transport/responseBody';
import { DEFAULT_RETRY_POLICY, sendWithRetry, type RetryPolicy } from '../transport/retry';
import type { TokenTypeHint } from './revokeToken';
import { authenticatedRequest } from '../clientAuth/authenticatedRequest';

export interface IntrospectOptions {
	tokenTypeHint?: TokenTypeHint;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
	retry?: RetryPolicy;
}

export interface IntrospectionResult {
	/** The server's answer as sent, `active` normalised to a boolean. */
	response: JsonObject & { active: boolean };
	introspectedAt: number;
	/** Epoch ms from `exp`; null when the server does not say. */
	expiresAt: number | null;
	introspectionEndpoint: string;
}

/** `active` is REQUIRED (§2.2); a few servers send it as a string. */
function activeFlag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	return undefined;
}

export async function introspectToken(
	config: ClientConfig,
	token: string,
	send: HttpSend,
	options: IntrospectOptions = {},
): Promise<IntrospectionResult> {
	const now = options.now ?? Date.now;
	const value = token.trim();
	if (!value)
		throw new OAuthConfigError(
			'Token',
			'The token to introspect is empty.',
			'Map the token of the incoming item (the default reads the field "access_token").',
		);
	validateClientAuth(config.auth);
	const endpoints = await resolveEndpoints(config.endpoints, send, now(), config.timeoutMs);
	const url = endpoints.introspectionEndpoint;
	if (!url) {
		throw new OAuthConfigError(
			'Introspection URL',
			'No introspection endpoint is known for this credential.',
			'Enter the "Introspection URL" in the credential, or use an issuer whose discovery metadata lists an introspection_endpoint.',
		);
	}
	const params = new URLSearchParams({ token: value });
	if (options.tokenTypeHint) params.set('token_type_hint', options.tokenTypeHint);
	const policy: RetryPolicy = {
		...(options.retry ?? DEFAULT_RETRY_POLICY),
		...(options.sleep ? { sleep: options.sleep } : {}),
		now,
	};
	// Rebuilt per attempt, so a retried client assertion carries a new jti.
	const response = await sendWithRetry(
		async () => await authenticatedRequest(config, endpoints, url, params, now()),
		send,
		policy,
	);
	const introspectedAt = now();
	const body = readJsonResult('introspection', response, { providerHints: config.providerHints });
	const active = activeFlag(body.active);
	if (active === undefined) {
		throw new InvalidResponseError(
			'introspection',
			response.status,
			'The introspection endpoint answered without the "active" member RFC 7662 §2.2 requires.',
			response.headers['content-type'],
		);
	}
	const expiresAt = active ? (instantToMillis(body.exp) ?? null) : null;
	return { response: { ...body, active }, introspectedAt, expiresAt, introspectionEndpoint: url };
}
