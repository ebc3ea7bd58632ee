/**
 * An IANA zone whose offsets are remembered per UTC hour. luxon's IANAZone asks Intl for the
 * offset on every call (~9 µs); formatting thousands of expiry times in the workflow's zone
 * spends most of its time there. Offsets only change at DST and rule transitions, so an hour whose
 * first and last millisecond share an offset is cached whole; an hour holding a transition is
 * not cached and asks luxon for each instant. Everything else is delegated, so luxon output
 * (toISO, offset names) is identical to the plain IANAZone's.
 */
import {
	Zone,
	type IANAZone,
	type ZoneOffsetFormat,
	type ZoneOffsetOptions,
} from '../vendor/luxon';

const HOUR_MS = 3_600_000;
/** Distinct hours remembered per zone before the cache starts over (about 5 years of hours). */
const MAX_CACHED_HOURS = 50_000;

export class CachedOffsetZone extends Zone {
	private readonly hours = new Map<number, number | null>();

	constructor(readonly inner: IANAZone) {
		super();
	}

	get type(): string {
		return this.inner.type;
	}

	get name(): string {
		return this.inner.name;
	}

	get ianaName(): string {
		return this.inner.name;
	}

	get isUniversal(): boolean {
		return this.inner.isUniversal;
	}

	get isValid(): boolean {
		return this.inner.isValid;
	}

	offsetName(ts: number, options: ZoneOffsetOptions): string | null {
		return this.inner.offsetName(ts, options);
	}

	formatOffset(ts: number, format: ZoneOffsetFormat): string {
		return this.inner.formatOffset(ts, format);
	}

	equals(other: Zone): boolean {
		return this.inner.equals(other);
	}

	offset(ts: number): number {
		const hour = Math.floor(ts / HOUR_MS);
		let cached = this.hours.get(hour);
		if (cached === undefined) {
			const start = hour * HOUR_MS;
			const first = this.inner.offset(start);
			cached =
				Number.isFinite(first) && first === this.inner.offset(start + HOUR_MS - 1) ? first : null;
			if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
			this.hours.set(hour, cached);
		}
		return cached === null ? this.inner.offset(ts) : cached;
	}
}
