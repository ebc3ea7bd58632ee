import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeOutputs, nodeProperties, nodeSubtitle } from './OauthToken.description';
import { router } from './actions/router';

export class OauthToken implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OAuth Token',
		name: 'oauthToken',
		icon: { light: 'file:oauthToken.svg', dark: 'file:oauthToken.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle,
		description: 'Get, refresh, revoke, introspect and check the expiry of OAuth 2.0 tokens',
		defaults: { name: 'OAuth Token' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: nodeOutputs,
		// Each credential is shown for its Credential Type (Check Expiry's None shows neither).
		credentials: [
			{
				name: 'oauthClientSecretApi',
				required: true,
				displayOptions: { show: { authentication: ['clientSecret'] } },
			},
			{
				name: 'oauthPrivateKeyJwtApi',
				required: true,
				displayOptions: { show: { authentication: ['privateKeyJwt'] } },
			},
		],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
