/**
 * Every piece of state the package keeps for the life of an n8n process, in one inventory. Each
 * store is bounded (a process with many clients, issuers or zones cannot grow without end) and
 * `resetProcessState()` empties them all, so tests start clean.
 *
 * Nothing here is shared between processes: queue-mode workers each have their own copy.
 */

/** The bound of each store, by name. */
export const PROCESS_STATE_LIMITS = {
	/** Reusable access tokens (state/tokenCache.ts via grants/getToken.ts). */
	tokens: 1000,
	/** The latest token the credentials obtained, by settings fingerprint (credentials/shared/bearerToken.ts). */
	credentialTokens: 1000,
	/** Discovered server metadata by issuer (config/discovery.ts). */
	discovery: 1000,
	/** Parsed and checked signing keys by input hash (clientAuth/keys.ts). */
	signingKeys: 256,
	/** WebCrypto keys by key fingerprint or secret hash (clientAuth/assertion.ts). */
	cryptoKeys: 256,
	/** luxon zones by IANA name (expiry/tokenTimes.ts). */
	zones: 512,
	/** Relative phrases ("in 25 minutes") by rounded distance (expiry/relativePhrase.ts). */
	phrases: 4096,
} as const;

export type ProcessStore = keyof typeof PROCESS_STATE_LIMITS;

interface Clearable {
	clear(): void;
}

const registered: Clearable[] = [];

/** Adds something with a `clear()` to the inventory that `resetProcessState` empties. */
export function registerProcessState<T extends Clearable>(state: T): T {
	registered.push(state);
	return state;
}

/** A Map that drops its oldest entry once it holds its store's limit, registered for reset. */
export class BoundedMap<K, V> extends Map<K, V> {
	constructor(readonly limit: number) {
		super();
		registerProcessState(this);
	}

	override set(key: K, value: V): this {
		if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value as K);
		return super.set(key, value);
	}
}

export function processStore<K, V>(name: ProcessStore): BoundedMap<K, V> {
	return new BoundedMap<K, V>(PROCESS_STATE_LIMITS[name]);
}

/** Empties every store (tests; never needed in production). */
export function resetProcessState(): void {
	for (const state of registered) state.clear();
}
