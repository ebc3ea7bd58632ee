/**
 * Property-based tests (fast-check) of Check Expiry and the date code under it: whatever token
 * set arrives, the output holds no NaN and no invalid date, and the only error is the package's
 * own clear one; seconds left never grow as the check time moves on; the margin boundary is exact;
 * epoch seconds and epoch milliseconds are told apart; the fast paths (strict ISO parsing, cached
 * zone offsets, phrases) agree with luxon.
 */
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { CachedOffsetZone } from '../../../protocol/expiry/cachedZone';
import { parseStrictIso } from '../../../protocol/expiry/isoInstant';
import {
	attemptAsync,
	checkExpiry,
	expiryReport,
	MAX_INSTANT_MS,
	OAuthConfigError,
	relativePhrase,
	toIso,
	zoneFor,
	type CheckExpiryOptions,
	type JsonObject,
} from '../../../protocol';
import { runNode } from '../../helpers/executeContext';

const RUNS = 3_000;
const ZONES = [
	'UTC',
	'Asia/Tokyo',
	'America/New_York',
	'Europe/London',
	'Australia/Lord_Howe',
	'Asia/Kathmandu',
	'America/St_Johns',
	'Pacific/Chatham',
	'Not/AZone',
];

/** Instants from 2001-09-09T01:46:41Z (just over 10^12 ms) to the year 9998: the range where ms and s can be told apart. */
const instantMs = fc.integer({ min: 1e12 + 1, max: MAX_INSTANT_MS - 366 * 86_400_000 });
const nowMs = fc.integer({ min: 1e12 + 1, max: Date.UTC(2100, 0, 1) });

/** One instant written every way a token store writes it. */
const instantForm = instantMs.chain((ms) =>
	fc.constantFrom(
		ms,
		String(ms),
		Math.floor(ms / 1000),
		String(Math.floor(ms / 1000)),
		new Date(ms).toISOString(),
		toIso(ms, zoneFor('Asia/Tokyo')),
		toIso(ms, zoneFor('America/St_Johns')),
	),
);

const junk = fc.oneof(
	fc.string(),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(''),
	fc.array(fc.string(), { maxLength: 2 }),
	fc.object({ maxDepth: 1 }),
);
const seconds = fc.oneof(
	fc.integer({ min: 0, max: 400_000_000 }),
	fc.integer({ min: 0, max: 400_000_000 }).map(String),
	fc.integer({ min: -100, max: -1 }),
);
const tokenString = fc.oneof(
	fc.string(),
	fc.constant('eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3OTUyNjI0MDB9.c2ln'),
	fc.constant('a.b.c'),
	fc.base64String(),
);

const tokenSet: fc.Arbitrary<JsonObject> = fc.record(
	{
		access_token: fc.oneof(tokenString, junk),
		refresh_token: fc.oneof(tokenString, junk),
		expires_at: fc.oneof(instantForm, junk),
		expires_at_source: fc.oneof(
			fc.constantFrom('expires_in', 'default_lifespan', 'introspection_exp', 'unknown'),
			fc.string(),
		),
		expires_on: fc.oneof(instantForm, junk),
		expires_in: fc.oneof(seconds, junk),
		ext_expires_in: fc.oneof(seconds, junk),
		obtained_at: fc.oneof(instantForm, junk),
		issued_at: fc.oneof(instantForm, junk),
		refresh_expires_in: fc.oneof(seconds, junk),
		refresh_token_expires_in: fc.oneof(seconds, junk),
		refresh_token_expires_at: fc.oneof(instantForm, junk),
		refresh_token_expires_at_source: fc.oneof(
			fc.constantFrom('no_expiry', 'default_lifespan', 'unknown'),
			fc.string(),
		),
		active: fc.oneof(fc.boolean(), junk),
	},
	{ requiredKeys: [] },
);

const options: fc.Arbitrary<CheckExpiryOptions> = fc.record({
	now: nowMs,
	marginSeconds: fc.oneof(
		fc.integer({ min: 0, max: 86_400 }),
		fc.double({ min: 0, max: 1e6, noNaN: true }),
	),
	defaults: fc.record(
		{
			accessTokenSeconds: fc.integer({ min: 0, max: 1e8 }),
			refreshTokenSeconds: fc.integer({ min: 0, max: 1e9 }),
		},
		{ requiredKeys: [] },
	),
	treatUnknownAs: fc.constantFrom('needsRefresh' as const, 'valid' as const),
	assumeJustReceived: fc.boolean(),
	introspection: fc.option(
		fc.record({ active: fc.boolean(), expiresAt: fc.option(instantMs, { nil: null }) }),
		{ nil: undefined },
	),
});

/** Every number finite, every date field null or a valid ISO date. */
function expectSane(value: unknown, path = ''): void {
	if (typeof value === 'number') {
		expect(Number.isFinite(value)).toBe(true);
		return;
	}
	if (typeof value !== 'object' || value === null) return;
	for (const [key, inner] of Object.entries(value)) {
		if (['expires_at', 'extended_expires_at', 'checked_at'].includes(key) && inner !== null) {
			expect(typeof inner).toBe('string');
			expect(DateTime.fromISO(inner as string, { setZone: true }).isValid).toBe(true);
		}
		expectSane(inner, `${path}.${key}`);
	}
}

/** Runs a check; a throw must be an OAuthConfigError naming a field. */
function checkOrConfigError(token: JsonObject, opts: CheckExpiryOptions) {
	try {
		return checkExpiry(token, opts);
	} catch (error) {
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect((error as OAuthConfigError).field).toBeTruthy();
		expect((error as OAuthConfigError).message).not.toMatch(/undefined|\[object/);
		return undefined;
	}
}

describe('Check Expiry: properties over generated token sets', () => {
	it('never outputs NaN or an invalid date, and fails only with a clear OAuthConfigError', () => {
		fc.assert(
			fc.property(tokenSet, options, fc.constantFrom(...ZONES), (token, opts, zone) => {
				const check = checkOrConfigError(token, opts);
				if (!check) return;
				const report = expiryReport(check, zoneFor(zone));
				expectSane(report);
				expect(typeof report.needs_refresh).toBe('boolean');
				const access = report.access_token as JsonObject;
				// Unknown is reported as unknown: null times, and Valid only when the user asked for it.
				if (access.expires_at === null && access.source !== 'introspection') {
					expect(access.seconds_left).toBeNull();
					expect(access.expired).toBeNull();
					if (opts.treatUnknownAs === 'needsRefresh') expect(report.needs_refresh).toBe(true);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('malformed options are an OAuthConfigError naming the field', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.double({ max: -Number.MIN_VALUE }),
					fc.constant(Number.NaN),
					fc.constant(Number.POSITIVE_INFINITY),
				),
				(margin) => {
					const outcome = (() => {
						try {
							checkExpiry({ expires_at: 2e9 }, { now: 1.9e12, marginSeconds: margin });
							return undefined;
						} catch (error) {
							return error;
						}
					})();
					expect(outcome).toBeInstanceOf(OAuthConfigError);
					expect((outcome as OAuthConfigError).field).toBe('Refresh Margin (Seconds)');
				},
			),
			{ numRuns: 500 },
		);
	});

	it('seconds left never grow, and expired / needs refresh never flip back, as the check time moves on', () => {
		fc.assert(
			fc.property(
				tokenSet,
				options,
				fc.integer({ min: 0, max: 400 * 86_400_000 }),
				(token, opts, step) => {
					const earlier = checkOrConfigError(token, opts);
					if (!earlier) return;
					const later = checkExpiry(token, { ...opts, now: opts.now + step });
					for (const key of ['access', 'refresh'] as const) {
						const a = earlier[key];
						const b = later[key];
						if (!a || !b || a.secondsLeft === null || b.secondsLeft === null) continue;
						expect(b.secondsLeft).toBeLessThanOrEqual(a.secondsLeft);
						if (a.expired) expect(b.expired).toBe(true);
						if (a.needsRefresh) expect(b.needsRefresh).toBe(true);
					}
					if (
						earlier.access.secondsLeft !== null &&
						earlier.needsRefresh &&
						earlier.reason?.startsWith('access')
					)
						expect(later.needsRefresh).toBe(true);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('the margin boundary is exact: needs refresh from exactly `margin` seconds before expiry, not a millisecond earlier', () => {
		fc.assert(
			fc.property(instantMs, fc.integer({ min: 0, max: 10 * 86_400 }), (expiresAt, margin) => {
				const token = { expires_at: new Date(expiresAt).toISOString() };
				const at = (now: number) => checkExpiry(token, { now, marginSeconds: margin }).access;
				const boundary = expiresAt - margin * 1000;
				expect(at(boundary)).toMatchObject({
					needsRefresh: true,
					secondsLeft: margin,
					expired: margin === 0,
				});
				expect(at(boundary - 1)).toMatchObject({ needsRefresh: false, secondsLeft: margin + 1 });
				expect(at(expiresAt)).toMatchObject({ expired: true, secondsLeft: 0 });
				expect(at(expiresAt - 1)).toMatchObject({ expired: false, secondsLeft: 1 });
				// With whole-second margins, the flag and the figure agree everywhere.
				for (const now of [
					boundary - 1500,
					boundary - 999,
					boundary + 1,
					expiresAt + 1,
					expiresAt - 1,
				]) {
					const access = at(now);
					expect(access.needsRefresh).toBe((access.secondsLeft as number) <= margin);
					expect(access.expired).toBe((access.secondsLeft as number) <= 0);
				}
			}),
			{ numRuns: 2_000 },
		);
	});

	it('tells epoch seconds from epoch milliseconds (and ISO text) in every expiry field', () => {
		fc.assert(
			fc.property(instantMs, nowMs, (ms, now) => {
				const wholeSeconds = Math.floor(ms / 1000) * 1000;
				const forms: Array<[unknown, number]> = [
					[ms, ms],
					[String(ms), ms],
					[Math.floor(ms / 1000), wholeSeconds],
					[String(Math.floor(ms / 1000)), wholeSeconds],
					[new Date(ms).toISOString(), ms],
					[toIso(ms, zoneFor('Pacific/Chatham')), ms],
				];
				for (const [value, expected] of forms) {
					expect(checkExpiry({ expires_at: value }, { now }).access.expiresAt).toBe(expected);
					expect(checkExpiry({ expires_on: value }, { now }).access.expiresAt).toBe(expected);
					expect(
						checkExpiry({ refresh_token: 'r', refresh_token_expires_at: value }, { now }).refresh
							?.expiresAt,
					).toBe(expected);
					// Salesforce issued_at is ms; seconds work too.
					expect(
						checkExpiry({ issued_at: value }, { now, defaults: { accessTokenSeconds: 60 } }).access
							.expiresAt,
					).toBe(expected + 60_000);
				}
			}),
			{ numRuns: 1_000 },
		);
	});
});

describe('Check Expiry in the node: properties', () => {
	it('any item gives output items with sane figures, or a NodeOperationError', async () => {
		await fc.assert(
			fc.asyncProperty(
				tokenSet,
				fc.integer({ min: -5, max: 3600 }),
				fc.constantFrom(...ZONES),
				async (token, margin, timezone) => {
					const outcome = await attemptAsync(
						async () =>
							await runNode({
								parameters: {
									operation: 'checkExpiry',
									authentication: 'none',
									tokenInput: 'item',
									refreshMargin: margin,
									treatUnknownAs: 'needsRefresh',
									options: {},
								},
								credentials: {},
								items: [{ json: token as IDataObject }],
								timezone,
							}),
					);
					if (!outcome.ok) {
						expect(outcome.error).toBeInstanceOf(NodeOperationError);
						return;
					}
					expect(margin).toBeGreaterThanOrEqual(0);
					const [valid, needsRefresh] = outcome.value.output;
					expect(valid.length + needsRefresh.length).toBe(1);
					const item = valid[0] ?? needsRefresh[0];
					expectSane(item.json.expiry);
					expect((item.json.expiry as JsonObject).needs_refresh).toBe(needsRefresh.length === 1);
				},
			),
			{ numRuns: 1_000 },
		);
	});
});

describe('fast paths agree with luxon', () => {
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	const isoText = fc
		.record({
			year: fc.integer({ min: 900, max: 9999 }),
			month: fc.integer({ min: 0, max: 13 }),
			day: fc.integer({ min: 0, max: 32 }),
			hour: fc.integer({ min: 0, max: 25 }),
			minute: fc.integer({ min: 0, max: 60 }),
			second: fc.integer({ min: 0, max: 61 }),
			millis: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
			offset: fc.oneof(
				fc.constant('Z'),
				fc
					.tuple(
						fc.constantFrom('+', '-'),
						fc.integer({ min: 0, max: 25 }),
						fc.integer({ min: 0, max: 60 }),
					)
					.map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
			),
		})
		.map(
			(p) =>
				`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.millis === undefined ? '' : `.${pad(p.millis, 3)}`}${p.offset}`,
		);

	it("strict ISO parsing gives luxon's instant, and leaves to luxon what it does not handle", () => {
		fc.assert(
			fc.property(isoText, (text) => {
				const fast = parseStrictIso(text);
				const luxon = DateTime.fromISO(text, { setZone: true });
				if (fast !== undefined) expect(fast).toBe(luxon.toMillis());
				// Declined but valid for luxon: years before 1000, odd offsets, and ISO's end-of-day 24:00:00.
				else if (luxon.isValid)
					expect(luxon.year < 1000 || /[+-](2[4-9]|[3-9]\d):|:60$|T24:00:00/.test(text)).toBe(true);
			}),
			{ numRuns: 20_000 },
		);
	});

	it("a cached zone gives the IANA zone's offsets and ISO text for any instant", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: MAX_INSTANT_MS }),
				fc.constantFrom(...ZONES.filter((z) => z !== 'Not/AZone')),
				(ms, name) => {
					const iana = IANAZone.create(name);
					const cached = new CachedOffsetZone(iana);
					expect(cached.offset(ms)).toBe(iana.offset(ms));
					expect(DateTime.fromMillis(ms, { zone: cached }).toISO()).toBe(
						DateTime.fromMillis(ms, { zone: iana }).toISO(),
					);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('a cached zone is exact on both sides of every DST transition 2000-2040', () => {
		for (const name of [
			'America/New_York',
			'Australia/Lord_Howe',
			'Pacific/Chatham',
			'Europe/London',
		]) {
			const iana = IANAZone.create(name);
			const cached = new CachedOffsetZone(iana);
			const step = 12 * 3_600_000;
			let transitions = 0;
			for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2040, 0, 1); t += step) {
				if (iana.offset(t) === iana.offset(t + step)) continue;
				// Binary search for the first millisecond of the new offset.
				let lo = t;
				let hi = t + step;
				while (hi - lo > 1) {
					const mid = Math.floor((lo + hi) / 2);
					if (iana.offset(mid) === iana.offset(t)) lo = mid;
					else hi = mid;
				}
				transitions++;
				for (const probe of [
					hi - 3_600_000,
					hi - 60_000,
					hi - 1,
					hi,
					hi + 1,
					hi + 60_000,
					hi + 3_600_000,
				])
					expect(cached.offset(probe)).toBe(iana.offset(probe));
			}
			expect(transitions).toBeGreaterThan(70);
		}
	});

	it('phrases name the largest whole unit and never promise more time than is left', () => {
		const units: Record<string, number> = {
			second: 1e3,
			minute: 6e4,
			hour: 3.6e6,
			day: 8.64e7,
			month: 30 * 8.64e7,
			year: 365 * 8.64e7,
		};
		fc.assert(
			fc.property(
				fc.integer({ min: -(MAX_INSTANT_MS - 1e12), max: MAX_INSTANT_MS - 1e12 }),
				(delta) => {
					const phrase = relativePhrase(delta);
					if (Math.abs(delta) < 1000) return expect(phrase).toBe('now');
					const match = /^(?:in ([\d,]+) (\w+?)s?|([\d,]+) (\w+?)s? ago)$/.exec(phrase);
					expect(match).not.toBeNull();
					const count = Number((match?.[1] ?? match?.[3])?.replace(/,/g, ''));
					const unit = units[(match?.[2] ?? match?.[4]) as string];
					expect(delta > 0).toBe(phrase.startsWith('in '));
					expect(count * unit).toBeLessThanOrEqual(Math.abs(delta));
					expect((count + 1) * unit).toBeGreaterThan(Math.abs(delta));
				},
			),
			{ numRuns: RUNS },
		);
		expect(relativePhrase(25 * 60_000 + 59_000)).toBe('in 25 minutes');
		expect(relativePhrase(-3 * 86_400_000 - 5_000)).toBe('3 days ago');
		expect(relativePhrase(Number.NaN)).toBe('unknown');
	});
});
