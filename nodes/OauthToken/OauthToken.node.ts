import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import * as getToken from './actions/getToken.operation';
import { router } from './actions/router';
import { credentialTest } from './methods/credentialTest';

export class OauthToken implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OAuth Token',
		name: 'oauthToken',
		icon: { light: 'file:oauthToken.svg', dark: 'file:oauthToken.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Get, refresh, revoke, introspect and check the expiry of OAuth 2.0 tokens',
		defaults: { name: 'OAuth Token' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'oauthClientSecretApi',
				required: true,
				testedBy: 'oauthClientSecretApiTest',
				displayOptions: { show: { authentication: ['clientSecret'] } },
			},
			{
				name: 'oauthPrivateKeyJwtApi',
				required: true,
				testedBy: 'oauthPrivateKeyJwtApiTest',
				displayOptions: { show: { authentication: ['privateKeyJwt'] } },
			},
		],
		properties: [
			{
				displayName: 'Credential Type',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Client Secret', value: 'clientSecret', description: 'Uses client_secret_basic, client_secret_post or client_secret_jwt' },
					{ name: 'Private Key JWT', value: 'privateKeyJwt', description: 'Uses private_key_jwt or the JWT bearer grant' },
				],
				default: 'clientSecret',
				description: 'How the client authenticates to the authorization server',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get Token',
						value: 'getToken',
						description: 'Get an access token with the credential\'s grant, reusing a still-valid one',
						action: 'Get a token',
					},
				],
				default: 'getToken',
			},
			...getToken.description,
		],
};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
