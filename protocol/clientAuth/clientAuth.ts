/**
 * Client authentication at the token, revocation and introspection endpoints, one strategy per
 * method (RFC 6749 §2.3.1, RFC 7523 §2.2, OIDC Core §9). Each call of `applyClientAuth` builds a
 * new assertion, so a retried request never re-sends a used `jti`.
 */
import {
	assertionClaims,
	checkAudienceBinding,
	resolveAudience,
	signAssertion,
	type AssertionSettings,
	type AudienceContext,
	type HmacAlgorithm,
} from './assertion';
import { OAuthConfigError } from '../errors/oauthErrors';
import { basicAuthorization, type BasicEncoding } from './formEncode';
import type { SigningKey } from './keys';
import {
	assertionSourceMaterial,
	checkExternalAssertionTarget,
	obtainClientAssertion,
	validateAssertionSource,
	type ClientAssertionSource,
} from './externalAssertion';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type ClientAuthMethod =
	| 'client_secret_basic'
	| 'client_secret_post'
	| 'client_secret_jwt'
	| 'private_key_jwt'
	| 'client_assertion'
	| 'none';

/**
 * Claims a client assertion carries besides the registered ones (RFC 7523 §3 allows any). `scope`
 * puts the request's scope in the assertion instead of the form (NetSuite's client credentials
 * flow): `string` as it is, `list` as a JSON array of the scope names.
 */
export interface ClientAssertionClaims {
	extra?: Record<string, unknown>;
	scope?: 'string' | 'list';
}

export type ClientAuth =
	| {
			method: 'client_secret_basic';
			clientId: string;
			clientSecret: string;
			encoding: BasicEncoding;
	  }
	| { method: 'client_secret_post'; clientId: string; clientSecret: string }
	| {
			method: 'client_secret_jwt';
			clientId: string;
			clientSecret: string;
			alg: HmacAlgorithm;
			assertion: AssertionSettings;
			claims?: ClientAssertionClaims;
	  }
	| {
			method: 'private_key_jwt';
			clientId: string;
			key: SigningKey;
			assertion: AssertionSettings;
			claims?: ClientAssertionClaims;
	  }
	/** A client assertion signed elsewhere (workload identity federation): no key in n8n. */
	| { method: 'client_assertion'; clientId: string; source: ClientAssertionSource }
	| { method: 'none'; clientId?: string };

export interface AuthenticatedParts {
	params: URLSearchParams;
	headers: Record<string, string>;
}

/** Whether the scope travels in the client assertion (then it is not sent as a form parameter). */
export function scopeInClientAssertion(auth: ClientAuth): boolean {
	return (
		(auth.method === 'private_key_jwt' || auth.method === 'client_secret_jwt') &&
		auth.claims?.scope !== undefined
	);
}

function clientAssertionExtraClaims(
	claims: ClientAssertionClaims | undefined,
	scope: string | undefined,
): Record<string, unknown> {
	const extra: Record<string, unknown> = { ...claims?.extra };
	const words = (scope ?? '').split(/[\s,]+/).filter(Boolean);
	if (claims?.scope && words.length)
		extra.scope = claims.scope === 'list' ? words : (scope ?? '').trim();
	return extra;
}

/**
 * Adds client authentication to a request's form parameters and headers. `now` is epoch ms;
 * `scope` is the request's scope, for a client assertion that carries it as a claim.
 */
export async function applyClientAuth(
	auth: ClientAuth,
	audience: AudienceContext,
	parts: AuthenticatedParts,
	now: number,
	scope?: string,
): Promise<void> {
	switch (auth.method) {
		case 'client_secret_basic':
			parts.headers.authorization = basicAuthorization(
				auth.clientId,
				auth.clientSecret,
				auth.encoding,
			);
			return;
		case 'client_secret_post':
			parts.params.set('client_id', auth.clientId);
			parts.params.set('client_secret', auth.clientSecret);
			return;
		case 'client_secret_jwt':
		case 'private_key_jwt': {
			const aud = resolveAudience(auth.assertion, audience);
			checkAudienceBinding(
				aud,
				audience.endpoint ?? audience.tokenEndpoint,
				auth.assertion,
				audience,
			);
			const claims = assertionClaims({
				issuer: auth.clientId,
				subject: auth.clientId,
				audience: aud,
				lifetimeSeconds: auth.assertion.lifetimeSeconds,
				now,
				extraClaims: clientAssertionExtraClaims(auth.claims, scope),
			});
			const jwt = await signAssertion(
				claims,
				auth.method === 'client_secret_jwt'
					? { kind: 'secret', secret: auth.clientSecret, alg: auth.alg }
					: { kind: 'key', key: auth.key },
				auth.assertion.typ,
			);
			parts.params.set('client_id', auth.clientId);
			parts.params.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
			parts.params.set('client_assertion', jwt);
			return;
		}
		case 'client_assertion': {
			const jwt = await obtainClientAssertion(auth.source, now);
			checkExternalAssertionTarget(jwt, audience.endpoint ?? audience.tokenEndpoint, audience);
			parts.params.set('client_id', auth.clientId);
			parts.params.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
			parts.params.set('client_assertion', jwt);
			return;
		}
		case 'none':
			if (auth.clientId) parts.params.set('client_id', auth.clientId);
			return;
	}
}

/**
 * What distinguishes one client's authentication from another's, secrets included, for cache and
 * single-flight keys (always hashed there). Callers put it in a JSON array, so no two different
 * credentials can produce the same key (a joined string could: "a\0b" + "c" = "a" + "b\0c").
 */
export function clientAuthMaterial(auth: ClientAuth): string[] {
	switch (auth.method) {
		case 'client_secret_basic':
			return [auth.method, auth.encoding, auth.clientSecret];
		case 'client_secret_post':
			return [auth.method, auth.clientSecret];
		case 'client_secret_jwt':
			return [auth.method, auth.alg, auth.clientSecret, ...claimsMaterial(auth.claims)];
		case 'private_key_jwt':
			return [
				auth.method,
				auth.key.fingerprint,
				auth.key.kid ?? '',
				...claimsMaterial(auth.claims),
			];
		case 'client_assertion':
			// The path, not the file's content: a rotated file keeps a still-valid token.
			return [auth.method, ...assertionSourceMaterial(auth.source)];
		case 'none':
			return [auth.method];
	}
}

/** Claims change the token a server may issue; none (every older credential) adds nothing. */
function claimsMaterial(claims: ClientAssertionClaims | undefined): string[] {
	return claims && (claims.scope || Object.keys(claims.extra ?? {}).length)
		? [JSON.stringify([claims.scope ?? '', claims.extra ?? {}])]
		: [];
}

/** Checks done before any request, so a missing secret is reported as a setting, not as a 401. */
export function validateClientAuth(auth: ClientAuth): void {
	if (auth.method !== 'none' && !auth.clientId.trim()) {
		throw new OAuthConfigError(
			'Client ID',
			'The client ID is empty.',
			'Enter the client ID (consumer key / application ID) issued by the authorization server.',
		);
	}
	if (
		(auth.method === 'client_secret_basic' ||
			auth.method === 'client_secret_post' ||
			auth.method === 'client_secret_jwt') &&
		!auth.clientSecret
	) {
		throw new OAuthConfigError(
			'Client Secret',
			'The client secret is empty.',
			'Enter the client secret issued with this client ID.',
		);
	}
	if (auth.method === 'client_assertion') validateAssertionSource(auth.source);
	if (auth.method === 'client_secret_jwt') {
		// RFC 7518 §3.2: the HMAC key must be at least as long as the hash output.
		const minBytes = Number(auth.alg.slice(2)) / 8;
		if (Buffer.byteLength(auth.clientSecret, 'utf8') < minBytes) {
			throw new OAuthConfigError(
				'Client Secret',
				`client_secret_jwt with ${auth.alg} needs a client secret of at least ${minBytes} bytes (RFC 7518 §3.2).`,
				'Use a longer secret, choose HS256, or use client_secret_basic / client_secret_post.',
			);
		}
	}
}
