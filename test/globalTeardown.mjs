import { rm } from 'node:fs/promises';

/** Set by globalSetup, in this same process and context. */
const state =
	/** @type {{ __OAUTH_TEST_SERVER__?: import('./server/authServer.mjs').AuthServer, __OAUTH_TEST_SERVER_DIR__?: string }} */ (
		globalThis
	);

export default async function globalTeardown() {
	await state.__OAUTH_TEST_SERVER__?.close();
	state.__OAUTH_TEST_SERVER__ = undefined;

	// Only the directory globalSetup created, never whatever OAUTH_TEST_SERVER_FILE points at.
	if (state.__OAUTH_TEST_SERVER_DIR__) {
		await rm(state.__OAUTH_TEST_SERVER_DIR__, { recursive: true, force: true });
		state.__OAUTH_TEST_SERVER_DIR__ = undefined;
	}
	delete process.env.OAUTH_TEST_SERVER_FILE;
}
