/**
 * Check Expiry's figures as the JSON a workflow reads: ISO dates in the workflow's zone, seconds
 * left, flags, a human phrase and the source of each figure. Times are formatted with luxon
 * through the cached zone objects of lifespan.ts (`zoneFor`), phrases by relativePhrase.ts.
 */
import type { Zone } from '../vendor/luxon';

import type { ExpiryCheck, TokenExpiry } from './checkExpiry';
import { toIso } from './tokenTimes';
import { relativePhrase } from './relativePhrase';
import type { JsonObject } from '../transport/responseBody';
import { registerProcessState } from '../state/processState';

/** Items of one run share their check time: format it once. */
let lastCheckedAt: { millis: number; zone: Zone; iso: string } | undefined;
registerProcessState({ clear: () => (lastCheckedAt = undefined) });

function checkedAtIso(millis: number, zone: Zone): string {
	if (lastCheckedAt?.millis !== millis || lastCheckedAt.zone !== zone)
		lastCheckedAt = { millis, zone, iso: toIso(millis, zone) };
	return lastCheckedAt.iso;
}

function human(expiry: TokenExpiry<string>, now: number): string {
	if (expiry.inactive) return 'inactive (introspection)';
	if (expiry.source === 'no_expiry') return 'never expires';
	return expiry.expiresAt === null ? 'unknown' : relativePhrase(expiry.expiresAt - now);
}

function tokenReport(expiry: TokenExpiry<string>, now: number, zone: Zone): JsonObject {
	const out: JsonObject = {
		expires_at: expiry.expiresAt === null ? null : toIso(expiry.expiresAt, zone),
		seconds_left: expiry.secondsLeft,
		expired: expiry.expired,
		needs_refresh: expiry.needsRefresh,
		human: human(expiry, now),
		source: expiry.source,
	};
	if (expiry.extendedExpiresAt !== undefined)
		out.extended_expires_at = toIso(expiry.extendedExpiresAt, zone);
	if (expiry.note) out.note = expiry.note;
	return out;
}

export function expiryReport(check: ExpiryCheck, zone: Zone): JsonObject {
	const out: JsonObject = {
		needs_refresh: check.needsRefresh,
		reason: check.reason,
		checked_at: checkedAtIso(check.checkedAt, zone),
		margin_seconds: check.marginSeconds,
		access_token: tokenReport(check.access, check.checkedAt, zone),
	};
	if (check.refresh) out.refresh_token = tokenReport(check.refresh, check.checkedAt, zone);
	return out;
}
