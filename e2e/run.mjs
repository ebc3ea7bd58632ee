// End-to-end tests in a real n8n 2.41.1 (headless, Node 24): the packed package installed as a
// community package (exactly as n8n installs one), credentials and workflows imported, workflows run
// with `n8n execute` (or in `n8n start` where they need n8n's modules: Data Tables), and the run data
// checked, against the local authorization server and a protected API on 127.0.0.1.
//
//   npm run test:e2e                 all suites
//   node e2e/run.mjs http failures   only these suites
//   E2E_KEEP=1 npm run test:e2e      keep the temporary n8n user folder (its path is printed)
import { performance } from 'node:perf_hooks';

import { seconds, summary, test } from './lib/harness.mjs';
import { startEnvironment } from './lib/environment.mjs';
import { credentialTestSuite } from './suites/credentialTest.mjs';
import { examplesSuite } from './suites/examples.mjs';
import { failuresSuite } from './suites/failures.mjs';
import { httpRequestSuite } from './suites/httpRequest.mjs';
import { installSuite } from './suites/install.mjs';
import { operationsSuite } from './suites/operations.mjs';
import { providersSuite } from './suites/providers.mjs';
import { perItemSuite } from './suites/perItem.mjs';
import { proxySuite } from './suites/proxy.mjs';
import { tokenExchangeSuite } from './suites/tokenExchange.mjs';

const SUITES = {
	install: installSuite,
	operations: operationsSuite,
	http: httpRequestSuite,
	'credential-test': credentialTestSuite,
	failures: failuresSuite,
	examples: examplesSuite,
	proxy: proxySuite,
	'token-exchange': tokenExchangeSuite,
	providers: providersSuite,
	'per-item': perItemSuite,
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in SUITES));
if (unknown.length) {
	console.error(
		`Unknown suite(s): ${unknown.join(', ')}. Suites: ${Object.keys(SUITES).join(', ')}`,
	);
	process.exit(2);
}

const start = performance.now();
const env = await startEnvironment();
let failed = 1;
try {
	console.log(`n8n user folder: ${env.userFolder}${process.env.E2E_KEEP ? ' (kept)' : ''}`);
	console.log(
		`Setup: ${Object.entries(env.timings)
			.map(([step, ms]) => `${step} ${seconds(ms)}`)
			.join(', ')}\n`,
	);
	for (const [name, suite] of Object.entries(SUITES)) {
		if (chosen.length && !chosen.includes(name)) continue;
		console.log(`— ${name}`);
		await suite({ env, test });
	}
	failed = summary();
} finally {
	await env.close();
}
console.log(`e2e total: ${seconds(performance.now() - start)}`);
process.exitCode = failed ? 1 : 0;
