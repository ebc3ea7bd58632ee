/**
 * JWT assertions: client authentication (RFC 7523 §2.2, OIDC Core §9) and the JWT bearer
 * authorization grant (RFC 7523 §2.1). Every assertion gets a fresh `jti`, `iat`, and a short
 * `exp`; servers reject a replayed `jti` (OIDC Core §9, ServiceNow, Auth0), so nothing is reused.
 */
import { createHash, randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, type JWTPayload } from '../vendor/jose';

import { OAuthConfigError } from '../errors/oauthErrors';
import type { SigningKey } from './keys';
import { processStore } from '../state/processState';

/**
 * `auto` (the default): the issuer when one is known, else the token endpoint (RFC 7523bis, as
 * oauth4webapi and openid-client v6 do). `endpoint`: the URL the request goes to, token,
 * revocation or introspection endpoint alike (Okta).
 */
export type AudienceMode = 'auto' | 'tokenEndpoint' | 'issuer' | 'custom' | 'endpoint';
export type AssertionType = 'JWT' | 'client-authentication+jwt';
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

export interface AssertionSettings {
	audienceMode: AudienceMode;
	customAudience?: string;
	/**
	 * Origins a preset knows to accept this audience although it names another host (Salesforce:
	 * a My Domain token endpoint takes aud = https://login.salesforce.com).
	 */
	acceptedOrigins?: readonly string[];
	/** Seconds from `iat` to `exp`. Short by default: the assertion is used once, straight away. */
	lifetimeSeconds: number;
	typ?: AssertionType;
}

export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 60;
/** No provider needs longer (Google and Okta allow at most one hour); a longer-lived assertion is a longer replay window. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;
/** Backdating `iat`/`nbf` absorbs small clock differences with the server. */
export const CLOCK_SKEW_SECONDS = 5;

export interface AudienceContext {
	tokenEndpoint: string;
	issuer?: string;
	/** The URL of this request (revocation or introspection endpoint); unset = the token endpoint. */
	endpoint?: string;
	/** URLs the issuer's own discovery metadata named (they answer for that issuer). */
	issuerEndpoints?: readonly string[];
}

export function resolveAudience(settings: AssertionSettings, context: AudienceContext): string {
	switch (settings.audienceMode) {
		case 'auto':
			return context.issuer ?? context.tokenEndpoint;
		case 'tokenEndpoint':
			return context.tokenEndpoint;
		case 'endpoint':
			return context.endpoint ?? context.tokenEndpoint;
		case 'issuer':
			if (!context.issuer) {
				throw new OAuthConfigError(
					'Assertion Audience',
					'The assertion audience is set to the issuer, but no issuer is known.',
					'Set "Issuer URL" (discovery), or choose the token endpoint or a custom audience.',
				);
			}
			return context.issuer;
		case 'custom': {
			const aud = settings.customAudience?.trim();
			if (!aud) {
				throw new OAuthConfigError(
					'Custom Audience',
					'The assertion audience is set to custom, but "Custom Audience" is empty.',
					'Enter the audience the provider expects, e.g. https://login.salesforce.com.',
				);
			}
			return aud;
		}
	}
}

function originOf(value: string): string | undefined {
	return URL.canParse(value) ? new URL(value).origin : undefined;
}

/** A URL's scheme, host and port only: what error messages may show of it. */
function hostText(value: string): string {
	return originOf(value) ?? 'a value that is not a URL';
}

/**
 * Whether an assertion with audience `aud` may be sent to `url`. Whoever receives an assertion can
 * replay it wherever its audience is accepted (CVE-2025-27370), so it goes only to the server its
 * audience names: the same origin; an endpoint the issuer's own metadata lists when the audience is
 * that issuer (another issuer's server refuses it); an origin the preset vouches for; or, for an
 * audience that is not a URL (ServiceNow's client ID), the token endpoint's origin.
 */
export function audienceAllows(
	aud: string,
	url: string,
	settings: AssertionSettings,
	context: AudienceContext,
): boolean {
	const target = originOf(url);
	if (target === undefined) return false;
	const audOrigin = originOf(aud);
	if (audOrigin === target) return true;
	if (context.issuer !== undefined && aud === context.issuer) {
		if (context.issuerEndpoints?.includes(url)) return true;
	}
	if (settings.acceptedOrigins?.includes(target)) return true;
	return audOrigin === undefined && originOf(context.tokenEndpoint) === target;
}

/** Refuses, before anything is sent, an assertion that the receiving server could replay elsewhere. */
export function checkAudienceBinding(
	aud: string,
	url: string,
	settings: AssertionSettings,
	context: AudienceContext,
): void {
	if (audienceAllows(aud, url, settings, context)) return;
	throw new OAuthConfigError(
		'Assertion Audience',
		`Refused to send a signed assertion to ${hostText(url)}: its audience belongs to ${hostText(aud)}, so ${hostText(url)} could replay it there and obtain tokens as this client.`,
		'Set "Assertion Audience" to "Issuer When Known (Recommended)" or "Issuer", so an assertion is only valid at the server it was made for; or use revocation and introspection URLs on the same host as the token URL.',
	);
}

/** Lifetime bounds for every assertion: positive, and at most an hour. */
export function checkAssertionLifetime(seconds: number): void {
	if (!(seconds > 0)) {
		throw new OAuthConfigError(
			'Assertion Lifetime',
			'The assertion lifetime must be a positive number of seconds.',
			'Use 60 to 300 seconds.',
		);
	}
	if (seconds > MAX_ASSERTION_LIFETIME_SECONDS) {
		throw new OAuthConfigError(
			'Assertion Lifetime',
			`The assertion lifetime is ${seconds} seconds; at most ${MAX_ASSERTION_LIFETIME_SECONDS} are allowed, because an assertion is used once, straight away, and a long-lived one can be replayed for longer.`,
			'Set "Assertion Lifetime" to 60 (up to 300 for a server with a slow clock).',
		);
	}
}

export interface ClaimsInput {
	issuer: string;
	subject?: string;
	audience: string;
	lifetimeSeconds: number;
	/** Epoch milliseconds. */
	now: number;
	extraClaims?: Record<string, unknown>;
}

/** The registered claims, with extra claims first so they can never override iss/sub/aud/exp/jti. */
export function assertionClaims(input: ClaimsInput): JWTPayload {
	checkAssertionLifetime(input.lifetimeSeconds);
	const nowSeconds = Math.floor(input.now / 1000);
	const claims: JWTPayload = {
		...(input.extraClaims ?? {}),
		iss: input.issuer,
		aud: input.audience,
		jti: randomUUID(),
		iat: nowSeconds - CLOCK_SKEW_SECONDS,
		exp: nowSeconds + Math.floor(input.lifetimeSeconds),
	};
	if (input.subject) claims.sub = input.subject;
	return claims;
}

export type AssertionSigner =
	{ kind: 'secret'; secret: string; alg: HmacAlgorithm } | { kind: 'key'; key: SigningKey };

type WebCryptoKey = webcrypto.CryptoKey;

/** WebCrypto parameters for each JWS algorithm, so a key is imported once and jose signs with it directly. */
const IMPORT_PARAMS: Record<string, Parameters<typeof webcrypto.subtle.importKey>[2]> = {
	RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
	RS384: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
	RS512: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
	PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
	PS384: { name: 'RSA-PSS', hash: 'SHA-384' },
	PS512: { name: 'RSA-PSS', hash: 'SHA-512' },
	ES256: { name: 'ECDSA', namedCurve: 'P-256' },
	ES384: { name: 'ECDSA', namedCurve: 'P-384' },
	ES512: { name: 'ECDSA', namedCurve: 'P-521' },
	EdDSA: { name: 'Ed25519' },
	HS256: { name: 'HMAC', hash: 'SHA-256' },
	HS384: { name: 'HMAC', hash: 'SHA-384' },
	HS512: { name: 'HMAC', hash: 'SHA-512' },
};

/**
 * Imported CryptoKeys by key fingerprint (private keys) or secret hash (HMAC). Handing jose a
 * CryptoKey skips its per-signature key conversion; the map is bounded.
 */
const importedKeys = processStore<string, Promise<WebCryptoKey>>('cryptoKeys');

function cachedImport(cacheKey: string, load: () => Promise<WebCryptoKey>): Promise<WebCryptoKey> {
	let key = importedKeys.get(cacheKey);
	if (!key) {
		key = load();
		// A failed import is not kept, so a later call reports the failure again.
		key.catch(() => importedKeys.delete(cacheKey));
		importedKeys.set(cacheKey, key);
	}
	return key;
}

function signingCryptoKey(signer: AssertionSigner): Promise<WebCryptoKey> {
	if (signer.kind === 'secret') {
		const id = createHash('sha256')
			.update(JSON.stringify([signer.alg, signer.secret]))
			.digest('base64url');
		return cachedImport(
			`hmac:${id}`,
			async () =>
				await webcrypto.subtle.importKey(
					'raw',
					Buffer.from(signer.secret, 'utf8'),
					IMPORT_PARAMS[signer.alg],
					false,
					['sign'],
				),
		);
	}
	const { key } = signer;
	return cachedImport(
		`${key.alg}:${key.fingerprint}`,
		async () =>
			await webcrypto.subtle.importKey(
				'pkcs8',
				key.key.export({ type: 'pkcs8', format: 'der' }),
				IMPORT_PARAMS[key.alg],
				false,
				['sign'],
			),
	);
}

export async function signAssertion(
	claims: JWTPayload,
	signer: AssertionSigner,
	typ: AssertionType = 'JWT',
): Promise<string> {
	const header: Record<string, string> = {
		alg: signer.kind === 'secret' ? signer.alg : signer.key.alg,
		typ,
	};
	if (signer.kind === 'key') {
		const { key } = signer;
		if (key.kid) header.kid = key.kid;
		if (key.x5t) header.x5t = key.x5t;
		if (key['x5t#S256']) header['x5t#S256'] = key['x5t#S256'];
	}
	return await new SignJWT(claims)
		.setProtectedHeader(header as { alg: string })
		.sign(await signingCryptoKey(signer));
}
