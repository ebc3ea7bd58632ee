// Starts the test authorization server once for the whole jest run. Tests run in worker processes,
// so they find it through a JSON file named by OAUTH_TEST_SERVER_FILE (see test/server/fixtures.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startAuthServer, writeServerInfo } from './server/authServer.mjs';

/** globalTeardown runs in this same process and context, and picks these up. */
const state =
	/** @type {{ __OAUTH_TEST_SERVER__?: import('./server/authServer.mjs').AuthServer, __OAUTH_TEST_SERVER_DIR__?: string }} */ (
		globalThis
	);

export default async function globalSetup() {
	const server = await startAuthServer();
	/** @type {string | undefined} */
	let dir;
	try {
		// The file holds test-only private keys and secrets: a private directory, a 0600 file.
		dir = await mkdtemp(join(tmpdir(), 'oauth-test-server-'));
		const file = join(dir, 'server.json');
		await writeServerInfo(server, file);
		process.env.OAUTH_TEST_SERVER_FILE = file;
	} catch (error) {
		await server.close();
		if (dir) await rm(dir, { recursive: true, force: true });
		throw error;
	}
	state.__OAUTH_TEST_SERVER__ = server;
	state.__OAUTH_TEST_SERVER_DIR__ = dir;
}
