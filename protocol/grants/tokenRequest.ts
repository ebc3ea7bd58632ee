/** Building and sending token endpoint requests (RFC 6749 §4.3, §4.4, §6; RFC 7523 §2.1). */
import {
	assertionClaims,
	checkAudienceBinding,
	resolveAudience,
	signAssertion,
	type AudienceContext,
} from '../clientAuth/assertion';
import { authenticatedRequest } from '../clientAuth/authenticatedRequest';
import { scopeInClientAssertion, validateClientAuth } from '../clientAuth/clientAuth';
import {
	JWT_BEARER_GRANT,
	TOKEN_EXCHANGE_GRANT,
	type ClientConfig,
	type GrantConfig,
} from '../config/clientConfig';
import { CLIENT_ASSERTION_HINTS } from '../clientAuth/externalAssertion';
import { OAuthConfigError } from '../errors/oauthErrors';
import type { HttpSend } from '../transport/http';
import type { ResolvedEndpoints } from '../config/endpoints';
import { DEFAULT_RETRY_POLICY, sendWithRetry, type RetryPolicy } from '../transport/retry';
import type { HintContext } from '../transport/responseBody';
import { parseTokenResponse, type TokenResponse } from './tokenResponse';
import { tokenExchangeParameters, validateTokenExchange } from './tokenExchange';

/** Parameters the package sets itself; additional parameters may not replace them. */
export const RESERVED_PARAMETERS = new Set([
	'grant_type',
	'client_id',
	'client_secret',
	'client_assertion',
	'client_assertion_type',
	'assertion',
	'username',
	'password',
	'refresh_token',
	'token',
	'token_type_hint',
]);

/** RFC 8693 §2.1 parameters, reserved only for that grant (other grants never sent them). */
const TOKEN_EXCHANGE_PARAMETERS = new Set([
	'subject_token',
	'subject_token_type',
	'actor_token',
	'actor_token_type',
	'requested_token_type',
]);

export function checkExtraParams(extra: Record<string, string>, grant?: GrantConfig): void {
	for (const name of Object.keys(extra)) {
		if (
			RESERVED_PARAMETERS.has(name) ||
			(grant?.type === 'token_exchange' && TOKEN_EXCHANGE_PARAMETERS.has(name))
		) {
			throw new OAuthConfigError(
				'Additional Body Parameters',
				`"${name}" is set by the credential itself and cannot be an additional parameter.`,
				`Remove "${name}" from "Additional Body Parameters" and use the matching credential field.`,
			);
		}
	}
}

export function validateGrant(grant: GrantConfig): void {
	if (grant.type === 'password') {
		if (!grant.username.trim())
			throw new OAuthConfigError(
				'Username',
				'The password grant needs a username.',
				'Enter the user name of the resource owner.',
			);
		if (!grant.password)
			throw new OAuthConfigError(
				'Password',
				'The password grant needs a password.',
				'Enter the password of the resource owner.',
			);
	}
	if (grant.type === 'token_exchange') validateTokenExchange(grant);
	if (grant.type === 'jwt_bearer' && !grant.issuer.trim()) {
		throw new OAuthConfigError(
			'Client ID',
			'The JWT bearer assertion needs an issuer (the client ID, or the service-account email).',
			'Enter the client ID, or paste a Google service-account key.',
		);
	}
}

/** The grant-specific parameters of an access token request. */
export async function grantParameters(
	config: ClientConfig,
	endpoints: ResolvedEndpoints,
	now: number,
): Promise<URLSearchParams> {
	const params = new URLSearchParams();
	const { grant } = config;
	switch (grant.type) {
		case 'client_credentials':
			params.set('grant_type', 'client_credentials');
			break;
		case 'password':
			params.set('grant_type', 'password');
			params.set('username', grant.username);
			params.set('password', grant.password);
			break;
		case 'jwt_bearer': {
			const extraClaims: Record<string, unknown> = { ...grant.extraClaims };
			if (grant.scopeInClaim && config.scope) extraClaims.scope = config.scope;
			const context: AudienceContext = {
				tokenEndpoint: endpoints.tokenEndpoint,
				issuer: endpoints.issuer,
				issuerEndpoints: endpoints.issuerEndpoints,
			};
			const audience = resolveAudience(grant.assertion, context);
			checkAudienceBinding(audience, endpoints.tokenEndpoint, grant.assertion, context);
			const claims = assertionClaims({
				issuer: grant.issuer,
				subject: grant.subject?.trim() || undefined,
				audience,
				lifetimeSeconds: grant.assertion.lifetimeSeconds,
				now,
				extraClaims,
			});
			params.set('grant_type', JWT_BEARER_GRANT);
			params.set('assertion', await signAssertion(claims, { kind: 'key', key: grant.key }, 'JWT'));
			break;
		}
		case 'token_exchange':
			params.set('grant_type', TOKEN_EXCHANGE_GRANT);
			tokenExchangeParameters(grant, params);
			break;
	}
	const scopeAsParameter =
		!(grant.type === 'jwt_bearer' && grant.scopeInClaim) && !scopeInClientAssertion(config.auth);
	if (config.scope && scopeAsParameter) params.set('scope', config.scope);
	if (config.audience) params.set('audience', config.audience);
	// RFC 8707 §2: one `resource` parameter per indicator.
	for (const resource of config.resource ?? []) params.append('resource', resource);
	return params;
}

export function validateConfig(config: ClientConfig): void {
	validateClientAuth(config.auth);
	validateGrant(config.grant);
	checkExtraParams(config.extraParams, config.grant);
}

/** One access token request for the configured grant. */
export async function requestToken(
	config: ClientConfig,
	endpoints: ResolvedEndpoints,
	send: HttpSend,
	now: number,
	retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<TokenResponse> {
	// Rebuilt per attempt: a retry signs new assertions with new jti values.
	const build = async () => {
		const params = await grantParameters(config, endpoints, now);
		return await authenticatedRequest(
			config,
			endpoints,
			endpoints.tokenEndpoint,
			params,
			now,
			config.extraParams,
		);
	};
	return parseTokenResponse(await sendWithRetry(build, send, retry), hintContext(config), {
		tokenExchange: config.grant.type === 'token_exchange',
	});
}

/** The hint context of a configuration: its provider's hints and its grant. */
export function hintContext(config: ClientConfig, grant: string = config.grant.type): HintContext {
	if (config.auth.method === 'client_assertion')
		return { providerHints: [...(config.providerHints ?? []), ...CLIENT_ASSERTION_HINTS], grant };
	return { providerHints: config.providerHints, grant };
}
