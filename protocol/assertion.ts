/**
 * JWT assertions: client authentication (RFC 7523 §2.2, OIDC Core §9) and the JWT bearer
 * authorization grant (RFC 7523 §2.1). Every assertion gets a fresh `jti`, `iat`, and a short
 * `exp`; servers reject a replayed `jti` (OIDC Core §9, ServiceNow, Auth0), so nothing is reused.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';

import { OAuthConfigError } from './errors';
import type { SigningKey } from './keys';

export type AudienceMode = 'tokenEndpoint' | 'issuer' | 'custom';
export type AssertionType = 'JWT' | 'client-authentication+jwt';
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

export interface AssertionSettings {
	audienceMode: AudienceMode;
	customAudience?: string;
	/** Seconds from `iat` to `exp`. Short by default: the assertion is used once, straight away. */
	lifetimeSeconds: number;
	typ?: AssertionType;
}

export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 60;
/** Backdating `iat`/`nbf` absorbs small clock differences with the server. */
const CLOCK_SKEW_SECONDS = 5;

export interface AudienceContext {
	tokenEndpoint: string;
	issuer?: string;
}

export function resolveAudience(settings: AssertionSettings, context: AudienceContext): string {
	switch (settings.audienceMode) {
		case 'tokenEndpoint':
			return context.tokenEndpoint;
		case 'issuer':
			if (!context.issuer) {
				throw new OAuthConfigError('Assertion Audience', 'The assertion audience is set to the issuer, but no issuer is known.', 'Set "Issuer URL" (discovery), or choose the token endpoint or a custom audience.');
			}
			return context.issuer;
		case 'custom': {
			const aud = settings.customAudience?.trim();
			if (!aud) {
				throw new OAuthConfigError('Custom Audience', 'The assertion audience is set to custom, but "Custom Audience" is empty.', 'Enter the audience the provider expects, e.g. https://login.salesforce.com.');
			}
			return aud;
		}
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
	if (!(input.lifetimeSeconds > 0)) {
		throw new OAuthConfigError('Assertion Lifetime', 'The assertion lifetime must be a positive number of seconds.', 'Use 60 to 300 seconds.');
	}
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
	| { kind: 'secret'; secret: string; alg: HmacAlgorithm }
	| { kind: 'key'; key: SigningKey };

export async function signAssertion(claims: JWTPayload, signer: AssertionSigner, typ: AssertionType = 'JWT'): Promise<string> {
	if (signer.kind === 'secret') {
		return await new SignJWT(claims)
			.setProtectedHeader({ alg: signer.alg, typ })
			.sign(new TextEncoder().encode(signer.secret));
	}
	const { key } = signer;
	const header: Record<string, string> = { alg: key.alg, typ };
	if (key.kid) header.kid = key.kid;
	if (key.x5t) header.x5t = key.x5t;
	if (key['x5t#S256']) header['x5t#S256'] = key['x5t#S256'];
	return await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.key);
}
