/**
 * Credential fields shared by both credential types: provider, endpoints, grant, request
 * parameters and lifespan defaults. Property names are read by protocol/credentialData.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

export const providerProperty: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	options: [{ name: 'Generic (Any OAuth 2.0 Server)', value: 'generic' }],
	default: 'generic',
	description: 'The authorization server. Generic works with any standards-compliant OAuth 2.0 server.',
};

export const endpointProperties: INodeProperties[] = [
	{
		displayName: 'Endpoints',
		name: 'endpointMode',
		type: 'options',
		options: [
			{ name: 'Discover From Issuer URL', value: 'discovery', description: 'Read the endpoints from the server metadata (RFC 8414 / OpenID discovery)' },
			{ name: 'Enter URLs', value: 'manual', description: 'Type the token, revocation and introspection URLs yourself' },
		],
		default: 'manual',
		description: 'How the package finds the token, revocation and introspection endpoints',
	},
	{
		displayName: 'Issuer URL',
		name: 'issuerUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://auth.example.com',
		description: 'The authorization server issuer. Its metadata is read from /.well-known/oauth-authorization-server or /.well-known/openid-configuration.',
		displayOptions: { show: { endpointMode: ['discovery'] } },
	},
	{
		displayName: 'Token URL',
		name: 'tokenUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://auth.example.com/oauth/token',
		description: 'Where tokens are requested (the token endpoint)',
		displayOptions: { show: { endpointMode: ['manual'] } },
	},
	{
		displayName: 'Revocation URL',
		name: 'revocationUrl',
		type: 'string',
		default: '',
		placeholder: 'https://auth.example.com/oauth/revoke',
		description: 'RFC 7009 revocation endpoint, used by the Revoke operation. With discovery, leave empty to use the discovered one.',
	},
	{
		displayName: 'Introspection URL',
		name: 'introspectionUrl',
		type: 'string',
		default: '',
		placeholder: 'https://auth.example.com/oauth/introspect',
		description: 'RFC 7662 introspection endpoint, used by the Introspect operation. With discovery, leave empty to use the discovered one.',
	},
];

export const clientIdProperty: INodeProperties = {
	displayName: 'Client ID',
	name: 'clientId',
	type: 'string',
	default: '',
	description: 'The client identifier issued by the authorization server (consumer key, application ID)',
};

export const passwordGrantProperties: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		description: 'The resource owner\'s user name (password grant)',
		displayOptions: { show: { grantType: ['password'] } },
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: 'The resource owner\'s password (password grant)',
		displayOptions: { show: { grantType: ['password'] } },
	},
];

export const requestParameterProperties: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'string',
		default: '',
		placeholder: 'api:read api:write',
		description: 'Space-separated scopes to request. Leave empty for the client\'s default scopes.',
	},
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'string',
		default: '',
		description: 'Sent as the "audience" parameter (Auth0 and some others use it to pick the API). Leave empty if unsure.',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'string',
		default: '',
		description: 'Sent as the RFC 8707 "resource" parameter: the URL of the API the token is for. Leave empty if unsure.',
	},
	{
		displayName: 'Additional Body Parameters',
		name: 'additionalParameters',
		type: 'json',
		default: '{}',
		description: 'Extra form parameters for the token request, as a JSON object, e.g. {"access_type": "offline", "prompt": "consent"}',
	},
];

export const lifespanProperties: INodeProperties[] = [
	{
		displayName: 'Access Token Lifespan (Seconds)',
		name: 'accessTokenLifespan',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Used only when the server does not say when the access token expires. 0 means unknown. ServiceNow issues 1800-second tokens; Salesforce follows the session timeout (often 7200).',
	},
	{
		displayName: 'Refresh Token Lifespan (Seconds)',
		name: 'refreshTokenLifespan',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Used only when the server does not say when the refresh token expires. 0 means unknown. ServiceNow: 8640000 (100 days).',
	},
];

export function assertionProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Assertion Audience',
			name: 'assertionAudience',
			type: 'options',
			options: [
				{ name: 'Token Endpoint URL', value: 'tokenEndpoint', description: 'What most servers expect (Okta, Microsoft Entra ID, Keycloak)' },
				{ name: 'Issuer', value: 'issuer', description: 'The issuer identifier (RFC 7523bis; Auth0)' },
				{ name: 'Custom', value: 'custom', description: 'Any value, e.g. https://login.salesforce.com' },
			],
			default: 'tokenEndpoint',
			description: 'The "aud" claim of the signed assertion',
			displayOptions: { show },
		},
		{
			displayName: 'Custom Audience',
			name: 'customAudience',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://login.salesforce.com',
			description: 'The exact "aud" value the server expects',
			displayOptions: { show: { ...show, assertionAudience: ['custom'] } },
		},
		{
			displayName: 'Assertion Lifetime (Seconds)',
			name: 'assertionLifetime',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'Seconds until the assertion expires. Keep it short: it is used once, straight away (Auth0 allows at most 300).',
			displayOptions: { show },
		},
		{
			displayName: 'Assertion Type Header',
			name: 'assertionType',
			type: 'options',
			options: [
				{ name: 'JWT', value: 'JWT' },
				{ name: 'Client-Authentication+jwt (RFC 7523bis)', value: 'client-authentication+jwt' },
			],
			default: 'JWT',
			description: 'The "typ" header of the client assertion. Only change it if the server asks for the explicit type.',
			displayOptions: { show },
		},
	];
}
