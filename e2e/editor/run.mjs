// `npm run test:editor`: the real n8n 2.41.1 editor in Debian's Chromium (playwright-core), against
// the editor the e2e harness starts: the package freshly built and installed, the local
// authorization server, the demo API, the demo credentials and the examples. Every suite file in
// e2e/editor/suites/ runs in one browser page; each check saves a screenshot named after it.
//
//   npm run test:editor                      all suites
//   node e2e/editor/run.mjs node             only e2e/editor/suites/node.mjs
//   npm run screenshots                      also refresh the README's docs/screenshots/
//   EDITOR_SCREENSHOTS=/tmp/shots            screenshots there (default e2e/editor/screenshots/)
//
// A suite file: `export async function suite({ page, check, env, editor })`; `check(name, fn,
// { doc })` runs one check (fn may throw) and saves `<name>.png`, also as docs/screenshots/<doc>
// with --docs.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { chromium } from 'playwright-core';

import { DEMO_OWNER, ownerSession, startEditor } from '../lib/editor.mjs';
import { startEnvironment } from '../lib/environment.mjs';
import { ROOT_DIR } from '../lib/install.mjs';
import { freePort } from '../lib/n8n.mjs';
import { importTokenStoreWorkflows, seedTokenStore } from '../lib/tokenStore.mjs';
import { loadExamples } from '../lib/workflows.mjs';
import { login } from './lib/page.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = process.argv.slice(2);
const refreshDocs = args.includes('--docs');
const chosen = args.filter((arg) => !arg.startsWith('--'));
const shotsDir = process.env.EDITOR_SCREENSHOTS ?? join(HERE, 'screenshots');
const docsDir = join(ROOT_DIR, 'docs', 'screenshots');

const suiteFiles = readdirSync(join(HERE, 'suites'))
	.filter((file) => file.endsWith('.mjs'))
	.sort();
const unknown = chosen.filter((name) => !suiteFiles.includes(`${name}.mjs`));
if (unknown.length) {
	console.error(
		`Unknown suite(s): ${unknown.join(', ')}. Suites: ${suiteFiles.map((f) => basename(f, '.mjs')).join(', ')}`,
	);
	process.exit(2);
}

const slug = (name) =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 100);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

rmSync(shotsDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });
const start = performance.now();
const results = [];
const env = await startEnvironment();
/** @type {Awaited<ReturnType<typeof startEditor>> | undefined} */
let editor;
/** @type {import('playwright-core').BrowserContext | undefined} */
let context;
const profileDir = mkdtempSync(join(tmpdir(), 'n8n-editor-chromium-'));
try {
	await env.n8n.importWorkflows(loadExamples(env.api.url).map((example) => example.workflow));
	// The rotation example reads its token sets from a Data Table: create and seed it, as the demo does.
	await importTokenStoreWorkflows(env);
	editor = await startEditor(env.n8n, { port: await freePort() });
	await seedTokenStore(await ownerSession(editor.url));
	context = await chromium.launchPersistentContext(profileDir, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1600, height: 1000 },
		// Playwright passes --headless and --user-data-dir itself (a fresh profile above).
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	context.setDefaultTimeout(30_000);
	const page = context.pages()[0] ?? (await context.newPage());
	await login(page, editor, DEMO_OWNER);
	console.log(`n8n editor ${editor.url}; screenshots in ${shotsDir}\n`);

	for (const file of suiteFiles) {
		const name = basename(file, '.mjs');
		if (chosen.length && !chosen.includes(name)) continue;
		console.log(`— ${name}`);
		const check = async (checkName, fn, { doc } = {}) => {
			const began = performance.now();
			let error;
			try {
				await fn();
			} catch (caught) {
				error = caught;
			}
			const shot = join(shotsDir, `${slug(`${name} ${checkName}`)}.png`);
			await page.screenshot({ path: shot }).catch(() => {});
			if (!error && doc && refreshDocs) {
				mkdirSync(docsDir, { recursive: true });
				copyFileSync(shot, join(docsDir, doc));
			}
			results.push({ suite: name, name: checkName, error });
			const took = seconds(performance.now() - began);
			if (error) {
				console.log(
					`  ✗ ${checkName} (${took})\n      ${String(error?.stack ?? error)
						.split('\n')
						.slice(0, 6)
						.join('\n      ')}`,
				);
			} else console.log(`  ✓ ${checkName} (${took})`);
			// Leave no menu or modal open for the next check.
			await page.keyboard.press('Escape').catch(() => {});
			return !error;
		};
		const { suite } = await import(join(HERE, 'suites', file));
		try {
			await suite({ page, check, env, editor });
		} catch (error) {
			results.push({ suite: name, name: '(suite)', error });
			console.log(`  ✗ suite ${name} stopped: ${error?.stack ?? error}`);
		}
	}
} catch (error) {
	results.push({ suite: '(setup)', name: 'setup', error });
	console.error(error);
} finally {
	await context?.close().catch(() => {});
	await editor?.stop();
	await env.close();
	rmSync(profileDir, { recursive: true, force: true });
}
const failed = results.filter((result) => result.error);
console.log(
	`\n${results.length - failed.length} passed, ${failed.length} failed (${seconds(performance.now() - start)})`,
);
for (const result of failed) console.log(`  ✗ ${result.suite}: ${result.name}`);
process.exitCode = failed.length || results.length === 0 ? 1 : 0;
