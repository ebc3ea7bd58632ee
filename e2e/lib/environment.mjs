// Everything an n8n run against the local servers needs, started in one call and closed in one:
// n8n installed (once), the package built, packed and installed into a user folder, the local
// authorization server, the protected API, and the demo credentials imported.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { startAuthServer } from '../../test/server/authServer.mjs';
import { demoCredentials } from './credentials.mjs';
import { ensureN8n } from './install.mjs';
import { freePort, N8n } from './n8n.mjs';
import { buildAndPack, installIntoUserFolder } from './pack.mjs';
import { startProtectedApi } from './protectedApi.mjs';

/**
 * @param {{ userFolder?: string, authPort?: number, apiPort?: number, authServerOptions?: object, log?: (line: string) => void }} [options]
 *   without userFolder, a fresh temporary one (removed by close())
 */
export async function startEnvironment({
	userFolder,
	authPort = 0,
	apiPort = 0,
	log = console.log,
} = {}) {
	/** @type {Record<string, number>} */
	const timings = {};
	const timed = async (label, step) => {
		const start = performance.now();
		const value = await step();
		timings[label] = performance.now() - start;
		return value;
	};
	/** @type {(() => Promise<unknown> | void)[]} */
	const cleanups = [];
	const close = async () => {
		for (const cleanup of cleanups.reverse()) await cleanup();
	};

	try {
		const install = await timed('install n8n', () => ensureN8n({ log }));
		if (!install.installed) timings['install n8n'] = 0;

		const temporary = userFolder === undefined;
		const folder = userFolder ?? mkdtempSync(join(tmpdir(), 'n8n-e2e-home-'));
		mkdirSync(folder, { recursive: true });
		if (temporary && !process.env.E2E_KEEP)
			cleanups.push(() => rmSync(folder, { recursive: true, force: true }));

		const packDir = mkdtempSync(join(tmpdir(), 'n8n-e2e-pack-'));
		cleanups.push(() => rmSync(packDir, { recursive: true, force: true }));
		const tarball = await timed('build and pack', () => buildAndPack(packDir));
		// Exactly as n8n installs community packages; throws unless `npm ls --omit=dev` lists nothing but it.
		const { packageDir, npmLs } = await timed('install package', () =>
			installIntoUserFolder(tarball, folder),
		);

		const server = await timed('start servers', async () => {
			const started = await startAuthServer({ port: authPort });
			cleanups.push(() => started.close());
			return started;
		});
		const { post } = server.fixtures.clients;
		const api = await startProtectedApi({
			introspectionEndpoint: server.introspectionEndpoint,
			clientId: post.client_id,
			clientSecret: post.client_secret,
			port: apiPort,
		});
		cleanups.push(() => api.close());

		const n8n = new N8n({ userFolder: folder, brokerPort: await freePort() });
		cleanups.push(() => n8n.dispose());
		const credentials = demoCredentials(server);
		// The first CLI call on a new user folder also creates the database (all migrations).
		await timed('import demo credentials', () => n8n.importCredentials(Object.values(credentials)));

		return {
			server,
			api,
			n8n,
			credentials,
			packageDir,
			npmLs,
			userFolder: folder,
			timings,
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}
