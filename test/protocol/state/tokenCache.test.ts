import { TokenCache } from '../../../protocol';

describe('token cache', () => {
	it('shares one fetch among 1,000 concurrent callers and then serves from cache', async () => {
		const cache = new TokenCache<string>();
		let fetches = 0;
		const now = () => 1_000_000;
		const fetch = async () => {
			fetches++;
			await new Promise((resolve) => setImmediate(resolve));
			return { value: `token-${fetches}`, expiresAt: 1_000_000 + 3_600_000 };
		};
		const results = await Promise.all(
			Array.from({ length: 1000 }, async () => await cache.getOrFetch('k', now, fetch)),
		);
		expect(fetches).toBe(1);
		expect(new Set(results.map((r) => r.value))).toEqual(new Set(['token-1']));
		expect(results.filter((r) => !r.reused)).toHaveLength(1);
		expect((await cache.getOrFetch('k', now, fetch)).reused).toBe(true);
		expect(fetches).toBe(1);
	});

	it('does not reuse a token that is within the minimum remaining time', async () => {
		const cache = new TokenCache<string>({ minRemainingMs: 60_000 });
		let t = 0;
		let fetches = 0;
		const fetch = async () => ({ value: `v${++fetches}`, expiresAt: 100_000 });
		await cache.getOrFetch('k', () => t, fetch);
		t = 39_999;
		expect((await cache.getOrFetch('k', () => t, fetch)).value).toBe('v1');
		t = 40_001;
		expect((await cache.getOrFetch('k', () => t, fetch)).value).toBe('v2');
	});

	it('never caches a token whose expiry is unknown', async () => {
		const cache = new TokenCache<string>();
		let fetches = 0;
		const fetch = async () => ({ value: `v${++fetches}`, expiresAt: null });
		await cache.getOrFetch('k', () => 0, fetch);
		await cache.getOrFetch('k', () => 0, fetch);
		expect(fetches).toBe(2);
	});

	it('is bounded: the least recently used entries are dropped', async () => {
		const cache = new TokenCache<number>({ maxEntries: 10 });
		for (let i = 0; i < 100; i++)
			await cache.getOrFetch(
				`k${i}`,
				() => 0,
				async () => ({ value: i, expiresAt: 10_000_000 }),
			);
		expect(cache.size).toBe(10);
		expect(cache.peek('k99', 0)).toBe(99);
		expect(cache.peek('k0', 0)).toBeUndefined();
	});

	it('a failed fetch is not cached and the next call tries again', async () => {
		const cache = new TokenCache<string>();
		let calls = 0;
		const failing = async () => {
			calls++;
			throw new Error('boom');
		};
		await expect(cache.getOrFetch('k', () => 0, failing)).rejects.toThrow('boom');
		await expect(cache.getOrFetch('k', () => 0, failing)).rejects.toThrow('boom');
		expect(calls).toBe(2);
	});
});
