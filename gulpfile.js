// Build: clean dist/, compile TypeScript, bundle jose and luxon over their vendor modules, then copy
// what tsc does not emit (icons and codex files) next to the compiled nodes and credentials, where
// n8n looks for them. tsconfig.json emits no .d.ts, maps or tsbuildinfo: n8n reads none of them.
const { src, dest, series } = require('gulp');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function clean(done) {
	fs.rmSync(path.resolve('dist'), { recursive: true, force: true });
	done();
}

function compile(done) {
	const tsc = require.resolve('typescript/bin/tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
	done(result.status === 0 ? undefined : new Error('tsc failed'));
}

// jose (ESM-only) and luxon are bundled, not installed: tsc compiles protocol/vendor/{jose,luxon}.ts
// to one-line re-exports (`require('jose')`); esbuild overwrites those two files with CommonJS
// bundles of the same exports. Every other file keeps tsc's output and reaches the libraries
// through ../vendor/*.js, so the node and the credentials share one copy of the core (its token
// cache and single flights) and of each library. Bundling per entry point would give each its own.
async function bundleVendor() {
	const esbuild = require('esbuild');
	await esbuild.build({
		entryPoints: ['protocol/vendor/jose.ts', 'protocol/vendor/luxon.ts'],
		outdir: 'dist/protocol/vendor',
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		legalComments: 'eof',
		logLevel: 'warning',
	});
	// The libraries' licences travel with their code.
	for (const lib of ['jose', 'luxon']) {
		const dir = path.dirname(require.resolve(`${lib}/package.json`));
		const licence = fs.readdirSync(dir).find((file) => /^licen[sc]e/i.test(file));
		fs.copyFileSync(
			path.join(dir, licence),
			path.resolve('dist/protocol/vendor', `${lib}.LICENSE.txt`),
		);
	}
}

function copyNodeAssets() {
	return src('nodes/**/*.{png,svg,node.json}', { encoding: false }).pipe(dest('dist/nodes'));
}

function copyCredentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials'));
}

exports.build = series(clean, compile, bundleVendor, copyNodeAssets, copyCredentialAssets);
exports['build:icons'] = series(copyNodeAssets, copyCredentialAssets);
exports.default = exports.build;
