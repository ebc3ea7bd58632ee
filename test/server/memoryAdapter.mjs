// A per-server in-memory oidc-provider adapter. oidc-provider's built-in one is process-global and
// LRU-capped at 1000 entries (and warns at startup); a test run that issues many tokens must not
// have grants evicted under it, and two servers in one process must not share state.

/**
 * @typedef {Record<string, unknown> & { grantId?: string, uid?: string, userCode?: string, consumed?: number }} Payload
 * @typedef {{ payload: Payload, expiresAt: number }} Entry
 */

/**
 * Expired artefacts are kept this much longer. oidc-provider checks expiry itself, and a refresh
 * token it still finds fails with "refresh token is expired" rather than "refresh token not found".
 */
const RETAIN_EXPIRED_SECONDS = 60;

export function createMemoryAdapter() {
	/** @type {Map<string, Entry>} */
	const store = new Map();
	/** grantId → keys of the artefacts issued under it (for revokeByGrantId) */
	/** @type {Map<string, Set<string>>} */
	const grants = new Map();

	/** @param {string} key */
	function read(key) {
		const entry = store.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= Date.now()) {
			store.delete(key);
			return undefined;
		}
		return entry.payload;
	}

	return class MemoryAdapter {
		/** @param {string} model */
		constructor(model) {
			this.model = model;
		}

		/** @param {string} id */
		key(id) {
			return `${this.model}:${id}`;
		}

		/**
		 * @param {string} id
		 * @param {Payload} payload
		 * @param {number} [expiresIn] seconds
		 */
		async upsert(id, payload, expiresIn) {
			const key = this.key(id);
			const expiresAt =
				typeof expiresIn === 'number'
					? Date.now() + (expiresIn + RETAIN_EXPIRED_SECONDS) * 1000
					: Infinity;
			store.set(key, { payload, expiresAt });
			if (payload.grantId) {
				let members = grants.get(payload.grantId);
				if (!members) grants.set(payload.grantId, (members = new Set()));
				members.add(key);
			}
		}

		/** @param {string} id */
		async find(id) {
			return read(this.key(id));
		}

		/** @param {string} uid */
		async findByUid(uid) {
			for (const [key, { payload }] of store) {
				if (key.startsWith(`${this.model}:`) && payload.uid === uid) return read(key);
			}
			return undefined;
		}

		/** @param {string} userCode */
		async findByUserCode(userCode) {
			for (const [key, { payload }] of store) {
				if (key.startsWith(`${this.model}:`) && payload.userCode === userCode) return read(key);
			}
			return undefined;
		}

		/** @param {string} id */
		async consume(id) {
			const payload = read(this.key(id));
			if (payload) payload.consumed = Math.floor(Date.now() / 1000);
		}

		/** @param {string} id */
		async destroy(id) {
			store.delete(this.key(id));
		}

		/** @param {string} grantId */
		async revokeByGrantId(grantId) {
			for (const key of grants.get(grantId) ?? []) store.delete(key);
			grants.delete(grantId);
		}
	};
}
