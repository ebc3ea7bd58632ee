/**
 * A fast path for the one ISO 8601 shape token stores hold (what luxon's toISO writes, and what
 * Get Token outputs): `YYYY-MM-DDTHH:mm:ss[.SSS](Z|±HH:MM)`. luxon's fromISO costs ~8 µs per call,
 * which alone would cap Check Expiry below its throughput goal. Anything else (or anything out of
 * range) returns undefined and is left to luxon; a property test holds this equal to luxon.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
	const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The number written by `count` ASCII digits at `start`, or -1. (Char codes, not a regex: this runs per token.) */
function digits(text: string, start: number, count: number): number {
	let value = 0;
	for (let i = start; i < start + count; i++) {
		const digit = text.charCodeAt(i) - 48;
		if (digit < 0 || digit > 9) return -1;
		value = value * 10 + digit;
	}
	return value;
}

/** Epoch ms of a strict ISO instant with an explicit offset, or undefined to let luxon decide. */
export function parseStrictIso(text: string): number | undefined {
	const length = text.length;
	// YYYY-MM-DDTHH:mm:ss then optional .SSS then Z (20/24 characters) or ±HH:MM (25/29).
	if (length !== 20 && length !== 24 && length !== 25 && length !== 29) return undefined;
	if (
		text[4] !== '-' ||
		text[7] !== '-' ||
		text[10] !== 'T' ||
		text[13] !== ':' ||
		text[16] !== ':'
	)
		return undefined;
	const year = digits(text, 0, 4);
	const month = digits(text, 5, 2);
	const day = digits(text, 8, 2);
	const hour = digits(text, 11, 2);
	const minute = digits(text, 14, 2);
	const second = digits(text, 17, 2);
	// Date.UTC maps years 0-99 to 1900-1999; tokens are never that old, so luxon handles them.
	if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
		return undefined;
	if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
		return undefined;
	let millis = 0;
	let at = 19;
	if (length === 24 || length === 29) {
		if (text[19] !== '.') return undefined;
		millis = digits(text, 20, 3);
		if (millis < 0) return undefined;
		at = 23;
	}
	let offsetMinutes = 0;
	if (text[at] === 'Z') {
		if (length !== at + 1) return undefined;
	} else {
		const sign = text[at] === '+' ? 1 : text[at] === '-' ? -1 : 0;
		const offsetHours = digits(text, at + 1, 2);
		const offsetMins = digits(text, at + 4, 2);
		if (
			sign === 0 ||
			length !== at + 6 ||
			text[at + 3] !== ':' ||
			offsetHours < 0 ||
			offsetHours > 23 ||
			offsetMins < 0 ||
			offsetMins > 59
		)
			return undefined;
		offsetMinutes = sign * (offsetHours * 60 + offsetMins);
	}
	return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}
