/**
 * When does a token expire, and how do we know? Every figure carries its source, and a figure
 * that cannot be known is `null` with source `unknown`: never guessed as valid. Computation is in
 * epoch milliseconds; luxon only turns instants into ISO strings in the workflow's zone.
 */
import { decodeJwt } from '../vendor/jose';
import { DateTime, IANAZone, type Zone } from '../vendor/luxon';

import { CachedOffsetZone } from './cachedZone';
import { parseStrictIso } from './isoInstant';
import { toNumber, type JsonObject } from '../transport/responseBody';
import { processStore } from '../state/processState';

export type AccessExpirySource =
	| 'expires_in'
	| 'expires_at'
	| 'expires_on'
	| 'issued_at+lifespan'
	| 'jwt_exp_unverified'
	| 'default_lifespan'
	| 'unknown';

export type RefreshExpirySource =
	'refresh_expires_in' | 'refresh_token_expires_in' | 'default_lifespan' | 'no_expiry' | 'unknown';

export interface DefaultLifespans {
	/** Seconds an access token lives when the server does not say (ServiceNow: 1800). 0 or unset = unknown. */
	accessTokenSeconds?: number;
	/** Seconds a refresh token lives when the server does not say (ServiceNow: 100 days). 0 or unset = unknown. */
	refreshTokenSeconds?: number;
}

export interface TokenTimes {
	obtainedAt: number;
	accessExpiresAt: number | null;
	accessSource: AccessExpirySource;
	/** null with source `no_expiry` means the refresh token does not expire (Keycloak offline tokens). */
	refreshExpiresAt: number | null;
	refreshSource: RefreshExpirySource | null;
}

/** 9999-12-31T23:59:59.999Z: later instants cannot be written as ISO dates, so they are not believed. */
export const MAX_INSTANT_MS = 253_402_300_799_999;

function usable(ms: number | undefined): number | undefined {
	return ms !== undefined && Number.isFinite(ms) && ms > 0 && ms <= MAX_INSTANT_MS ? ms : undefined;
}

/** Epoch seconds, epoch milliseconds (anything over 10^12) or ISO 8601, to epoch ms. */
export function instantToMillis(value: unknown): number | undefined {
	// The common case first: the ISO text Get Token writes (a strict ISO string is never a number).
	const strict = typeof value === 'string' ? parseStrictIso(value) : undefined;
	if (strict !== undefined) return usable(strict);
	const numeric = toNumber(value);
	if (numeric !== undefined) {
		if (numeric <= 0) return undefined;
		return usable(numeric > 1e12 ? Math.round(numeric) : Math.round(numeric * 1000));
	}
	if (typeof value === 'string' && value.trim()) {
		const parsed = DateTime.fromISO(value.trim(), { setZone: true });
		return parsed.isValid ? usable(parsed.toMillis()) : undefined;
	}
	return undefined;
}

/** `exp` of a JWT access token, decoded without verifying the signature (RFC 9068 tokens are opaque to clients). */
export function unverifiedJwtExpiry(token: unknown): number | undefined {
	return unverifiedJwtTimes(token)?.expiresAt;
}

/** `exp` and `iat` of a JWT, decoded once without verifying the signature; undefined when not a JWT with `exp`. */
export function unverifiedJwtTimes(
	token: unknown,
): { expiresAt: number; issuedAt: number | undefined } | undefined {
	if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
	try {
		const { exp, iat } = decodeJwt(token);
		const expiresAt = typeof exp === 'number' ? usable(exp * 1000) : undefined;
		if (expiresAt === undefined) return undefined;
		return { expiresAt, issuedAt: typeof iat === 'number' ? usable(iat * 1000) : undefined };
	} catch {
		return undefined;
	}
}

function positiveSeconds(value: number | undefined): number | undefined {
	return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** For readers of stored token sets (checkExpiry.ts): the same rules as tokenTimes. */
export { usable as usableInstant, positiveSeconds };

/** Expiry of a token response just received at `obtainedAt` (epoch ms). */
export function tokenTimes(
	token: JsonObject,
	obtainedAt: number,
	defaults: DefaultLifespans = {},
): TokenTimes {
	const expiresIn = toNumber(token.expires_in);
	const defaultAccess = positiveSeconds(defaults.accessTokenSeconds);
	const issuedAt = instantToMillis(token.issued_at);
	// In order of trust; each figure is read (and a JWT decoded) at most once, and only if needed.
	const candidates: Array<[AccessExpirySource, () => number | undefined]> = [
		[
			'expires_in',
			() =>
				expiresIn !== undefined && expiresIn >= 0
					? usable(obtainedAt + expiresIn * 1000)
					: undefined,
		],
		['expires_at', () => instantToMillis(token.expires_at)],
		['expires_on', () => instantToMillis(token.expires_on)],
		// Salesforce: issued_at (epoch ms) and no lifetime; the session timeout is the lifespan.
		[
			'issued_at+lifespan',
			() =>
				issuedAt !== undefined && defaultAccess !== undefined
					? usable(issuedAt + defaultAccess * 1000)
					: undefined,
		],
		['jwt_exp_unverified', () => unverifiedJwtExpiry(token.access_token)],
		[
			'default_lifespan',
			() => (defaultAccess !== undefined ? usable(obtainedAt + defaultAccess * 1000) : undefined),
		],
	];
	let accessExpiresAt: number | null = null;
	let accessSource: AccessExpirySource = 'unknown';
	for (const [source, read] of candidates) {
		const value = read();
		if (value !== undefined) {
			accessExpiresAt = value;
			accessSource = source;
			break;
		}
	}

	let refreshExpiresAt: number | null = null;
	let refreshSource: RefreshExpirySource | null = null;
	if (typeof token.refresh_token === 'string' && token.refresh_token) {
		const refreshExpiresIn = toNumber(token.refresh_expires_in);
		const refreshTokenExpiresIn = toNumber(token.refresh_token_expires_in);
		const defaultRefresh = positiveSeconds(defaults.refreshTokenSeconds);
		if (refreshExpiresIn !== undefined && refreshExpiresIn === 0) {
			refreshSource = 'no_expiry'; // Keycloak: 0 means the (offline) refresh token does not expire.
		} else if (
			refreshExpiresIn !== undefined &&
			refreshExpiresIn > 0 &&
			usable(obtainedAt + refreshExpiresIn * 1000) !== undefined
		) {
			refreshExpiresAt = obtainedAt + refreshExpiresIn * 1000;
			refreshSource = 'refresh_expires_in';
		} else if (
			refreshTokenExpiresIn !== undefined &&
			refreshTokenExpiresIn > 0 &&
			usable(obtainedAt + refreshTokenExpiresIn * 1000) !== undefined
		) {
			refreshExpiresAt = obtainedAt + refreshTokenExpiresIn * 1000;
			refreshSource = 'refresh_token_expires_in';
		} else if (
			defaultRefresh !== undefined &&
			usable(obtainedAt + defaultRefresh * 1000) !== undefined
		) {
			refreshExpiresAt = obtainedAt + defaultRefresh * 1000;
			refreshSource = 'default_lifespan';
		} else {
			refreshSource = 'unknown';
		}
	}
	return { obtainedAt, accessExpiresAt, accessSource, refreshExpiresAt, refreshSource };
}

const zones = processStore<string, Zone>('zones');

/** Zone objects are cached: creating an IANAZone per item is the slow part of naive luxon use. */
export function zoneFor(name: string | undefined): Zone {
	const key = name || 'UTC';
	let zone = zones.get(key);
	if (!zone) {
		const candidate = IANAZone.create(key);
		zone = new CachedOffsetZone(candidate.isValid ? candidate : IANAZone.create('UTC'));
		zones.set(key, zone);
	}
	return zone;
}

export function toIso(millis: number, zone: Zone): string {
	return DateTime.fromMillis(millis, { zone }).toISO() as string;
}
