// The package as users get it: built, packed with `npm pack`, and installed from the tarball into
// $N8N_USER_FOLDER/.n8n/nodes exactly as n8n installs a community package from the nodes panel.
// It has no runtime dependencies (jose and luxon are bundled into dist/); n8n-workflow is n8n's.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * n8n 2.41.1's CommunityPackagesService.downloadPackage
 * (n8n/dist/modules/community-packages/community-packages.service.js), step by step: extract the
 * tarball into nodes/node_modules/<name>, drop devDependencies, peerDependencies and
 * optionalDependencies from its package.json, `npm install` in that folder with n8n's flags and no
 * lockfile, and record the package in nodes/package.json. Then `npm ls --omit=dev` there must list
 * nothing but the package.
 * @param {string} tarball @param {string} userFolder
 * @returns {Promise<{ packageDir: string, npmLs: { name: string, version: string, dependencies?: object } }>}
 */
export async function installIntoUserFolder(tarball, userFolder) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const packageDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(packageDir, { recursive: true });
	await runChecked('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], {
		cwd: nodesDir,
		timeoutMs: MINUTE,
	});
	const manifestPath = join(packageDir, 'package.json');
	// eslint-disable-next-line no-unused-vars -- the fields n8n removes before installing
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		readFileSync(manifestPath, 'utf8'),
	);
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf-8');
	await runChecked(
		NPM,
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir, timeoutMs: 5 * MINUTE },
	);
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify(
			{
				name: 'installed-nodes',
				private: true,
				dependencies: { [PACKAGE_NAME]: manifest.version },
			},
			null,
			2,
		),
	);
	const { stdout } = await runChecked(NPM, ['ls', '--omit=dev', '--all', '--json'], {
		cwd: packageDir,
		timeoutMs: MINUTE,
	});
	const npmLs = JSON.parse(stdout);
	if (npmLs.name !== PACKAGE_NAME || Object.keys(npmLs.dependencies ?? {}).length > 0)
		throw new Error(`npm ls --omit=dev in ${packageDir} lists more than the package:\n${stdout}`);
	return { packageDir, npmLs };
}
