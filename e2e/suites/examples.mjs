// Every workflow in examples/ imported and run as a user would, with the demo credentials pointing
// at the local authorization server and the demo API.
import assert from 'node:assert/strict';

import { executeOk } from '../lib/checks.mjs';
import { outputItems, ranNodes } from '../lib/n8n.mjs';
import { loadExamples } from '../lib/workflows.mjs';

/** What each example must do, beyond finishing successfully. */
const EXPECTATIONS = {
	'token-rotation.json': (run) => {
		assert.deepEqual(
			outputItems(run, 'Check Expiry', 0).map((item) => item.name),
			['reporting'],
		);
		assert.deepEqual(
			outputItems(run, 'Check Expiry', 1).map((item) => item.name),
			['crm-sync'],
		);
		const [stored] = outputItems(run, 'Store Refreshed Token');
		const [loaded] = outputItems(run, 'Get Demo Token');
		assert.equal(stored.name, 'crm-sync');
		assert.ok(
			stored.access_token && stored.access_token !== loaded.access_token,
			'no new access token stored',
		);
		assert.equal(stored.refresh_token_rotated, true);
		assert.ok(ranNodes(run).includes('Still Valid'));
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

export async function examplesSuite({ env, test }) {
	const examples = loadExamples(env.api.url);
	await env.n8n.importWorkflows(examples.map((example) => example.workflow));
	for (const { file, workflow } of examples) {
		await test(`Example ${file}: ${workflow.name}`, async () => {
			const run = await executeOk(env.n8n, workflow.id);
			const expectation = EXPECTATIONS[file];
			assert.ok(expectation, `no expectation for ${file}: add one in e2e/suites/examples.mjs`);
			expectation(run);
		});
	}
}
