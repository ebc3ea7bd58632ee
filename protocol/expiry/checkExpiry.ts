/**
 * Check Expiry's core: when do a stored token set's access and refresh tokens expire, how do we
 * know, and does it need a refresh now? Pure: token set + now + options in, figures out; all
 * maths in epoch milliseconds. An expiry that cannot be known is reported as unknown (null), never
 * as valid, and goes to Needs Refresh unless the user said otherwise.
 *
 * A stored set differs from a response just received (tokenTimes.ts): absolute figures
 * (`expires_at`, `expires_on`) come first, and the relative ones (`expires_in`, …) count from
 * when the token was received (`obtained_at`, or Salesforce's `issued_at`). Without that time a
 * relative figure says nothing, unless the user says the set was just received.
 *
 * Longer than most files because the readers of each figure and the order they are tried in are
 * one decision: split apart, the precedence between sources would be spread over several files.
 */
import { OAuthConfigError } from '../errors/oauthErrors';
import {
	instantToMillis,
	positiveSeconds,
	unverifiedJwtTimes,
	usableInstant,
	type AccessExpirySource,
	type DefaultLifespans,
	type RefreshExpirySource,
} from './tokenTimes';
import { toNumber, type JsonObject } from '../transport/responseBody';

export type CheckedAccessSource = AccessExpirySource | 'introspection';
export type CheckedRefreshSource = RefreshExpirySource | 'expires_at' | 'jwt_exp_unverified';

export type TreatUnknownAs = 'needsRefresh' | 'valid';

/** What an RFC 7662 introspection answer said about the access token. */
export interface IntrospectionFacts {
	active: boolean;
	/** Epoch ms from `exp`; null when the server did not say. */
	expiresAt: number | null;
}

export interface CheckExpiryOptions {
	/** The check time, epoch ms. */
	now: number;
	/**
	 * Refresh when this many seconds or fewer are left. Unset: the adaptive default, 300 s or a
	 * fifth of the token's lifetime when that is shorter (see `defaultMarginSeconds`).
	 */
	marginSeconds?: number;
	/** Lifespans to assume when the set does not say (credential or node parameters). */
	defaults?: DefaultLifespans;
	treatUnknownAs?: TreatUnknownAs;
	/** Count `expires_in` & co. from `now` when the set has no `obtained_at` / `issued_at`. */
	assumeJustReceived?: boolean;
	introspection?: IntrospectionFacts;
}

export interface TokenExpiry<Source extends string> {
	expiresAt: number | null;
	source: Source;
	/** ceil((expiresAt − now) / 1 s): above 0 while valid, 0 or less once expired; null when unknown. */
	secondsLeft: number | null;
	/** null when unknown. */
	expired: boolean | null;
	/** Within the margin (or expired). Access token: unknown follows Treat Unknown As; refresh token: null when unknown. */
	needsRefresh: boolean | null;
	/** The margin applied to this token, in seconds. */
	marginSeconds: number;
	/** The introspection endpoint said the token is not active. */
	inactive?: boolean;
	/** Entra's `ext_expires_in`: how long the token is honoured during an outage. Informational only. */
	extendedExpiresAt?: number;
	/** Why a figure in the set could not be used, in words. */
	note?: string;
}

export type NeedsRefreshReason =
	| 'access_token_inactive'
	| 'access_token_expired'
	| 'access_token_expires_within_margin'
	| 'access_token_expiry_unknown'
	| 'refresh_token_expired'
	| 'refresh_token_expires_within_margin';

export interface ExpiryCheck {
	checkedAt: number;
	/** The margin applied to the access token. */
	marginSeconds: number;
	access: TokenExpiry<CheckedAccessSource>;
	/** null when the set holds no refresh token. */
	refresh: TokenExpiry<CheckedRefreshSource> | null;
	/** The branch: Needs Refresh (true) or Valid (false). */
	needsRefresh: boolean;
	reason: NeedsRefreshReason | null;
}

export const DEFAULT_MARGIN_SECONDS = 300;

/**
 * The share of a short lifetime the default margin takes: refresh once 80% of the lifetime has
 * passed, as Kubernetes' kubelet does for the service-account tokens it rotates. A fixed 300 s would
 * send every fresh 300-second token (Keycloak, many client-credentials servers) to Needs Refresh.
 */
export const DEFAULT_MARGIN_FRACTION = 0.2;

/**
 * The default margin for a token that lives `lifetimeSeconds` (undefined when unknown): the smaller
 * of 300 s and a fifth of the lifetime, in whole seconds; 300 s when the lifetime is unknown.
 */
export function defaultMarginSeconds(lifetimeSeconds: number | undefined): number {
	if (lifetimeSeconds === undefined || !Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0)
		return DEFAULT_MARGIN_SECONDS;
	return Math.min(DEFAULT_MARGIN_SECONDS, Math.floor(lifetimeSeconds * DEFAULT_MARGIN_FRACTION));
}

/** Labels Get Token, Refresh and Introspect write next to the `expires_at` they computed. */
const STORED_ACCESS_LABELS: Record<string, CheckedAccessSource> = {
	expires_in: 'expires_in',
	expires_at: 'expires_at',
	expires_on: 'expires_on',
	'issued_at+lifespan': 'issued_at+lifespan',
	jwt_exp_unverified: 'jwt_exp_unverified',
	default_lifespan: 'default_lifespan',
	introspection: 'introspection',
	introspection_exp: 'introspection',
};
const STORED_REFRESH_LABELS: Record<string, CheckedRefreshSource> = {
	refresh_expires_in: 'refresh_expires_in',
	refresh_token_expires_in: 'refresh_token_expires_in',
	default_lifespan: 'default_lifespan',
	expires_at: 'expires_at',
	jwt_exp_unverified: 'jwt_exp_unverified',
};

const INSTANT_FORMS =
	'epoch seconds, epoch milliseconds or an ISO 8601 date such as 2026-11-21T12:00:00Z';
const UNANCHORED_NOTE =
	'counts from when the token was received, and this token set does not say when that was (no obtained_at or issued_at). Keep the obtained_at field Get Token outputs, or turn on "Assume Just Received".';

function isAbsent(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** Enough of a bad value to recognise it, never a whole object. */
function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return Array.isArray(value) ? 'a list' : `a value of type ${typeof value}`;
}

/** An absolute instant field: absent, or a usable date; anything else is malformed input. */
function readInstant(token: JsonObject, field: string): number | undefined {
	const value = token[field];
	if (isAbsent(value)) return undefined;
	const millis = instantToMillis(value);
	if (millis === undefined) {
		throw new OAuthConfigError(
			field,
			`${describeValue(value)} is not a usable date (between 1970 and 9999).`,
			`Give ${field} as ${INSTANT_FORMS}, or leave it empty.`,
		);
	}
	return millis;
}

/** A duration field in seconds: absent, or a number ≥ 0 (numbers in strings too). */
function readSeconds(token: JsonObject, field: string): number | undefined {
	const value = token[field];
	if (isAbsent(value)) return undefined;
	const seconds = toNumber(value);
	if (seconds === undefined || seconds < 0) {
		throw new OAuthConfigError(
			field,
			`${describeValue(value)} is not a number of seconds.`,
			`Give ${field} as a whole number of seconds (0 or more), or leave it empty.`,
		);
	}
	return seconds;
}

/** anchor + seconds, or a clear error when that lands beyond what a date can hold. */
function after(anchor: number, seconds: number, field: string): number {
	const at = usableInstant(anchor + seconds * 1000);
	if (at === undefined)
		throw new OAuthConfigError(
			field,
			`${seconds} seconds from ${new Date(anchor).toISOString()} is beyond the year 9999.`,
		);
	return at;
}

function storedLabel<S extends string>(labels: Record<string, S>, value: unknown): S | undefined {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(labels, value)
		? labels[value]
		: undefined;
}

function validateOptions(options: CheckExpiryOptions): {
	/** undefined: the adaptive default. */
	margin: number | undefined;
	defaults: DefaultLifespans;
} {
	if (!Number.isFinite(options.now))
		throw new OAuthConfigError('now', 'The check time is not a number.');
	const margin = options.marginSeconds;
	if (
		margin !== undefined &&
		(typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0)
	) {
		throw new OAuthConfigError(
			'Refresh Margin (Seconds)',
			`${describeValue(margin)} is not a margin: give 0 or more seconds.`,
			'Items whose token expires within this many seconds go to Needs Refresh; 300 (5 minutes) is a common choice.',
		);
	}
	const defaults = options.defaults ?? {};
	for (const [key, field] of [
		['accessTokenSeconds', 'Access Token Lifespan (Seconds)'],
		['refreshTokenSeconds', 'Refresh Token Lifespan (Seconds)'],
	] as const) {
		const value = defaults[key];
		if (
			value !== undefined &&
			(typeof value !== 'number' || !Number.isFinite(value) || value < 0)
		) {
			throw new OAuthConfigError(
				field,
				`${describeValue(value)} is not a lifespan: give 0 (unknown) or more seconds.`,
			);
		}
	}
	return { margin, defaults };
}

/**
 * When the token was received, read only when a relative figure needs it (most stored sets state
 * expires_at, and parsing dates is most of a check's cost). Malformed values still fail when read.
 */
class Anchors {
	private obtained?: { value: number | undefined };
	private issued?: { value: number | undefined };

	constructor(
		private readonly token: JsonObject,
		readonly now: number,
		private readonly assumeJustReceived: boolean,
	) {}

	get obtainedAt(): number | undefined {
		this.obtained ??= { value: readInstant(this.token, 'obtained_at') };
		return this.obtained.value;
	}

	get issuedAt(): number | undefined {
		this.issued ??= { value: readInstant(this.token, 'issued_at') };
		return this.issued.value;
	}

	/** A receipt time the set states (obtained_at, else issued_at); never an assumed one. */
	get stated(): number | undefined {
		return this.obtainedAt ?? this.issuedAt;
	}

	/** obtained_at, else issued_at, else now when the set was just received. */
	get received(): number | undefined {
		return this.obtainedAt ?? this.issuedAt ?? (this.assumeJustReceived ? this.now : undefined);
	}
}

function readAnchors(token: JsonObject, options: CheckExpiryOptions): Anchors {
	return new Anchors(token, options.now, options.assumeJustReceived === true);
}

interface Figure<Source extends string> {
	expiresAt: number | null;
	source: Source;
	/** When the token's lifetime began, where known (for the adaptive margin). */
	startedAt?: number;
	/** An absolute expiry: its lifetime began at the stated receipt time, read only if needed. */
	startsAtReceipt?: boolean;
	inactive?: boolean;
	note?: string;
}

/** Sources that only estimate: introspection, when allowed, is asked before them. */
const ESTIMATED_ACCESS: ReadonlySet<CheckedAccessSource> = new Set([
	'issued_at+lifespan',
	'default_lifespan',
	'unknown',
]);

function accessFigure(
	token: JsonObject,
	anchors: Anchors,
	defaults: DefaultLifespans,
	introspection: IntrospectionFacts | undefined,
): Figure<CheckedAccessSource> {
	// An introspection answer passed through the item (Introspect → Check Expiry) is the server's word.
	if (token.active === false) return { expiresAt: null, source: 'introspection', inactive: true };
	const expiresAt = readInstant(token, 'expires_at');
	if (expiresAt !== undefined)
		return {
			expiresAt,
			source: storedLabel(STORED_ACCESS_LABELS, token.expires_at_source) ?? 'expires_at',
			startsAtReceipt: true,
		};
	const expiresOn = readInstant(token, 'expires_on');
	if (expiresOn !== undefined)
		return { expiresAt: expiresOn, source: 'expires_on', startsAtReceipt: true };
	const expiresIn = readSeconds(token, 'expires_in');
	let note: string | undefined;
	if (expiresIn !== undefined) {
		if (anchors.received !== undefined)
			return {
				expiresAt: after(anchors.received, expiresIn, 'expires_in'),
				source: 'expires_in',
				startedAt: anchors.received,
			};
		note = `expires_in ${UNANCHORED_NOTE}`;
	}
	const jwt = unverifiedJwtTimes(token.access_token);
	if (jwt !== undefined)
		return { expiresAt: jwt.expiresAt, source: 'jwt_exp_unverified', startedAt: jwt.issuedAt };
	if (introspection) {
		if (!introspection.active) return { expiresAt: null, source: 'introspection', inactive: true };
		if (introspection.expiresAt !== null)
			return { expiresAt: introspection.expiresAt, source: 'introspection' };
	}
	const lifespan = positiveSeconds(defaults.accessTokenSeconds);
	if (lifespan !== undefined) {
		// Salesforce: issued_at (epoch ms) and no lifetime; the session timeout is the lifespan.
		if (anchors.issuedAt !== undefined)
			return {
				expiresAt: after(anchors.issuedAt, lifespan, 'issued_at'),
				source: 'issued_at+lifespan',
				startedAt: anchors.issuedAt,
			};
		if (anchors.received !== undefined)
			return {
				expiresAt: after(anchors.received, lifespan, 'obtained_at'),
				source: 'default_lifespan',
				startedAt: anchors.received,
			};
	}
	return { expiresAt: null, source: 'unknown', note };
}

function refreshFigure(
	token: JsonObject,
	anchors: Anchors,
	defaults: DefaultLifespans,
): Figure<CheckedRefreshSource> | null {
	if (typeof token.refresh_token !== 'string' || token.refresh_token.trim() === '') return null;
	const storedSource = token.refresh_token_expires_at_source;
	for (const field of ['refresh_token_expires_at', 'refresh_expires_at']) {
		const expiresAt = readInstant(token, field);
		if (expiresAt !== undefined)
			return {
				expiresAt,
				source: storedLabel(STORED_REFRESH_LABELS, storedSource) ?? 'expires_at',
				startsAtReceipt: true,
			};
	}
	if (storedSource === 'no_expiry') return { expiresAt: null, source: 'no_expiry' };
	const notes: string[] = [];
	const refreshExpiresIn = readSeconds(token, 'refresh_expires_in');
	// Keycloak: 0 means the (offline) refresh token does not expire.
	if (refreshExpiresIn === 0) return { expiresAt: null, source: 'no_expiry' };
	if (refreshExpiresIn !== undefined) {
		if (anchors.received !== undefined)
			return {
				expiresAt: after(anchors.received, refreshExpiresIn, 'refresh_expires_in'),
				source: 'refresh_expires_in',
				startedAt: anchors.received,
			};
		notes.push(`refresh_expires_in ${UNANCHORED_NOTE}`);
	}
	const refreshTokenExpiresIn = readSeconds(token, 'refresh_token_expires_in');
	if (refreshTokenExpiresIn !== undefined && refreshTokenExpiresIn > 0) {
		if (anchors.received !== undefined)
			return {
				expiresAt: after(anchors.received, refreshTokenExpiresIn, 'refresh_token_expires_in'),
				source: 'refresh_token_expires_in',
				startedAt: anchors.received,
			};
		if (notes.length === 0) notes.push(`refresh_token_expires_in ${UNANCHORED_NOTE}`);
	}
	const jwt = unverifiedJwtTimes(token.refresh_token);
	if (jwt !== undefined)
		return { expiresAt: jwt.expiresAt, source: 'jwt_exp_unverified', startedAt: jwt.issuedAt };
	const lifespan = positiveSeconds(defaults.refreshTokenSeconds);
	if (lifespan !== undefined && anchors.received !== undefined)
		return {
			expiresAt: after(anchors.received, lifespan, 'obtained_at'),
			source: 'default_lifespan',
			startedAt: anchors.received,
		};
	return { expiresAt: null, source: 'unknown', note: notes[0] };
}

/** The margin for one token: the user's when set, else the default for its lifetime. */
function marginFor(figure: Figure<string>, fixed: number | undefined, anchors: Anchors): number {
	if (fixed !== undefined) return fixed;
	const { expiresAt } = figure;
	const startedAt = figure.startsAtReceipt ? anchors.stated : figure.startedAt;
	const lifetime =
		expiresAt !== null && startedAt !== undefined ? (expiresAt - startedAt) / 1000 : undefined;
	return defaultMarginSeconds(lifetime);
}

function withStatus<Source extends string>(
	figure: Figure<Source>,
	now: number,
	fixedMargin: number | undefined,
	anchors: Anchors,
	unknownNeedsRefresh: boolean | null,
): TokenExpiry<Source> {
	const margin = marginFor(figure, fixedMargin, anchors);
	const marginMs = margin * 1000;
	const expiry: TokenExpiry<Source> = {
		expiresAt: figure.expiresAt,
		source: figure.source,
		secondsLeft: null,
		expired: null,
		needsRefresh: unknownNeedsRefresh,
		marginSeconds: margin,
	};
	if (figure.note) expiry.note = figure.note;
	if (figure.inactive) {
		expiry.inactive = true;
		expiry.expired = true;
		expiry.needsRefresh = true;
	} else if (figure.source === 'no_expiry') {
		expiry.expired = false;
		expiry.needsRefresh = false;
	} else if (figure.expiresAt !== null) {
		const left = figure.expiresAt - now;
		// `|| 0` turns -0 into 0; expired exactly when no whole or partial second is left.
		expiry.secondsLeft = Math.ceil(left / 1000) || 0;
		expiry.expired = left <= 0;
		expiry.needsRefresh = left <= marginMs;
	}
	return expiry;
}

function decide(
	access: TokenExpiry<CheckedAccessSource>,
	refresh: TokenExpiry<CheckedRefreshSource> | null,
): NeedsRefreshReason | null {
	if (access.inactive) return 'access_token_inactive';
	if (access.expired === true) return 'access_token_expired';
	if (access.expired === false && access.needsRefresh) return 'access_token_expires_within_margin';
	if (access.expired === null && access.needsRefresh) return 'access_token_expiry_unknown';
	// Refresh now while the refresh token still works (rotation hands out a new one).
	if (refresh?.expired === true) return 'refresh_token_expired';
	if (refresh?.needsRefresh === true) return 'refresh_token_expires_within_margin';
	return null;
}

/** Whether introspection could tell more than the set does: no stated expiry, and an access token to ask about. */
export function wouldIntrospect(token: JsonObject, options: CheckExpiryOptions): boolean {
	const { defaults } = validateOptions(options);
	if (typeof token.access_token !== 'string' || token.access_token.trim() === '') return false;
	const figure = accessFigure(token, readAnchors(token, options), defaults, undefined);
	return !figure.inactive && ESTIMATED_ACCESS.has(figure.source);
}

export function checkExpiry(token: JsonObject, options: CheckExpiryOptions): ExpiryCheck {
	const { margin, defaults } = validateOptions(options);
	const anchors = readAnchors(token, options);
	const access = withStatus(
		accessFigure(token, anchors, defaults, options.introspection),
		options.now,
		margin,
		anchors,
		(options.treatUnknownAs ?? 'needsRefresh') === 'needsRefresh',
	);
	const extended = readExtendedExpiry(token, anchors);
	if (extended !== undefined) access.extendedExpiresAt = extended;
	const refreshFig = refreshFigure(token, anchors, defaults);
	const refresh = refreshFig ? withStatus(refreshFig, options.now, margin, anchors, null) : null;
	const reason = decide(access, refresh);
	return {
		checkedAt: options.now,
		marginSeconds: access.marginSeconds,
		access,
		refresh,
		needsRefresh: reason !== null,
		reason,
	};
}

/** Entra `ext_expires_in`, when it can be placed in time; ignored (it is only informational) otherwise. */
function readExtendedExpiry(token: JsonObject, anchors: Anchors): number | undefined {
	const seconds = toNumber(token.ext_expires_in);
	if (seconds === undefined || seconds < 0 || anchors.received === undefined) return undefined;
	return usableInstant(anchors.received + seconds * 1000);
}

/** A token set must be a JSON object; `field` names where it came from. */
export function asTokenSet(value: unknown, field: string): JsonObject {
	if (typeof value === 'string' && value.trim().startsWith('{')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(value);
		} catch {
			parsed = undefined;
		}
		if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
			return parsed as JsonObject;
	}
	if (typeof value === 'object' && value !== null && !Array.isArray(value))
		return value as JsonObject;
	throw new OAuthConfigError(
		field,
		`${describeValue(value)} is not a token set.`,
		'Point it at an object (or JSON text of one) holding the token fields, e.g. access_token and expires_at.',
	);
}
