/**
 * Credential fields shared by both credential types: provider, endpoints, grant, request
 * parameters and lifespan defaults. Property names are read by protocol/credentialData.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

const GENERIC = { provider: ['generic'] };

/** The provider preset and the few values each preset needs (a domain, an instance, a tenant). */
export function providerProperties(kind: 'clientSecret' | 'privateKeyJwt'): INodeProperties[] {
	const options = [
		{ name: 'Generic (Any OAuth 2.0 Server)', value: 'generic' },
		{ name: 'Auth0', value: 'auth0' },
		...(kind === 'privateKeyJwt' ? [{ name: 'Google (Service Account)', value: 'google' }] : []),
		{ name: 'Keycloak', value: 'keycloak' },
		{ name: 'Microsoft Entra ID', value: 'entra' },
		{ name: 'Okta', value: 'okta' },
		{ name: 'Salesforce', value: 'salesforce' },
		{ name: 'ServiceNow', value: 'servicenow' },
	];
	return [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options,
			default: 'generic',
			description:
				'The authorization server. A provider fills in its endpoints and rules from the few values below; Generic works with any standards-compliant OAuth 2.0 server.',
		},
		{
			displayName: 'Salesforce Environment',
			name: 'salesforceEnvironment',
			type: 'options',
			options: [
				{ name: 'Production (Login.salesforce.com)', value: 'production' },
				{ name: 'Sandbox (Test.salesforce.com)', value: 'sandbox' },
				{
					name: 'My Domain',
					value: 'myDomain',
					description: 'Required for the client credentials flow',
				},
			],
			default: 'production',
			description:
				'Where the org lives. The JWT bearer audience follows it: https://login.salesforce.com or https://test.salesforce.com.',
			displayOptions: { show: { provider: ['salesforce'] } },
		},
		{
			displayName: 'My Domain URL',
			name: 'salesforceMyDomainUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://mycompany.my.salesforce.com',
			displayOptions: { show: { provider: ['salesforce'], salesforceEnvironment: ['myDomain'] } },
		},
		{
			displayName: 'Session Timeout (Seconds)',
			name: 'salesforceSessionTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 7200,
			description:
				'Salesforce sends no expires_in; a token lives as long as the session timeout of the connected app or org (2 hours unless changed)',
			displayOptions: { show: { provider: ['salesforce'] } },
		},
		{
			displayName: 'Instance',
			name: 'servicenowInstance',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'dev12345 or https://dev12345.service-now.com',
			description: 'The instance name or its URL',
			displayOptions: { show: { provider: ['servicenow'] } },
		},
		{
			displayName: 'Token Issued By',
			name: 'servicenowTokenSource',
			type: 'options',
			options: [
				{ name: 'The Instance (30 Minutes / 100 Days)', value: 'instance' },
				{ name: 'A Third-Party Provider (30 Days / 365 Days)', value: 'thirdParty' },
			],
			default: 'instance',
			description:
				"ServiceNow's default access / refresh token lifespans, used when a response does not say. Lifespans set on the application registry entry are in seconds.",
			displayOptions: { show: { provider: ['servicenow'] } },
		},
		{
			displayName: 'Tenant',
			name: 'entraTenant',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'contoso.onmicrosoft.com or 00000000-0000-0000-0000-000000000000',
			description: 'The directory (tenant) ID or a verified domain',
			displayOptions: { show: { provider: ['entra'] } },
		},
		{
			displayName: 'Okta Domain',
			name: 'oktaDomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://dev-123456.okta.com',
			displayOptions: { show: { provider: ['okta'] } },
		},
		{
			displayName: 'Authorization Server',
			name: 'oktaAuthorizationServer',
			type: 'string',
			default: 'default',
			description:
				'The custom authorization server ID ("default" or e.g. aus1a2b3c). Leave empty for the org authorization server.',
			displayOptions: { show: { provider: ['okta'] } },
		},
		{
			displayName: 'Auth0 Domain',
			name: 'auth0Domain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://mytenant.eu.auth0.com',
			description: 'The tenant domain or custom domain',
			displayOptions: { show: { provider: ['auth0'] } },
		},
		{
			displayName: 'Keycloak Base URL',
			name: 'keycloakBaseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://sso.example.com',
			description: 'The server URL, including /auth for Keycloak 16 and older',
			displayOptions: { show: { provider: ['keycloak'] } },
		},
		{
			displayName: 'Realm',
			name: 'keycloakRealm',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'master',
			displayOptions: { show: { provider: ['keycloak'] } },
		},
	];
}

export const endpointProperties: INodeProperties[] = [
	{
		displayName: 'Endpoints',
		name: 'endpointMode',
		type: 'options',
		options: [
			{
				name: 'Discover From Issuer URL',
				value: 'discovery',
				description: 'Read the endpoints from the server metadata (RFC 8414 / OpenID discovery)',
			},
			{
				name: 'Enter URLs',
				value: 'manual',
				description: 'Type the token, revocation and introspection URLs yourself',
			},
		],
		default: 'manual',
		description: 'How the package finds the token, revocation and introspection endpoints',
		displayOptions: { show: GENERIC },
	},
	{
		displayName: 'Issuer URL',
		name: 'issuerUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://auth.example.com',
		description:
			'The authorization server issuer. Its metadata is read from /.well-known/oauth-authorization-server or /.well-known/openid-configuration.',
		displayOptions: { show: { ...GENERIC, endpointMode: ['discovery'] } },
	},
	{
		displayName: 'Token URL',
		name: 'tokenUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://auth.example.com/oauth/token',
		description: 'Where tokens are requested (the token endpoint)',
		displayOptions: { show: { ...GENERIC, endpointMode: ['manual'] } },
	},
	{
		displayName: 'Revocation URL',
		name: 'revocationUrl',
		type: 'string',
		default: '',
		placeholder: 'https://auth.example.com/oauth/revoke',
		description:
			'RFC 7009 revocation endpoint, used by the Revoke operation. With discovery, leave empty to use the discovered one.',
		displayOptions: { show: GENERIC },
	},
	{
		displayName: 'Introspection URL',
		name: 'introspectionUrl',
		type: 'string',
		default: '',
		placeholder: 'https://auth.example.com/oauth/introspect',
		description:
			'RFC 7662 introspection endpoint, used by the Introspect operation and Check Expiry. With discovery, leave empty to use the discovered one.',
		displayOptions: { show: { provider: ['generic', 'servicenow'] } },
	},
];

export const insecureHttpProperty: INodeProperties = {
	displayName: 'Allow Insecure HTTP',
	name: 'allowInsecureHttp',
	type: 'boolean',
	default: false,
	description:
		'Whether to allow plain http:// endpoints on other hosts than this machine. Client credentials and tokens then travel unencrypted: only for test servers on a trusted network.',
	displayOptions: { show: GENERIC },
};

export const clientIdProperty: INodeProperties = {
	displayName: 'Client ID',
	name: 'clientId',
	type: 'string',
	default: '',
	description:
		'The client identifier issued by the authorization server (consumer key, application ID)',
};

export const passwordGrantProperties: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		description: "The resource owner's user name (password grant)",
		displayOptions: { show: { grantType: ['password'] } },
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: "The resource owner's password (password grant)",
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
		description: "Space-separated scopes to request. Leave empty for the client's default scopes.",
	},
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'string',
		default: '',
		description:
			'Sent as the "audience" parameter (Auth0 and some others use it to pick the API). Leave empty if unsure.',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'string',
		default: '',
		description:
			'Sent as the RFC 8707 "resource" parameter: the URL of the API the token is for. Leave empty if unsure.',
	},
	{
		displayName: 'Additional Body Parameters',
		name: 'additionalParameters',
		type: 'json',
		default: '{}',
		description:
			'Extra form parameters for the token request, as a JSON object, e.g. {"access_type": "offline", "prompt": "consent"}',
	},
];

export const lifespanProperties: INodeProperties[] = [
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'How long to wait for each answer from the authorization server',
	},
	{
		displayName: 'Access Token Lifespan (Seconds)',
		name: 'accessTokenLifespan',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Used only when the server does not say when the access token expires. 0 means unknown. ServiceNow issues 1800-second tokens; Salesforce follows the session timeout (often 7200).',
	},
	{
		displayName: 'Refresh Token Lifespan (Seconds)',
		name: 'refreshTokenLifespan',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Used only when the server does not say when the refresh token expires. 0 means unknown. ServiceNow: 8640000 (100 days).',
	},
];

export function assertionProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Assertion Audience',
			name: 'assertionAudience',
			type: 'options',
			options: [
				{
					name: 'Issuer When Known (Recommended)',
					value: 'auto',
					description:
						'The issuer with an issuer URL (RFC 7523bis: an assertion then works only at that server), else the token endpoint',
				},
				{
					name: 'Token Endpoint URL',
					value: 'tokenEndpoint',
					description:
						'What older servers expect; never sent to a revocation or introspection endpoint on another host',
				},
				{
					name: 'Issuer',
					value: 'issuer',
					description: 'The issuer identifier (RFC 7523bis; Auth0)',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Any value, e.g. https://login.salesforce.com',
				},
			],
			default: 'auto',
			description:
				'The "aud" claim of the signed assertion. ServiceNow\'s documentation names both the token endpoint and the client ID; try the token endpoint first.',
			displayOptions: { show: { ...show, provider: ['generic', 'servicenow', 'keycloak'] } },
		},
		{
			displayName: 'Custom Audience',
			name: 'customAudience',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://login.salesforce.com',
			description: 'The exact "aud" value the server expects',
			displayOptions: {
				show: {
					...show,
					provider: ['generic', 'servicenow', 'keycloak'],
					assertionAudience: ['custom'],
				},
			},
		},
		{
			displayName: 'Assertion Lifetime (Seconds)',
			name: 'assertionLifetime',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'Seconds until the assertion expires. Keep it short: it is used once, straight away (Auth0 allows at most 300).',
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
			description:
				'The "typ" header of the client assertion. Only change it if the server asks for the explicit type.',
			displayOptions: { show },
		},
	];
}
