/**
 * What the editor shows of the node besides its identity and credentials (those stay in the node
 * class, where n8n's lint reads them): its outputs, subtitle and parameters, built from the operations.
 */
import type { INodeProperties } from 'n8n-workflow';

import { isBranching, OPERATIONS } from './actions/operations';

const operations = Object.values(OPERATIONS);

/**
 * The outputs as an expression (n8n evaluates it per node, as for its Switch node): named outputs
 * for branching operations (Check Expiry: Valid / Needs Refresh), one output for the others.
 */
function outputsExpression(): `={{${string}}}` {
	let cases = '';
	for (const operation of operations) {
		if (!isBranching(operation)) continue;
		const outputs = operation.outputs.map((displayName) => ({ type: 'main', displayName }));
		cases += `$parameter.operation === ${JSON.stringify(operation.option.value)} ? ${JSON.stringify(outputs)} : `;
	}
	return `={{ ${cases}[{ "type": "main" }] }}`;
}

export const nodeOutputs = outputsExpression();

/**
 * The canvas subtitle: the chosen operation's name ("Check Expiry"), not its value
 * ("checkExpiry") as the usual `$parameter["operation"]` would show. Ternaries, no object
 * literal: braces inside an expression would confuse its {{ }} delimiters.
 */
function subtitleExpression(): `={{${string}}}` {
	const names = operations
		.map(
			({ option }) =>
				`$parameter["operation"] === ${JSON.stringify(option.value)} ? ${JSON.stringify(option.name)} : `,
		)
		.join('');
	return `={{ ${names}$parameter["operation"] }}`;
}

export const nodeSubtitle = subtitleExpression();

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: operations.map((operation) => operation.option),
		default: 'getToken',
	},
	{
		displayName: 'Credential Type',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Client Secret',
				value: 'clientSecret',
				description: 'Uses client_secret_basic, client_secret_post or client_secret_jwt',
			},
			// Never listed (this parameter is hidden for Check Expiry, which has its own Credential Type
			// with None). Without a "none" value n8n's editor takes this field for the node's main
			// authentication field and hides every parameter an authentication field depends on —
			// Operation included.
			{
				name: 'None',
				value: 'none',
				displayOptions: { show: { operation: ['checkExpiry'] } },
			},
			{
				name: 'Private Key JWT',
				value: 'privateKeyJwt',
				description: 'Uses private_key_jwt or the JWT bearer grant',
			},
		],
		default: 'clientSecret',
		description: 'How the client authenticates to the authorization server',
		displayOptions: { hide: { operation: ['checkExpiry'] } },
	},
	// Places the credential selector right under Credential Type; renders nothing itself.
	{
		displayName: 'Credential',
		name: 'credential',
		type: 'credentials',
		default: '',
		displayOptions: { hide: { operation: ['checkExpiry'] } },
	},
	...operations.flatMap((operation) => operation.properties),
];
