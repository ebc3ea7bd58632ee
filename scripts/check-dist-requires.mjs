#!/usr/bin/env node
// The scanner's no-restricted-imports allows require() of any devDependency (it reads the
// published package.json, which still lists them), so an unbundled require('jose') in dist/ passes
// it, and then fails in n8n, which strips devDependencies before installing. This fails on any
// require()/import() in dist/**/*.js that is not relative, n8n-workflow or (node:)crypto, the only
// builtin the scanner allows. dist/ is CommonJS (tsc and esbuild both emit require()).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ALLOWED = new Set(['n8n-workflow', 'crypto', 'node:crypto']);
const root = resolve(process.argv[2] ?? 'dist');
const found = [];
let files = 0;
const walk = (dir) => {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const file = join(dir, entry.name);
		if (entry.isDirectory()) walk(file);
		else if (entry.name.endsWith('.js')) {
			files++;
			const text = readFileSync(file, 'utf8');
			for (const match of text.matchAll(/\b(?:require|import)\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
				const spec = match[1];
				if (!spec.startsWith('./') && !spec.startsWith('../') && !ALLOWED.has(spec))
					found.push(`${relative(process.cwd(), file)}: ${spec}`);
			}
		}
	}
};
walk(root);
if (found.length > 0) {
	console.error(
		`requires the installed package cannot satisfy, in ${root}:\n  ${found.join('\n  ')}`,
	);
	process.exit(1);
}
console.log(
	`${relative(process.cwd(), root) || root}: ${files} files, only relative, n8n-workflow and node:crypto requires`,
);
