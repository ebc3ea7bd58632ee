/**
 * The token input Revoke and Introspect both take: one definition, placed by each operation's file
 * under its own operation (same names, so a value survives switching between the two).
 */
import type { INodeProperties } from 'n8n-workflow';

import type { TokenTypeHint } from '../../../protocol';

export function tokenParameters(operation: 'revokeToken' | 'introspectToken'): INodeProperties[] {
	const show = { operation: [operation] };
	return [
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
}

export function tokenTypeHint(value: unknown): TokenTypeHint | undefined {
	return value === 'access_token' || value === 'refresh_token' ? value : undefined;
}
