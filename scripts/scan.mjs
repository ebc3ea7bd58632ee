#!/usr/bin/env node
// n8n's community-package scanner (@n8n/scan-community-package, pinned in scripts/scanner/), run
// offline: the two analyzePackage() calls that its CLI (analyzePackageByName) makes once it has
// downloaded the attested source commit and the published tarball. The network steps (registry
// metadata, provenance check, source download, `npm pack <name>@<version>`) need a published
// version, so CI runs the same checks on the working tree and on `npm pack`'s tarball.
//
//   node scripts/scan.mjs <source-dir>   source leg: package.json + {nodes,credentials}/**/*.{js,ts,json}
//   node scripts/scan.mjs <package.tgz>  tarball leg: extracted to a temp dir, **/*.js + package.json
//   node scripts/scan.mjs                (npm run scan) both legs on this repository, after `npm pack`
//                                        of the built dist/ into a temp dir
//
// Install the scanner first: `npm ci --prefix scripts/scanner`. Exit 0 passed, 1 findings, 2 setup.
// Like the real scanner, it ignores eslint-disable comments and the project's eslint config.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scannerDir = join(ROOT, 'scripts/scanner/node_modules/@n8n/scan-community-package');
const entry = join(scannerDir, 'scanner/scanner.mjs');
if (!existsSync(entry)) {
	console.error(`${entry} not found: run \`npm ci --prefix scripts/scanner\` first`);
	process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(scannerDir, 'package.json'), 'utf8'));
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(entry).href);
// What analyzePackageByName passes for the downloaded tarball (scanner.mjs, 0.32.0).
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

/** @param {string} target a package directory (source leg) or a .tgz (tarball leg) @returns {Promise<boolean>} */
async function scan(target) {
	const isTarball = /\.(tgz|tar\.gz)$/.test(target);
	let packageDir = resolve(target);
	if (isTarball) {
		packageDir = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
		const untar = spawnSync(
			'tar',
			['-xzf', resolve(target), '-C', packageDir, '--strip-components=1'],
			{
				stdio: 'inherit',
			},
		);
		if (untar.status !== 0) throw new Error(`tar -xzf ${target} failed`);
	}
	const patterns = isTarball ? TARBALL_PATTERNS : SOURCE_FILE_PATTERNS;
	console.log(
		`@n8n/scan-community-package@${version} analyzePackage, ${isTarball ? 'tarball' : 'source'} leg on ${target}: ${JSON.stringify(patterns)}`,
	);
	try {
		const result = await analyzePackage(packageDir, patterns);
		if (result.passed) {
			console.log('PASSED\n');
			return true;
		}
		console.log(`FAILED: ${result.message}`);
		if (result.details) console.log(result.details.split(packageDir).join(resolve(target)));
		return false;
	} finally {
		if (isTarball) rmSync(packageDir, { recursive: true, force: true });
	}
}

const target = process.argv[2];
let passed;
if (target) {
	passed = await scan(target);
} else {
	// What gets published is `npm pack` of the built package: scan that, not dist/ as it lies.
	const packDir = mkdtempSync(join(tmpdir(), 'n8n-scan-pack-'));
	try {
		const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], {
			cwd: ROOT,
			encoding: 'utf8',
		});
		if (pack.status !== 0) throw new Error(`npm pack failed\n${pack.stderr}`);
		const [{ filename }] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
		const source = await scan(ROOT);
		const tarball = await scan(join(packDir, filename));
		passed = source && tarball;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}
process.exit(passed ? 0 : 1);
