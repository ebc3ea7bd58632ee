// Build: clean dist/, compile TypeScript, then copy what tsc does not emit
// (icons and codex files) next to the compiled nodes and credentials, where n8n looks for them.
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

function copyNodeAssets() {
	return src('nodes/**/*.{png,svg,node.json}', { encoding: false }).pipe(dest('dist/nodes'));
}

function copyCredentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials'));
}

exports.build = series(clean, compile, copyNodeAssets, copyCredentialAssets);
exports['build:icons'] = series(copyNodeAssets, copyCredentialAssets);
exports.default = exports.build;
