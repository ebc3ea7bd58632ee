// `npm run demo`: the token-rotation example (examples/token-rotation.json) in a real n8n 2.41.1,
// headless, against the local authorization server, which rotates refresh tokens (oidc-provider,
// rotateRefreshToken: every refresh spends the old refresh token and issues a new one). Builds and
// packs the package, installs it into a fresh n8n user folder as n8n installs community packages,
// starts n8n, creates the Data Table the workflow keeps its token sets in (in n8n's own SQLite
// database) and runs the workflow twice: the second run must read the refresh token that the first
// stored in the table, and the server must have accepted it. Tokens are masked in the output.
// The first run also installs n8n and Node 24 into e2e/node_modules.
import { performance } from 'node:perf_hooks';

import { describeExecution, mask } from './lib/describe.mjs';
import { startEnvironment } from './lib/environment.mjs';
import { seconds } from './lib/harness.mjs';
import { outputItems } from './lib/n8n.mjs';
import { startTokenStore, TOKEN_TABLE } from './lib/tokenStore.mjs';
import { loadExamples } from './lib/workflows.mjs';

const EXAMPLE = 'token-rotation.json';
const TRIGGER = 'Run Now';

const start = performance.now();
const env = await startEnvironment();
/** @type {Awaited<ReturnType<typeof startTokenStore>> | undefined} */
let store;
/** @type {[string, boolean][]} */
const checks = [];
const check = (what, ok) => {
	checks.push([what, ok]);
	console.log(`${ok ? '✔' : '✘'} ${what}`);
};
try {
	const { workflow } = loadExamples(env.api.url).find((example) => example.file === EXAMPLE);
	await env.n8n.importWorkflows([workflow]);
	const startedAt = performance.now();
	store = await startTokenStore(env);
	const serverSeconds = seconds(performance.now() - startedAt);

	console.log(
		`\nn8n 2.41.1 (n8n start, ${store.url}) · package ${env.packageDir.split('/').pop()} · authorization server ${env.server.issuer}`,
	);
	console.log(`Workflow "${workflow.name}" (examples/${EXAMPLE})`);
	const showRows = (rows) => {
		for (const row of rows)
			console.log(
				`    row ${row.id} ${row.name}: refresh_token ${mask(row.refresh_token)}, expires_at ${row.expires_at}`,
			);
	};
	const crmSync = (rows) => rows.find((row) => row.name === 'crm-sync');
	const seeded = await store.rows();
	console.log(
		`\nData Table "${TOKEN_TABLE}" created in project "${store.table.project?.name}" (n8n's database), two token sets stored:`,
	);
	showRows(seeded);

	const runs = [];
	for (const round of [1, 2]) {
		if (round === 2) {
			await store.ageCrmSync();
			console.log('\nMoved crm-sync on 58 minutes (its access token now expires in 2 minutes).');
		}
		const execution = await store.run(workflow.id, TRIGGER);
		console.log(`\nRun ${round} (${execution.status}):`);
		for (const line of describeExecution(execution, workflow)) console.log(line);
		const rows = await store.rows();
		console.log('  The table afterwards:');
		showRows(rows);
		runs.push({ execution, rows });
	}

	console.log('');
	const [first, second] = runs;
	check(
		'both runs succeeded',
		runs.every((run) => run.execution.status === 'success'),
	);
	const storedByFirst = crmSync(first.rows).refresh_token;
	check(
		`run 1 refreshed crm-sync and stored a new refresh token in the table (${mask(crmSync(seeded).refresh_token)} → ${mask(storedByFirst)})`,
		storedByFirst !== crmSync(seeded).refresh_token,
	);
	const readBySecond = crmSync(outputItems(second.execution, 'Read Token Sets')).refresh_token;
	check(
		`run 2 read that refresh token from the table (${mask(readBySecond)})`,
		readBySecond === storedByFirst,
	);
	const [refreshed] = outputItems(second.execution, 'Refresh Token');
	check(
		`run 2 refreshed with it: the server accepted it and rotated it (${mask(readBySecond)} → ${mask(refreshed?.refresh_token)}, refresh_token_rotated ${refreshed?.refresh_token_rotated})`,
		Boolean(refreshed?.access_token) &&
			refreshed.refresh_token_rotated === true &&
			refreshed.refresh_token !== readBySecond,
	);
	check(
		`run 2 stored the new one (${mask(crmSync(second.rows).refresh_token)})`,
		crmSync(second.rows).refresh_token === refreshed?.refresh_token,
	);
	// Rotation, from the server's side: the token run 2 used is spent. (Replaying it also makes
	// oidc-provider revoke the whole grant, as rotating servers do on reuse: this is the last step.)
	const { client_id, client_secret } = env.server.fixtures.clients.post;
	const replay = await fetch(env.server.tokenEndpoint, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: storedByFirst,
			client_id,
			client_secret,
		}),
	});
	const answer = await replay.json();
	check(
		`the server rotates refresh tokens: replaying the one run 2 used is refused (${replay.status} ${answer.error})`,
		replay.status === 400 && answer.error === 'invalid_grant',
	);
	console.log(
		`\nn8n start took ${serverSeconds} (with seeding the table); setup: ${Object.entries(
			env.timings,
		)
			.map(([step, ms]) => `${step} ${seconds(ms)}`)
			.join(', ')}; total ${seconds(performance.now() - start)}.`,
	);
	console.log('Open it in the editor: npm run editor');
} finally {
	await store?.stop();
	await env.close();
}
const ok = checks.length > 0 && checks.every(([, passed]) => passed);
process.exitCode = ok ? 0 : 1;
