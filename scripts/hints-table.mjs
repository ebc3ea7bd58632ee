// Prints the README's "error → cause → fix" table from the BUILT hint tables (ERROR_HINTS and every
// provider preset's hints, grouped by provider). Run `npm run build` first.
//
//   node scripts/hints-table.mjs           print the table (markdown)
//   node scripts/hints-table.mjs --write   replace README.md's <!-- hints:start --> … <!-- hints:end --> section
//
// test/unit/hintsTable.test.ts fails when README.md's section differs from this table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/protocol/hintsTable.js', import.meta.url));
if (!existsSync(built)) {
	process.stderr.write(`${built} is missing: run \`npm run build\` first.\n`);
	process.exit(1);
}
const require = createRequire(import.meta.url);
const { hintsTableMarkdown, withHintsTable } = require(built);

if (process.argv.includes('--write')) {
	const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
	writeFileSync(readmePath, withHintsTable(readFileSync(readmePath, 'utf8')));
	process.stdout.write(`Updated the error hints table in ${readmePath}.\n`);
} else {
	process.stdout.write(`${hintsTableMarkdown()}\n`);
}
