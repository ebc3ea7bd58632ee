// The OAuth Token node in the editor, as a person meets it (issue 17): the Operation dropdown and
// what switching it changes, each operation's credential choice, the subtitle, Custom API Call,
// the credential Test through the node's selector, and "Continue (using error output)" for every
// operation on a run, with the failed token sets' fields on the Error branch.
import assert from 'node:assert/strict';

import { ownerSession } from '../../lib/editor.mjs';
import { CLIENT_SECRET_TYPE, manualEndpoints } from '../../lib/credentials.mjs';
import {
	addOAuthTokenNode,
	byId,
	closeNdv,
	collectionOptions,
	createCredentialFromNode,
	fillCredentialField,
	OAUTH_TOKEN_NODE,
	openNewCredentialModal,
	openNewWorkflow,
	openNode,
	openWorkflow,
	outputHandles,
	parameterOptions,
	pickParameterOption,
	saveCredential,
	closeCredentialModal,
} from '../lib/page.mjs';

const OPERATIONS = [
	'Check Expiry',
	'Get Token',
	'Introspect Token',
	'Refresh Token',
	'Revoke Token',
];
const WITH_CREDENTIAL = ['Client Secret', 'Private Key JWT'];

export async function suite({ page, check, env, editor }) {
	const visible = (id) => byId(page, id).first().isVisible();

	await openNewWorkflow(page, editor);
	await addOAuthTokenNode(page, 'Get a token');

	await check('Operation dropdown is on the panel and lists every operation', async () => {
		await byId(page, 'parameter-input-operation').waitFor();
		const options = await parameterOptions(page, 'operation');
		for (const operation of OPERATIONS)
			assert.ok(options.includes(operation), `${operation} in ${options}`);
	});

	await check(
		'Every operation offers the right credential choice (Check Expiry also None)',
		async () => {
			for (const operation of OPERATIONS) {
				await pickParameterOption(page, 'operation', operation);
				const expected =
					operation === 'Check Expiry'
						? ['Client Secret', 'None', 'Private Key JWT']
						: WITH_CREDENTIAL;
				assert.deepEqual(await parameterOptions(page, 'authentication'), expected, operation);
				if (operation === 'Check Expiry') {
					assert.equal(
						await visible('node-credentials-select'),
						false,
						'None: no credential selector',
					);
				} else {
					await byId(page, 'node-credentials-select').first().waitFor();
				}
			}
			// Check Expiry with a credential type shows its selector, for lifespans and introspection.
			await pickParameterOption(page, 'operation', 'Check Expiry');
			await pickParameterOption(page, 'authentication', 'Client Secret');
			await byId(page, 'node-credentials-select').first().waitFor();
			await byId(page, 'parameter-input-refreshMargin').waitFor();
		},
		{ doc: 'node-panel-check-expiry.png' },
	);

	await check(
		"Get Token's options offer the per-item values; Token Exchange offers Subject and Actor Token",
		async () => {
			await pickParameterOption(page, 'operation', 'Get Token');
			const options = await collectionOptions(page, 'Add option');
			for (const option of [
				'Tenant',
				'Scope',
				'Resource',
				'Audience',
				'Subject',
				'Client Assertion',
			])
				assert.ok(options.includes(option), `${option} in ${options}`);
			assert.equal(new Set(options).size, options.length, `each option once: ${options}`);
			const ndv = byId(page, 'ndv');
			await ndv.getByText('Token Exchange', { exact: true }).first().waitFor();
			assert.deepEqual((await collectionOptions(page, 'Add token to exchange')).sort(), [
				'Actor Token',
				'Subject Token',
			]);
			// Only Get Token takes tokens to exchange.
			await pickParameterOption(page, 'operation', 'Refresh Token');
			await byId(page, 'parameter-input-refreshToken').first().waitFor();
			assert.equal(
				await ndv.getByText('Add token to exchange').first().isVisible(),
				false,
				'no Token Exchange on Refresh Token',
			);
			await pickParameterOption(page, 'operation', 'Get Token');
			await ndv.getByText('Token Exchange', { exact: true }).first().waitFor();
		},
	);

	await check(
		'Switching Operation changes the outputs: Check Expiry routes to Valid and Needs Refresh',
		async () => {
			await pickParameterOption(page, 'operation', 'Check Expiry');
			await closeNdv(page);
			const branching = await outputHandles(page);
			assert.ok(
				branching.some((text) => text.startsWith('Valid')),
				`handles: ${branching}`,
			);
			assert.ok(
				branching.some((text) => text.startsWith('Needs Refresh')),
				`handles: ${branching}`,
			);
			await openNode(page, OAUTH_TOKEN_NODE);
			await pickParameterOption(page, 'operation', 'Get Token');
			await closeNdv(page);
			const single = await outputHandles(page);
			assert.ok(!single.some((text) => text.startsWith('Valid')), `handles: ${single}`);
		},
	);

	await check("The canvas subtitle shows the operation's name", async () => {
		const node = byId(page, 'canvas-default-node').filter({ hasText: OAUTH_TOKEN_NODE }).first();
		await node.filter({ hasText: 'Get Token' }).waitFor();
		assert.doesNotMatch(await node.innerText(), /getToken/);
		await openNode(page, OAUTH_TOKEN_NODE);
		await pickParameterOption(page, 'operation', 'Check Expiry');
		await closeNdv(page);
		await node.filter({ hasText: 'Check Expiry' }).waitFor();
		assert.doesNotMatch(await node.innerText(), /checkExpiry/);
	});

	await check('Custom API Call is absent or explained (use the HTTP Request node)', async () => {
		await openNode(page, OAUTH_TOKEN_NODE);
		const options = await parameterOptions(page, 'operation');
		if (!options.includes('Custom API Call')) return;
		await pickParameterOption(page, 'operation', 'Custom API Call');
		// The editor's own notice: use the HTTP Request node (the node refuses it with the same advice).
		await byId(page, 'ndv').getByText('HTTP Request', { exact: false }).first().waitFor();
	});

	await check(
		'Test through the node: a right secret shows success, a wrong one a clear failure',
		async () => {
			await openNewWorkflow(page, editor);
			await addOAuthTokenNode(page, 'Get a token');
			await createCredentialFromNode(page);
			const modal = byId(page, 'editCredential-modal');
			const { basic } = env.server.fixtures.clients;
			await fillCredentialField(page, 'tokenUrl', manualEndpoints(env.server).tokenUrl);
			await fillCredentialField(page, 'clientId', basic.client_id);
			await fillCredentialField(page, 'clientSecret', basic.client_secret);
			await saveCredential(page);
			// A new credential that tests well is saved and its modal closes; opening it tests it again
			// and shows the result.
			const success = byId(page, 'credentials-config-container-test-success');
			await modal.waitFor({ state: 'hidden', timeout: 60_000 }).catch(() => {});
			if (!(await modal.isVisible())) {
				await byId(page, 'credential-edit-button').first().click();
				await modal.waitFor();
			}
			await success.waitFor({ timeout: 60_000 });
			await fillCredentialField(page, 'clientSecret', 'wrong-secret-editor-7d1e');
			await saveCredential(page);
			await modal.getByText('Couldn’t connect with these settings').waitFor({ timeout: 60_000 });
			await modal.getByText('More details').first().click();
			await modal
				.getByText(/invalid_client/)
				.first()
				.waitFor();
			await closeCredentialModal(page);
			await closeNdv(page);
		},
	);

	// A workflow as a rotation would have it: two stored token sets, every operation failing on them
	// (a wrong secret; Check Expiry: a malformed expires_at on the first), On Error set to the
	// error output. Made over the REST API, then run and read in the editor.
	const session = await ownerSession(editor.url);
	const { basic } = env.server.fixtures.clients;
	const credential = await session.call('POST', '/rest/credentials', {
		name: 'Editor suite: wrong secret',
		type: CLIENT_SECRET_TYPE,
		data: {
			...manualEndpoints(env.server),
			clientId: basic.client_id,
			clientSecret: 'wrong-secret-editor-2b9f',
			grantType: 'clientCredentials',
		},
	});
	assert.equal(credential.status, 200, JSON.stringify(credential.body));
	const credentialRef = {
		[CLIENT_SECRET_TYPE]: { id: credential.body.data.id, name: credential.body.data.name },
	};
	const operations = [
		['Get Token', { operation: 'getToken', authentication: 'clientSecret' }],
		[
			'Refresh Token',
			{
				operation: 'refreshToken',
				authentication: 'clientSecret',
				refreshToken: '={{ $json.refresh_token }}',
			},
		],
		[
			'Revoke Token',
			{
				operation: 'revokeToken',
				authentication: 'clientSecret',
				token: '={{ $json.refresh_token }}',
			},
		],
		[
			'Introspect Token',
			{
				operation: 'introspectToken',
				authentication: 'clientSecret',
				token: '={{ $json.access_token }}',
			},
		],
		['Check Expiry', { operation: 'checkExpiry' }],
	];
	const nodes = [
		{
			name: 'Run',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 300],
			parameters: {},
		},
		{
			name: 'Token Sets',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 300],
			parameters: {
				jsCode: `return [
	{ json: { name: 'crm', access_token: 'at-crm', refresh_token: 'rt-crm', expires_at: 'soon' } },
	{ json: { name: 'erp', access_token: 'at-erp', refresh_token: 'rt-erp', expires_at: new Date(Date.now() + 3600e3).toISOString() } },
];`,
			},
		},
		...operations.map(([name, parameters], index) => ({
			name,
			type: 'n8n-nodes-oauth-token-manager.oauthToken',
			typeVersion: 1,
			position: [520, index * 180],
			parameters,
			onError: 'continueErrorOutput',
			...(parameters.authentication ? { credentials: credentialRef } : {}),
		})),
	];
	const connections = {
		Run: { main: [[{ node: 'Token Sets', type: 'main', index: 0 }]] },
		'Token Sets': { main: [operations.map(([name]) => ({ node: name, type: 'main', index: 0 }))] },
	};
	const created = await session.call('POST', '/rest/workflows', {
		name: 'Editor suite: error output',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	});
	assert.equal(created.status, 200, JSON.stringify(created.body));
	const workflowId = created.body.data.id;

	await openWorkflow(page, editor, workflowId);
	await byId(page, 'execute-workflow-button').first().click();
	await byId(page, 'canvas-node-status-success')
		.or(byId(page, 'canvas-node-status-continue-on-error'))
		.first()
		.waitFor({ timeout: 60_000 });
	// Every node has run (the last OAuth Token node shows its status) before any is read.
	await page
		.getByText(/Workflow executed successfully/)
		.first()
		.waitFor({ timeout: 60_000 });

	for (const [name] of operations) {
		await check(
			`Continue (using error output): ${name} sends its failing items to Error, input fields kept`,
			async () => {
				await openNode(page, name);
				await byId(page, 'tab-settings').click();
				const onError = byId(page, 'parameter-input-onError').locator('input').first();
				assert.equal(await onError.inputValue(), 'Continue (using error output)');
				await byId(page, 'tab-params').click();
				const branches = byId(page, 'output-panel').locator('[data-test-id="branches"]');
				const expectedErrors = name === 'Check Expiry' ? 1 : 2;
				await branches
					.getByText(new RegExp(`Error Branch \\(${expectedErrors} items?\\)`))
					.waitFor({ timeout: 60_000 });
				await branches.getByText(/Error Branch/).click();
				await byId(page, 'output-panel').locator('[data-test-id="radio-button-json"]').click();
				const data = byId(page, 'output-panel').locator('[data-test-id="ndv-data-container"]');
				await data.getByText('rt-crm').first().waitFor();
				const text = await data.innerText();
				assert.match(text, /"name"\s*:\s*"crm"/);
				assert.match(text, name === 'Check Expiry' ? /is not a usable date/ : /invalid_client/);
				if (name !== 'Check Expiry') assert.match(text, /rt-erp/);
				await closeNdv(page);
			},
		);
	}

	await check(
		'The token rotation example runs: Check Expiry sends one stored set to Valid, one to Needs Refresh',
		async () => {
			await openWorkflow(page, editor, 'exTokenRotation');
			// Two triggers: run from "Run Now" (its button shows on hovering the trigger).
			await byId(page, 'canvas-node').filter({ hasText: 'Run Now' }).first().hover();
			await byId(page, 'execute-workflow-button-Run Now').click();
			await page
				.getByText(/Workflow executed successfully/)
				.first()
				.waitFor({ timeout: 90_000 });
			await byId(page, 'canvas-fit-view-button')
				.or(byId(page, 'zoom-to-fit'))
				.first()
				.click()
				.catch(() => {});
			// Both branches ran: the node after Valid and the node after Needs Refresh show success.
			for (const after of ['Still Valid', 'Store Refreshed Token'])
				await byId(page, 'canvas-node')
					.filter({ hasText: after })
					.locator('[data-test-id="canvas-node-status-success"]')
					.first()
					.waitFor();
			await page.mouse.move(10, 500);
		},
		{ doc: 'token-rotation-after-run.png' },
	);

	await check(
		'Both credential types open from the Credentials page (the helper the credential suite uses)',
		async () => {
			for (const type of ['OAuth Client Secret API', 'OAuth Private Key JWT API']) {
				await openNewCredentialModal(page, editor, type);
				await byId(page, 'editCredential-modal').getByText(type).first().waitFor();
				await closeCredentialModal(page);
			}
		},
	);
}
