/**
 * The router through the node's real code: the operation map, failed items under "Continue" (the
 * input item's fields kept) and "Continue (using error output)" (the shape n8n routes), Custom
 * API Call and a credential type an operation cannot use, both refused before any request.
 */
import { NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';
import { OPERATIONS } from '../../nodes/OauthToken/actions/operations';
import { attemptAsync } from '../../protocol';
import { runNode } from '../helpers/executeContext';

const input: INodeExecutionData[] = [
	{ json: { name: 'crm', refresh_token: 'rt-1', access_token: 'at-1' } },
	{ json: { name: 'erp', refresh_token: 'rt-2', access_token: 'at-2' } },
];

describe('OAuth Token node: the description', () => {
	const { description } = new OauthToken();
	const operation = description.properties.find((p) => p.name === 'operation');

	it('lists every operation of the map, with its action label, Operation first', () => {
		expect(description.properties[0].name).toBe('operation');
		expect(operation?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(
			Object.keys(OPERATIONS),
		);
		for (const option of operation?.options ?? [])
			expect('action' in option && typeof option.action === 'string').toBe(true);
	});

	it("subtitle shows the operation's name, not its value", () => {
		expect(description.subtitle).toContain('"checkExpiry" ? "Check Expiry"');
		expect(description.subtitle).toContain('"getToken" ? "Get Token"');
	});

	it('has no "main auth field" (it would make the editor hide Operation): every authentication parameter offers none', () => {
		const auth = description.properties.filter((p) => p.name === 'authentication');
		expect(auth.length).toBe(2);
		for (const parameter of auth)
			expect(parameter.options?.some((o) => 'value' in o && o.value === 'none')).toBe(true);
	});
});

describe('OAuth Token node: failed items under Continue', () => {
	const cases = [
		['getToken', {}],
		['refreshToken', { refreshToken: '={{ $json.refresh_token }}' }],
		['revokeToken', { token: 'at', tokenTypeHint: 'auto' }],
		['introspectToken', { token: 'at', tokenTypeHint: 'auto' }],
	] as const;
	// No credential stored: a configuration failure per item, before any request.
	const run = async (
		operation: string,
		parameters: object,
		onError: 'continueRegularOutput' | 'continueErrorOutput',
	) =>
		await runNode({
			parameters: { operation, authentication: 'clientSecret', options: {}, ...parameters },
			credentials: {},
			items: input,
			onError,
		});

	it.each(cases)(
		'%s, "Continue": each failed item keeps its input fields beside the error and its hint, paired',
		async (operation, parameters) => {
			const { output, httpCalls } = await run(operation, parameters, 'continueRegularOutput');
			expect(httpCalls).toHaveLength(0);
			expect(output).toHaveLength(1);
			output[0].forEach((item, index) => {
				expect(item.json).toMatchObject({
					...input[index].json,
					error: expect.stringMatching(/credentials/),
				});
				expect(item.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: index });
			});
		},
	);

	it.each(cases)(
		'%s, "Continue (using error output)": json n8n 2.41.1 routes to Error (only error and details), paired so n8n adds the input fields',
		async (operation, parameters) => {
			const { output } = await run(operation, parameters, 'continueErrorOutput');
			expect(output).toHaveLength(1);
			output[0].forEach((item, index) => {
				expect(
					Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key)),
				).toBe(true);
				expect(item.json.error).toEqual(expect.stringMatching(/credentials/));
				// `item.error` would make n8n replace the json with the message alone.
				expect(item.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: index });
			});
		},
	);

	it('Check Expiry, "Continue (using error output)": the failed item is in a branch n8n scans (Needs Refresh), in the routable shape', async () => {
		const { output } = await runNode({
			parameters: {
				operation: 'checkExpiry',
				authentication: 'none',
				tokenInput: 'item',
				refreshMargin: 300,
				treatUnknownAs: 'needsRefresh',
				options: {},
			},
			credentials: {},
			items: [{ json: { name: 'crm', access_token: 'at', expires_at: 'soon' } }],
			onError: 'continueErrorOutput',
		});
		expect(output).toHaveLength(2);
		expect(output[1]).toEqual([
			{
				json: {
					error: expect.stringMatching(/^expires_at: /),
					details: { description: expect.any(String) },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('without Continue the first failure stops the node', async () => {
		const outcome = await attemptAsync(
			async () =>
				await runNode({
					parameters: { operation: 'getToken', authentication: 'clientSecret', options: {} },
					credentials: {},
					items: input,
				}),
		);
		expect(outcome.ok).toBe(false);
	});
});

describe('OAuth Token node: refused before any request', () => {
	it('Custom API Call says to use the HTTP Request node with the credential', async () => {
		const outcome = await attemptAsync(
			async () =>
				await runNode({
					parameters: { operation: '__CUSTOM_API_CALL__' },
					credentials: {},
					items: input,
				}),
		);
		const error = (outcome as { error: NodeOperationError }).error;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Operation: "Custom API Call" is not an operation/);
		expect(error.description).toMatch(/HTTP Request node.*Predefined Credential Type/);
	});

	it('Credential Type "None" outside Check Expiry is a NodeOperationError naming Credential Type', async () => {
		const { output, httpCalls } = await runNode({
			parameters: { operation: 'getToken', authentication: 'none', options: {} },
			credentials: {},
			items: [input[0]],
			continueOnFail: true,
		});
		expect(httpCalls).toHaveLength(0);
		expect(output[0][0].json.error).toMatch(/^Credential Type: "none" is not a credential type/);
	});
});
