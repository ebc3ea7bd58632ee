import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as checkExpiry from './actions/checkExpiry.operation';
import * as getToken from './actions/getToken.operation';
import * as refreshToken from './actions/refreshToken.operation';
import * as revokeToken from './actions/revokeToken.operation';
import * as tokenParameters from './actions/tokenParameters';
import { router } from './actions/router';

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
		// Check Expiry routes to Valid / Needs Refresh; every other operation has one output (as n8n's Switch computes its outputs).
		outputs:
			'={{ $parameter.operation === "checkExpiry" ? [{ type: "main", displayName: "Valid" }, { type: "main", displayName: "Needs Refresh" }] : [{ type: "main" }] }}',
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
		properties: [
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
					{
						name: 'Private Key JWT',
						value: 'privateKeyJwt',
						description: 'Uses private_key_jwt or the JWT bearer grant',
					},
				],
				default: 'clientSecret',
				description: 'How the client authenticates to the authorization server',
				// Check Expiry has its own Credential Type, with "None" (checkExpiry.operation.ts).
				displayOptions: { hide: { operation: ['checkExpiry'] } },
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Check Expiry',
						value: 'checkExpiry',
						description:
							'Work out when a stored token set expires and route it to Valid or Needs Refresh',
						action: 'Check token expiry',
					},
					{
						name: 'Get Token',
						value: 'getToken',
						description:
							"Get an access token with the credential's grant, reusing a still-valid one",
						action: 'Get a token',
					},
					{
						name: 'Introspect Token',
						value: 'introspectToken',
						description: 'Ask the server whether a token is still active, and when it expires',
						action: 'Introspect a token',
					},
					{
						name: 'Refresh Token',
						value: 'refreshToken',
						description:
							'Exchange a refresh token for a new access token (and a new refresh token, if the server rotates them)',
						action: 'Refresh a token',
					},
					{
						name: 'Revoke Token',
						value: 'revokeToken',
						description: 'Make an access or refresh token unusable',
						action: 'Revoke a token',
					},
				],
				default: 'getToken',
			},
			...getToken.description,
			...refreshToken.description,
			...tokenParameters.description,
			...revokeToken.description,
			...checkExpiry.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
