// The package installed as n8n installs a community package from the nodes panel (e2e/lib/pack.mjs):
// nothing but the package itself, and n8n loads its node and both credentials from that copy.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_NAME } from '../lib/pack.mjs';

export async function installSuite({ env, test }) {
	await test('npm ls --omit=dev in the installed copy lists nothing but the package', async () => {
		assert.equal(env.npmLs.name, PACKAGE_NAME);
		assert.deepEqual(env.npmLs.dependencies ?? {}, {});
		const manifest = JSON.parse(readFileSync(join(env.packageDir, 'package.json'), 'utf8'));
		assert.equal(manifest.dependencies, undefined, 'package.json has dependencies');
		// npm installed nothing next to it: no node_modules, or an empty one.
		const installed = readdirSync(env.packageDir).includes('node_modules')
			? readdirSync(join(env.packageDir, 'node_modules')).filter((name) => !name.startsWith('.'))
			: [];
		assert.deepEqual(installed, []);
	});
}
