/** The token input shared by Revoke and Introspect. */
import type { INodeProperties } from 'n8n-workflow';

import type { TokenTypeHint } from '../../../protocol';

const show = { operation: ['revokeToken', 'introspectToken'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '={{ $json.access_token }}',
		required: true,
		displayOptions: { show },
		description:
			'The access or refresh token. By default the "access_token" field of the incoming item; map the "refresh_token" field instead to revoke or inspect the refresh token.',
	},
	{
		displayName: 'Token Type Hint',
		name: 'tokenTypeHint',
		type: 'options',
		options: [
			{
				name: 'Access Token',
				value: 'access_token',
				description: 'Tell the server the token is an access token',
			},
			{
				name: 'Let the Server Find Out',
				value: 'auto',
				description: 'Send no hint; the server looks the token up itself',
			},
			{
				name: 'Refresh Token',
				value: 'refresh_token',
				description: 'Tell the server the token is a refresh token',
			},
		],
		default: 'auto',
		displayOptions: { show },
		description:
			'What kind of token this is. Only a hint: a server that does not find the token under this type searches the others.',
	},
];

export function tokenTypeHint(value: unknown): TokenTypeHint | undefined {
	return value === 'access_token' || value === 'refresh_token' ? value : undefined;
}
