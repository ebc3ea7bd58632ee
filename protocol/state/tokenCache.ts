/**
 * In-process reuse of still-valid tokens, as ServiceNow does server-side: one token request per
 * client and parameters, whatever the item count. Keys are hashes that include the secret or key
 * fingerprint, so two credentials with the same client id but different secrets never share.
 * Bounded (least recently used entries go first) so a process with many clients cannot grow it forever.
 */
import { SingleFlight } from './singleFlight';

export interface CachedToken<T> {
	value: T;
	/** Epoch ms; tokens without a known expiry are never cached. */
	expiresAt: number;
}

export interface TokenCacheOptions {
	maxEntries?: number;
	/** A token is reused only while it has at least this long left (ms). */
	minRemainingMs?: number;
}

export class TokenCache<T> {
	private readonly entries = new Map<string, CachedToken<T>>();
	private readonly flights = new SingleFlight<{ value: T; expiresAt: number | null }>();
	readonly maxEntries: number;
	readonly minRemainingMs: number;

	constructor(options: TokenCacheOptions = {}) {
		this.maxEntries = options.maxEntries ?? 1000;
		this.minRemainingMs = options.minRemainingMs ?? 60_000;
	}

	get size(): number {
		return this.entries.size;
	}

	/** A still-valid cached value, refreshed in LRU order. */
	peek(key: string, now: number): T | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt - now < this.minRemainingMs) {
			this.entries.delete(key);
			return undefined;
		}
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry.value;
	}

	store(key: string, value: T, expiresAt: number | null): void {
		this.entries.delete(key);
		if (expiresAt === null) return;
		this.entries.set(key, { value, expiresAt });
		while (this.entries.size > this.maxEntries) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
	}

	clear(): void {
		this.entries.clear();
	}

	/**
	 * Reuse a valid token, or join an in-flight request for the same key, or fetch.
	 * `reused` tells the caller whether this call made no request of its own.
	 */
	async getOrFetch(
		key: string,
		now: () => number,
		fetch: () => Promise<{ value: T; expiresAt: number | null }>,
		options: { forceNew?: boolean } = {},
	): Promise<{ value: T; reused: boolean }> {
		if (!options.forceNew) {
			const cached = this.peek(key, now());
			if (cached !== undefined) return { value: cached, reused: true };
		}
		const flightKey = options.forceNew ? `${key}#force` : key;
		const { promise, shared } = this.flights.run(flightKey, async () => {
			const result = await fetch();
			this.store(key, result.value, result.expiresAt);
			return result;
		});
		const result = await promise;
		return { value: result.value, reused: shared };
	}
}
