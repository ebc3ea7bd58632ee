// The package in n8n's queue mode (n8n 2.41.1, Node 24): Postgres and Redis from Debian's
// packages, one main and two `n8n worker` processes, workflows triggered concurrently through
// their production webhooks, token requests counted at the local authorization server.
//
//   npm run test:queue
//   E2E_KEEP=1 npm run test:queue     keep the temp folder (user folders, Postgres data)
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { startAuthServer } from '../../test/server/authServer.mjs';
import { seconds, summary, test } from '../lib/harness.mjs';
import { ensureN8n } from '../lib/install.mjs';
import { freePort, N8n } from '../lib/n8n.mjs';
import { buildAndPack, installIntoUserFolder } from '../lib/pack.mjs';
import { startProtectedApi } from '../lib/protectedApi.mjs';
import { ownerSession } from '../lib/editor.mjs';
import { queueEnv, startCluster } from './lib/cluster.mjs';
import { activate } from './lib/workflows.mjs';
import { startHoldProxy } from './lib/holdProxy.mjs';
import { ensureDebianPackages, startPostgres, startRedis } from './lib/services.mjs';
import { httpSuite } from './suites/http.mjs';
import { getTokenSuite } from './suites/getToken.mjs';
import { rotationSuite } from './suites/rotation.mjs';

/** Short-lived access tokens, so one run sees a token's whole lifetime (renewal at 60 s left). */
const ACCESS_TOKEN_TTL = 180;

const start = performance.now();
const timings = {};
const timed = async (label, step) => {
	const begin = performance.now();
	const value = await step();
	timings[label] = performance.now() - begin;
	return value;
};
/** @type {(() => Promise<unknown> | void)[]} */
const cleanups = [];
async function cleanUp() {
	for (const cleanup of cleanups.splice(0).reverse()) {
		try {
			await cleanup();
		} catch (error) {
			console.error('clean-up failed:', error);
		}
	}
}
// A CI timeout or Ctrl-C must not leave Postgres, Redis or n8n running (they have their own
// process groups, so the signal does not reach them).
for (const signal of ['SIGINT', 'SIGTERM'])
	process.once(signal, () => {
		console.error(`${signal}: stopping everything this suite started`);
		cleanUp().finally(() => process.exit(1));
	});
let failed = 1;
try {
	await timed('install n8n', () => ensureN8n());
	await timed('install postgres/redis', () => ensureDebianPackages());
	const root = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	// The postgres user must reach its data folder inside this root-owned temp dir.
	chmodSync(root, 0o711);
	if (!process.env.E2E_KEEP) cleanups.push(() => rmSync(root, { recursive: true, force: true }));
	else console.log(`temp folder (kept): ${root}`);

	const [postgres, redis] = await timed('start postgres/redis', () =>
		Promise.all([startPostgres(join(root, 'postgres')), startRedis(join(root, 'redis'))]),
	);
	cleanups.push(
		() => postgres.close(),
		() => redis.close(),
	);

	const server = await startAuthServer({ accessTokenTtl: ACCESS_TOKEN_TTL });
	cleanups.push(() => server.close());
	const { post } = server.fixtures.clients;
	const api = await startProtectedApi({
		introspectionEndpoint: server.introspectionEndpoint,
		clientId: post.client_id,
		clientSecret: post.client_secret,
	});
	cleanups.push(() => api.close());
	const proxy = await startHoldProxy(server.issuer);
	cleanups.push(() => proxy.close());

	const mainFolder = join(root, 'main');
	mkdirSync(mainFolder);
	const packDir = join(root, 'pack');
	mkdirSync(packDir);
	const tarball = await timed('build and pack', () => buildAndPack(packDir));
	await timed('install package', () => installIntoUserFolder(tarball, mainFolder));
	const base = new N8n({
		userFolder: mainFolder,
		brokerPort: await freePort(),
		extraEnv: queueEnv({ postgres, redis }),
	});
	cleanups.push(() => base.dispose());

	const ctx = { base, server, api, proxy, postgres, ACCESS_TOKEN_TTL };
	const http = httpSuite(ctx);
	const getToken = getTokenSuite(ctx);
	const rotation = rotationSuite(ctx);
	const suites = [http, getToken, rotation];
	// Imported with the CLI before main starts (the first call runs n8n's migrations on the empty
	// database); published through main's REST API once it runs.
	await timed('import', async () => {
		await base.importCredentials(suites.flatMap((suite) => suite.credentials));
		await base.importWorkflows(suites.flatMap((suite) => suite.workflows));
	});
	const cluster = await timed('start main + 2 workers', () =>
		startCluster({ base, root, services: { postgres, redis } }),
	);
	cleanups.push(() => cluster.close());
	ctx.cluster = cluster;
	ctx.session = await ownerSession(cluster.url);
	await timed('activate workflows', () =>
		activate(
			ctx.session,
			suites.flatMap((suite) => suite.workflows.map((wf) => wf.id)),
		),
	);
	console.log(
		`Setup: ${Object.entries(timings)
			.map(([step, ms]) => `${step} ${seconds(ms)}`)
			.join(', ')}\n`,
	);

	await rotation.setup();
	// Order matters: the HTTP suite's third wave waits for its tokens to age, the other suites
	// run meanwhile; the worker kill comes last (it leaves one worker).
	await http.waves12(test);
	await rotation.race(test);
	await getToken.run(test);
	await http.wave3(test);
	await rotation.kill(test);
	failed = summary();
} catch (error) {
	console.error(error);
} finally {
	await cleanUp();
}
console.log(`queue e2e total: ${seconds(performance.now() - start)}`);
process.exitCode = failed ? 1 : 0;
