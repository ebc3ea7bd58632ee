/**
 * scripts/check-dist-requires.mjs is the guard for what n8n's scanner lets through: a require() of
 * a devDependency (an unbundled jose or luxon) passes the scanner and then fails inside n8n.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'check-dist-requires.mjs');

function check(files: Record<string, string>) {
	const dir = mkdtempSync(join(tmpdir(), 'dist-requires-'));
	try {
		for (const [file, text] of Object.entries(files)) {
			mkdirSync(join(dir, file, '..'), { recursive: true });
			writeFileSync(join(dir, file), text);
		}
		return spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

describe('check-dist-requires', () => {
	it('passes relative requires, n8n-workflow and node:crypto', () => {
		const result = check({
			'a.js':
				"require('./b'); require('../x/c.js'); require('n8n-workflow'); require('node:crypto'); require('crypto');",
		});
		expect(result.status).toBe(0);
	});

	it.each(['jose', 'luxon', 'node:http', 'node:timers/promises', 'esbuild'])(
		'fails on require(%p), naming the file',
		(name) => {
			const result = check({ 'ok.js': "require('./a');", 'deep/bad.js': `require('${name}');` });
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(`bad.js: ${name}`);
		},
	);
});
