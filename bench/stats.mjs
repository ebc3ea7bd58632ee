// Small statistics helpers shared by the benchmarks.
export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `once` `count` times in a row and returns per-call latencies (ms) and calls/s. */
export async function measureSequential(once, count) {
	const latencies = [];
	const start = performance.now();
	for (let i = 0; i < count; i++) {
		const t0 = performance.now();
		await once();
		latencies.push(performance.now() - t0);
	}
	const seconds = (performance.now() - start) / 1000;
	return { perSecond: count / seconds, medianMs: median(latencies) };
}

/** Warm up, then `runs` measured rounds; the median round is reported. */
export async function benchmark(once, { warmup = 50, count = 200, runs = 5 } = {}) {
	for (let i = 0; i < warmup; i++) await once();
	const rounds = [];
	for (let r = 0; r < runs; r++) rounds.push(await measureSequential(once, count));
	return {
		perSecond: median(rounds.map((r) => r.perSecond)),
		medianMs: median(rounds.map((r) => r.medianMs)),
	};
}

export const fmt = (n, digits = 0) =>
	n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Measures several contenders in interleaved rounds (A, B, C, A, B, C, …) so that drift in the
 * machine's load hits them alike; each contender's median round is reported.
 */
export async function benchmarkInterleaved(
	contenders,
	{ warmup = 50, count = 200, runs = 5 } = {},
) {
	for (const once of Object.values(contenders)) for (let i = 0; i < warmup; i++) await once();
	const rounds = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
	for (let r = 0; r < runs; r++) {
		for (const [name, once] of Object.entries(contenders))
			rounds[name].push(await measureSequential(once, count));
	}
	return Object.fromEntries(
		Object.entries(rounds).map(([name, list]) => [
			name,
			{
				perSecond: median(list.map((x) => x.perSecond)),
				medianMs: median(list.map((x) => x.medianMs)),
			},
		]),
	);
}
