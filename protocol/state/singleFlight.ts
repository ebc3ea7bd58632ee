/**
 * Concurrent calls with the same key share one promise; the entry is dropped once it settles, so
 * the map never holds more than the calls in flight.
 */
export class SingleFlight<T> {
	private readonly inflight = new Map<string, Promise<T>>();

	run(key: string, task: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
		const existing = this.inflight.get(key);
		if (existing) return { promise: existing, shared: true };
		const promise = task().finally(() => this.inflight.delete(key));
		this.inflight.set(key, promise);
		return { promise, shared: false };
	}

	get size(): number {
		return this.inflight.size;
	}

	/** Forgets the calls in flight (they still settle for their callers). */
	clear(): void {
		this.inflight.clear();
	}
}
