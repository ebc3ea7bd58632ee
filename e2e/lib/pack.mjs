// The package as users get it: built, packed with `npm pack`, and installed from the tarball into
// $N8N_USER_FOLDER/.n8n/nodes the way n8n installs community packages. Its runtime dependencies
// (jose, luxon) come from the registry; the n8n-workflow peer is n8n's own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT_DIR } from './install.mjs';
import { runChecked } from './processes.mjs';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MINUTE = 60_000;

export const PACKAGE_NAME = 'n8n-nodes-oauth-token-manager';

/** @param {string} outDir @returns {Promise<string>} the tarball's path */
export async function buildAndPack(outDir) {
	await runChecked(NPM, ['run', 'build'], { cwd: ROOT_DIR, timeoutMs: 5 * MINUTE });
	const { stdout } = await runChecked(NPM, ['pack', '--json', '--pack-destination', outDir], {
		cwd: ROOT_DIR,
		timeoutMs: 2 * MINUTE,
	});
	const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return join(outDir, filename);
}

/** @param {string} tarball @param {string} userFolder */
export async function installIntoUserFolder(tarball, userFolder) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }),
	);
	await runChecked(
		NPM,
		[
			'install',
			tarball,
			'--omit=peer',
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
		],
		{ cwd: nodesDir, timeoutMs: 5 * MINUTE },
	);
	return join(nodesDir, 'node_modules', PACKAGE_NAME);
}
