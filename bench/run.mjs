// `npm run bench`: every benchmark in one run, each writing its markdown table to bench/results/.
// Benchmarks run over the built package (dist/), so `npm run bench` builds first.
import { writeFile } from 'node:fs/promises';

import { runCheckExpiryBench } from './checkExpiry.mjs';
import { getTokenTable, runGetTokenBench } from './getToken.mjs';
import { runReuseBench } from './reuse.mjs';

const benches = [
	{
		name: 'getToken',
		title: 'Get Token: request path against openid-client and the raw floor',
		run: async () => getTokenTable(await runGetTokenBench()),
	},
	{
		name: 'reuse',
		title: 'Reuse, single flight, signing cost and cache memory',
		run: runReuseBench,
	},
	{
		name: 'checkExpiry',
		title: 'Check Expiry: throughput with a named zone and the human phrase, against naive luxon',
		run: runCheckExpiryBench,
	},
];

// `npm run bench -- checkExpiry` runs only the benchmarks named.
const only = process.argv.slice(2);
for (const bench of benches.filter((b) => only.length === 0 || only.includes(b.name))) {
	console.log(`\n## ${bench.title}\n`);
	const table = await bench.run();
	console.log(table);
	await writeFile(new URL(`./results/${bench.name}.md`, import.meta.url), `${table}\n`);
}
