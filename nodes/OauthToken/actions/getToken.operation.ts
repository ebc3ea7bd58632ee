import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SingleOutputOperation } from './types';

import { getToken, withItemTokens, type ItemTokens } from '../../../protocol';
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
	// RFC 8693: the tokens to exchange, per item (the token types are the credential's).
	{
		displayName: 'Token Exchange',
		name: 'tokenExchange',
		type: 'collection',
		placeholder: 'Add token to exchange',
		default: {},
		displayOptions: { show: { operation: ['getToken'] } },
		description:
			'Only for a credential whose grant is "Token Exchange (RFC 8693)": the tokens this item exchanges, in place of the credential\'s',
		options: [
			{
				displayName: 'Subject Token',
				name: 'subjectToken',
				type: 'string',
				typeOptions: { password: true },
				default: '={{ $json.access_token }}',
				description:
					'The token to exchange (RFC 8693 subject_token), e.g. the access token of the incoming item. Empty: the credential\'s "Subject Token". Its type is the credential\'s "Subject Token Type".',
			},
			{
				displayName: 'Actor Token',
				name: 'actorToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'The token of the party acting for the subject (RFC 8693 actor_token, delegation). Empty: the credential\'s. Needs the credential\'s "Actor Token Type".',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { forceNew?: boolean };
	const exchange = this.getNodeParameter('tokenExchange', itemIndex, {}) as ItemTokens;
	const config = withItemTokens(await loadClientConfig(this, itemIndex), exchange);
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
