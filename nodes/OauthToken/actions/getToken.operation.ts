import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SingleOutputOperation } from './types';

import { getToken } from '../../../protocol';
import { loadClientConfig } from '../../../glue/credentialConfig';
import { tokenOutput } from '../helpers/output';
import { nodeSend } from '../../../glue/send';

const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['getToken'] } },
		options: [
			{
				displayName: 'Always Request a New Token',
				name: 'forceNew',
				type: 'boolean',
				default: false,
				description:
					'Whether to skip the still-valid token this n8n process already holds for the same client and parameters, and ask the server for a new one',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { forceNew?: boolean };
	const config = await loadClientConfig(this, itemIndex);
	const result = await getToken(config, nodeSend(this), { forceNew: options.forceNew === true });
	return {
		json: { ...tokenOutput(result, this.getTimezone()), reused_cached_token: result.reused },
		pairedItem: { item: itemIndex },
	};
}

export const getTokenOperation: SingleOutputOperation<'getToken'> = {
	option: {
		name: 'Get Token',
		value: 'getToken',
		description: "Get an access token with the credential's grant, reusing a still-valid one",
		action: 'Get a token',
	},
	properties,
	execute,
};
