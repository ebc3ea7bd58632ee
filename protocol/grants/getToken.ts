/**
 * Get Token: validate, resolve endpoints, reuse a still-valid token or request one (concurrent
 * callers share the request), and compute when it expires.
 */
import { createHash } from 'node:crypto';

import type { ClientConfig } from '../config/clientConfig';
import { resolveEndpoints, type ResolvedEndpoints } from '../config/endpoints';
import type { HttpSend } from '../transport/http';
import { tokenTimes, type TokenTimes } from '../expiry/tokenTimes';
import { TokenCache } from '../state/tokenCache';
import { requestToken, validateConfig } from './tokenRequest';
import { clientAuthMaterial } from '../clientAuth/clientAuth';
import type { TokenResponse } from './tokenResponse';
import { PROCESS_STATE_LIMITS, registerProcessState } from '../state/processState';

export interface TokenResult {
	token: TokenResponse;
	times: TokenTimes;
	tokenEndpoint: string;
}

export interface GetTokenResult extends TokenResult {
	/** True when no request was made for this call (cached token, or another call's in-flight request). */
	reused: boolean;
}

export interface GetTokenOptions {
	now?: () => number;
	/** Request a new token even if a valid one is cached. */
	forceNew?: boolean;
	cache?: TokenCache<TokenResult>;
}

/** The process-wide cache the node uses. */
export const sharedTokenCache = registerProcessState(
	new TokenCache<TokenResult>({ maxEntries: PROCESS_STATE_LIMITS.tokens }),
);

/** The grant's own secrets and identity; with the client's, they make the key's secret part. */
function grantMaterial(config: ClientConfig): unknown[] {
	const { grant } = config;
	if (grant.type === 'password') return [grant.type, grant.username, grant.password];
	if (grant.type === 'jwt_bearer')
		return [
			grant.type,
			grant.key.fingerprint,
			grant.issuer,
			grant.subject ?? '',
			grant.extraClaims,
		];
	if (grant.type === 'token_exchange')
		return [
			grant.type,
			// Hashed on their own too: the subject decides whose token this is (never shared across subjects).
			sha256(grant.subjectToken),
			grant.subjectTokenType,
			grant.actorToken ? sha256(grant.actorToken) : '',
			grant.actorTokenType ?? '',
			grant.requestedTokenType ?? '',
		];
	return [grant.type];
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** One indicator is keyed as the single value was, so a cached token keeps its key. */
function resourceMaterial(resources: string[] | undefined): string | string[] {
	return !resources || resources.length === 0
		? ''
		: resources.length === 1
			? resources[0]
			: resources;
}

/**
 * The cache key: everything that changes which token the server would issue, secrets included,
 * hashed so no secret is kept in memory as a map key.
 */
export function tokenCacheKey(config: ClientConfig, endpoints: ResolvedEndpoints): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				endpoints.tokenEndpoint,
				config.clientId,
				config.grant.type,
				config.scope ?? '',
				config.audience ?? '',
				resourceMaterial(config.resource),
				Object.entries(config.extraParams).sort(),
				clientAuthMaterial(config.auth),
				grantMaterial(config),
			]),
		)
		.digest('base64url');
}

export async function getToken(
	config: ClientConfig,
	send: HttpSend,
	options: GetTokenOptions = {},
): Promise<GetTokenResult> {
	const now = options.now ?? Date.now;
	const cache = options.cache ?? sharedTokenCache;
	validateConfig(config);
	const endpoints = await resolveEndpoints(config.endpoints, send, now(), config.timeoutMs);
	const key = tokenCacheKey(config, endpoints);
	const { value, reused } = await cache.getOrFetch(
		key,
		now,
		async () => {
			const obtainedAt = now();
			const token = await requestToken(config, endpoints, send, obtainedAt);
			const times = tokenTimes(token, obtainedAt, config.lifespans);
			return {
				value: { token, times, tokenEndpoint: endpoints.tokenEndpoint },
				expiresAt: times.accessExpiresAt,
			};
		},
		{ forceNew: options.forceNew },
	);
	return { ...value, reused };
}
