// Every workflow in examples/ imported and run as a user would, with the demo credentials pointing
// at the local authorization server and the demo API.
import assert from 'node:assert/strict';

import { executeOk } from '../lib/checks.mjs';
import { outputItems, ranNodes } from '../lib/n8n.mjs';
import { BROKEN_REFRESH_TOKEN, startTokenStore } from '../lib/tokenStore.mjs';
import { loadExamples } from '../lib/workflows.mjs';

/** What each example must do, beyond finishing successfully. */
const EXPECTATIONS = {
	'token-rotation.json': (run, { before, after, failing, broken, afterFailing }) => {
		assert.deepEqual(
			outputItems(run, 'Check Expiry', 0).map((item) => item.name),
			['reporting'],
		);
		assert.deepEqual(
			outputItems(run, 'Check Expiry', 1).map((item) => item.name),
			['crm-sync'],
		);
		assert.deepEqual(outputItems(run, 'Check Expiry', 2), [], 'Check Expiry error output');
		assert.deepEqual(outputItems(run, 'Refresh Token', 1), [], 'Refresh error output');
		assert.ok(!ranNodes(run).includes('Alert'), 'Alert ran');
		const [stored] = outputItems(run, 'Store Refreshed Token');
		const row = (rows, name) => rows.find((candidate) => candidate.name === name);
		assert.equal(stored.name, 'crm-sync');
		assert.equal(stored.refresh_token_rotated, true);
		// The row in the table now holds the refreshed set; the other row is untouched.
		const updated = row(after, 'crm-sync');
		assert.ok(
			updated.access_token && updated.access_token !== row(before, 'crm-sync').access_token,
			'no new access token stored in the table',
		);
		assert.equal(updated.refresh_token, outputItems(run, 'Refresh Token')[0].refresh_token);
		assert.notEqual(updated.refresh_token, row(before, 'crm-sync').refresh_token);
		assert.deepEqual(row(after, 'reporting'), row(before, 'reporting'));
		assert.ok(ranNodes(run).includes('Still Valid'));

		// The failure run: "reporting" holds a refresh token the server rejects, "crm-sync" is due.
		const [alert, ...more] = outputItems(failing, 'Alert');
		assert.equal(more.length, 0, 'one alert');
		assert.match(alert.alert, /^Token set "reporting" could not be rotated: .*invalid_grant/);
		assert.match(alert.hint, /refresh token/i);
		assert.deepEqual(
			outputItems(failing, 'Store Refreshed Token').map((item) => item.name),
			['crm-sync'],
		);
		assert.deepEqual(
			row(afterFailing, 'reporting'),
			row(broken, 'reporting'),
			'the failed row was overwritten',
		);
		assert.equal(row(afterFailing, 'reporting').refresh_token, BROKEN_REFRESH_TOKEN);
		assert.notEqual(
			row(afterFailing, 'crm-sync').refresh_token,
			row(broken, 'crm-sync').refresh_token,
		);
	},
	'get-token-call-api.json': (run) => {
		for (const node of ['Call API With Token', 'Call API With Credential'])
			assert.equal(outputItems(run, node)[0].ok, true, node);
	},
	'revoke-on-incident.json': (run) => {
		const [log] = outputItems(run, 'Incident Log');
		assert.equal(log.still_active, false);
		assert.match(log.access_token_revoked, /…/);
		assert.match(log.refresh_token_revoked, /…/);
	},
	'grant-client-credentials-private-key.json': (run) =>
		assert.equal(outputItems(run, 'Call API')[0].client_id, 'pkjwt-es256'),
	'grant-jwt-bearer.json': (run) =>
		assert.equal(outputItems(run, 'Call API')[0].sub, 'alice@example.com'),
	'grant-password.json': (run) => {
		const [call] = outputItems(run, 'Call API');
		assert.equal(call.sub, 'alice@example.com');
		assert.ok(outputItems(run, 'Get Token')[0].refresh_token);
	},
};

/**
 * Examples that need n8n's server rather than `n8n execute`: the Data Table node works only where
 * n8n loads its modules. Each returns the execution and what else its expectation reads.
 */
const IN_SERVER = {
	'token-rotation.json': async (env, workflow) => {
		const store = await startTokenStore(env);
		try {
			const before = await store.rows();
			const run = await store.run(workflow.id, 'Run Now');
			assert.equal(run.status, 'success', run.data.resultData.error?.message);
			const after = await store.rows();
			// A refresh the server refuses: alerted, and the stored row is left as it was.
			await store.ageCrmSync();
			await store.breakReporting();
			const broken = await store.rows();
			const failing = await store.run(workflow.id, 'Run Now');
			assert.equal(failing.status, 'success', failing.data.resultData.error?.message);
			return { run, before, after, failing, broken, afterFailing: await store.rows() };
		} finally {
			await store.stop();
		}
	},
};

export async function examplesSuite({ env, test }) {
	const examples = loadExamples(env.api.url);
	await env.n8n.importWorkflows(examples.map((example) => example.workflow));
	for (const { file, workflow } of examples) {
		await test(`Example ${file}: ${workflow.name}`, async () => {
			const expectation = EXPECTATIONS[file];
			assert.ok(expectation, `no expectation for ${file}: add one in e2e/suites/examples.mjs`);
			if (IN_SERVER[file]) {
				const { run, ...context } = await IN_SERVER[file](env, workflow);
				expectation(run, context);
			} else {
				expectation(await executeOk(env.n8n, workflow.id));
			}
		});
	}
}
