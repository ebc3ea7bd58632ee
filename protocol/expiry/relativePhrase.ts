/**
 * "in 25 minutes", "3 days ago": the human phrase for a time difference, from milliseconds.
 * luxon's toRelative builds DateTimes and Durations per call; this picks the largest whole unit
 * and formats with one cached Intl.RelativeTimeFormat, and remembers each phrase it made (there
 * are only a few thousand distinct ones).
 */
import { processStore } from '../state/processState';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Largest first; months and years are 30 and 365 days, as luxon's casual conversion counts them. */
const UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
	['year', 365 * DAY],
	['month', 30 * DAY],
	['day', DAY],
	['hour', HOUR],
	['minute', MINUTE],
	['second', SECOND],
];

const formatter = new Intl.RelativeTimeFormat('en', { numeric: 'always', style: 'long' });
const phrases = processStore<number, string>('phrases');

/**
 * The phrase for `deltaMs` (positive: in the future). Counts are truncated, never rounded up, so
 * the phrase never promises more time than is left: 25 min 59 s left reads "in 25 minutes".
 */
export function relativePhrase(deltaMs: number): string {
	if (!Number.isFinite(deltaMs)) return 'unknown';
	const abs = Math.abs(deltaMs);
	let unit = 0;
	while (unit < UNITS.length - 1 && abs < UNITS[unit][1]) unit++;
	const count = Math.floor(abs / UNITS[unit][1]);
	if (count === 0) return 'now';
	const signed = deltaMs > 0 ? count : -count;
	const key = signed * 8 + unit;
	let phrase = phrases.get(key);
	if (phrase === undefined) {
		phrase = formatter.format(signed, UNITS[unit][0]);
		phrases.set(key, phrase);
	}
	return phrase;
}
