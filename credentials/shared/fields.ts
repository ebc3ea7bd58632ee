/**
 * Every credential field, declared once (labels written exactly as shown: the editor does not
 * re-case them). Where and when each one appears is decided in definition.ts. Field names and
 * option values are what saved credentials hold and what protocol/config/credentialData.ts reads:
 * never rename them.
 *
 * Long because it is the one list of every field of both forms (UI declarations only, no logic):
 * split, a field's label and its twin in the other form would drift apart.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { CredentialKind } from '../../protocol';

type Field = INodeProperties;

export function providerField(kind: CredentialKind): Field {
	return {
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: [
			{ name: 'Generic (Any OAuth 2.0 Server)', value: 'generic' },
			{ name: 'Auth0', value: 'auth0' },
			...(kind === 'privateKeyJwt' ? [{ name: 'Google (Service Account)', value: 'google' }] : []),
			{ name: 'Keycloak', value: 'keycloak' },
			{ name: 'Microsoft Entra ID', value: 'entra' },
			...(kind === 'privateKeyJwt' ? [{ name: 'NetSuite', value: 'netsuite' }] : []),
			{ name: 'Okta', value: 'okta' },
			{ name: 'Salesforce', value: 'salesforce' },
			{ name: 'ServiceNow', value: 'servicenow' },
		],
		default: 'generic',
		description:
			'The authorization server. A provider fills in its endpoints and rules from the few values below; Generic works with any standards-compliant OAuth 2.0 server.',
	};
}

export const secretGrantType: Field = {
	displayName: 'Grant Type',
	name: 'grantType',
	type: 'options',
	options: [
		{
			name: 'Client Credentials',
			value: 'clientCredentials',
			description: 'The client acts for itself (server-to-server)',
		},
		{
			name: 'Password (Legacy)',
			value: 'password',
			description: "The client sends a user's name and password; still common on ServiceNow",
		},
		{
			name: 'Token Exchange (RFC 8693)',
			value: 'tokenExchange',
			description:
				'Exchange a token (e.g. one from the workflow) for a token for another audience or resource',
		},
	],
	default: 'clientCredentials',
	description: 'How the token is obtained',
};

/** ServiceNow's own grant choice: its own name, so that it can default to what ServiceNow accepts out of the box. */
export const servicenowGrantType: Field = {
	displayName: 'Grant Type',
	name: 'servicenowGrantType',
	type: 'options',
	options: [
		{
			name: 'Password',
			value: 'password',
			description:
				'Works on every instance: an integration user signs in once, then the refresh token (100 days) renews the access token (30 minutes)',
		},
		{
			name: 'Client Credentials',
			value: 'clientCredentials',
			description:
				'Off by default: needs the system property glide.oauth.inbound.client.credential.grant_type.enabled and an OAuth Application User',
		},
	],
	default: 'password',
	description: 'How the token is obtained',
};

export const keyGrantType: Field = {
	displayName: 'Grant Type',
	name: 'grantType',
	type: 'options',
	options: [
		{
			name: 'Client Credentials',
			value: 'clientCredentials',
			description: 'The client acts for itself, authenticated with a signed JWT (private_key_jwt)',
		},
		{
			name: 'JWT Bearer (RFC 7523)',
			value: 'jwtBearer',
			description: 'A signed JWT is the grant: Salesforce JWT bearer flow, Google service accounts',
		},
		{
			name: 'Password (Legacy)',
			value: 'password',
			description: "The client sends a user's name and password",
		},
		{
			name: 'Token Exchange (RFC 8693)',
			value: 'tokenExchange',
			description:
				'Exchange a token (e.g. one from the workflow) for a token for another audience or resource',
		},
	],
	default: 'clientCredentials',
	description: 'How the token is obtained',
};

export const secretClientAuthentication: Field = {
	displayName: 'Client Authentication',
	name: 'clientAuthentication',
	type: 'options',
	options: [
		{
			name: 'Basic Auth Header (client_secret_basic)',
			value: 'client_secret_basic',
			description: 'Send the ID and secret in the Authorization header; the RFC 6749 default',
		},
		{
			name: 'In the Request Body (client_secret_post)',
			value: 'client_secret_post',
			description: 'Send client_id and client_secret as form fields',
		},
		{
			name: 'Signed JWT (client_secret_jwt)',
			value: 'client_secret_jwt',
			description: 'Send a JWT signed with the secret (HMAC); the secret never travels',
		},
	],
	default: 'client_secret_basic',
	description:
		'How the client proves its identity to the token endpoint. Must match how the client is registered.',
};

export const keyClientAuthentication: Field = {
	displayName: 'Client Authentication',
	name: 'clientAuthentication',
	type: 'options',
	options: [
		{
			name: 'Signed JWT (private_key_jwt)',
			value: 'private_key_jwt',
			description: 'Also authenticate the client with a signed client assertion',
		},
		{
			name: 'None (the Assertion Identifies the Client)',
			value: 'none',
			description: 'Send only the grant assertion, as Salesforce and Google expect',
		},
	],
	default: 'none',
	description: 'Whether the JWT bearer request also carries client authentication',
};

export const basicEncoding: Field = {
	displayName: 'Basic Auth Encoding',
	name: 'basicEncoding',
	type: 'options',
	options: [
		{ name: 'Standard (Form-Encode ID and Secret, RFC 6749)', value: 'strict' },
		{ name: 'Raw (for Servers That Do Not Decode)', value: 'raw' },
	],
	default: 'strict',
	description:
		'RFC 6749 §2.3.1 form-encodes the ID and secret before base64. Choose Raw only if a server rejects secrets with special characters that work in the body.',
};

export const hmacAlgorithm: Field = {
	displayName: 'Signing Algorithm',
	name: 'hmacAlgorithm',
	type: 'options',
	options: [
		{ name: 'HS256', value: 'HS256' },
		{ name: 'HS384', value: 'HS384' },
		{ name: 'HS512', value: 'HS512' },
	],
	default: 'HS256',
	description:
		'HMAC algorithm for the client assertion. The secret must be at least 32, 48 or 64 bytes long respectively.',
};

export const locationFields: Field[] = [
	{
		displayName: 'Salesforce Environment',
		name: 'salesforceEnvironment',
		type: 'options',
		options: [
			{ name: 'Production (login.salesforce.com)', value: 'production' },
			{ name: 'Sandbox (test.salesforce.com)', value: 'sandbox' },
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
		displayName: 'Account ID',
		name: 'netsuiteAccountId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1234567 or 1234567_SB1',
		description:
			'The account ID from Setup > Company > Company Information. It names the token endpoint: https://<account-id>.suitetalk.api.netsuite.com (1234567_SB1 becomes 1234567-sb1).',
		displayOptions: { show: { provider: ['netsuite'] } },
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

/** The JWT bearer audience of a Salesforce org: login/test, or the My Domain URL for external client apps. */
export const salesforceJwtAudience: Field = {
	displayName: 'JWT Audience',
	name: 'salesforceJwtAudience',
	type: 'options',
	options: [
		{
			name: 'Login / Test by Environment (Connected Apps, Government Clouds)',
			value: 'environment',
			description: 'https://login.salesforce.com, or https://test.salesforce.com for a sandbox',
		},
		{
			name: 'My Domain URL (External Client Apps)',
			value: 'myDomain',
			description:
				'The org\'s My Domain URL; needs Salesforce Environment "My Domain". External client apps that answer app_not_found want it.',
		},
	],
	default: 'environment',
	description: 'The "aud" claim of the JWT bearer assertion',
	displayOptions: { show: { provider: ['salesforce'] } },
};

/** NetSuite's name for the key ID: the Certificate ID of the M2M mapping. */
export const netsuiteKeyId: Field = {
	displayName: 'Certificate ID',
	name: 'keyId',
	type: 'string',
	default: '',
	required: true,
	description:
		'The Certificate ID that Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup shows for the certificate\'s mapping; sent as the "kid" header',
	displayOptions: { show: { provider: ['netsuite'] } },
};

export const netsuiteScope: Field = {
	displayName: 'Scope',
	name: 'scope',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'rest_webservices',
	description:
		'One or more of restlets, rest_webservices and suite_analytics (separated by spaces or commas), as ticked on the integration record. Sent as the "scope" claim of the client assertion.',
	displayOptions: { show: { provider: ['netsuite'] } },
};

const GENERIC = { provider: ['generic'] };

export const endpointFields: Field[] = [
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

export const clientId: Field = {
	displayName: 'Client ID',
	name: 'clientId',
	type: 'string',
	default: '',
	required: true,
	description:
		'The client identifier issued by the authorization server (consumer key, application ID)',
};

export const clientSecret: Field = {
	displayName: 'Client Secret',
	name: 'clientSecret',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
	description: 'The client secret (consumer secret) issued with the client ID',
};

export const keyFields: Field[] = [
	{
		displayName: 'Private Key',
		name: 'privateKey',
		type: 'string',
		typeOptions: { password: true, rows: 6 },
		default: '',
		required: true,
		placeholder: '-----BEGIN PRIVATE KEY-----',
		description:
			'The private key: PEM (PKCS#8, PKCS#1 RSA, SEC1 EC, or encrypted PKCS#8), a private JWK, or a whole Google service-account JSON key file',
	},
	{
		displayName: 'Passphrase',
		name: 'passphrase',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Only for an encrypted private key ("BEGIN ENCRYPTED PRIVATE KEY")',
	},
	{
		displayName: 'Key ID',
		name: 'keyId',
		type: 'string',
		default: '',
		description:
			'Sent as the "kid" header. Needed when the server holds several keys for the client. Leave empty to use the key\'s own (JWK "kid" or service-account "private_key_id").',
	},
	{
		displayName: 'Certificate Thumbprint Header',
		name: 'thumbprintHeader',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'x5t (SHA-1, with RS256)', value: 'x5t' },
			{ name: 'x5t#S256 (SHA-256, with PS256)', value: 'x5t#S256' },
		],
		default: 'none',
		description:
			'Microsoft Entra ID finds the certificate by its thumbprint: x5t#S256 with PS256, or the older x5t with RS256',
	},
	{
		displayName: 'Certificate',
		name: 'publicCertificate',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: '-----BEGIN CERTIFICATE-----',
		description:
			'The PEM certificate registered with the provider, used only to compute the thumbprint',
		displayOptions: { show: { thumbprintHeader: ['x5t', 'x5t#S256'] } },
	},
];

export const algorithm: Field = {
	displayName: 'Algorithm',
	name: 'algorithm',
	type: 'options',
	options: [
		{ name: 'Auto (From the Key)', value: 'auto' },
		{ name: 'EdDSA (Ed25519)', value: 'EdDSA' },
		{ name: 'ES256', value: 'ES256' },
		{ name: 'ES384', value: 'ES384' },
		{ name: 'ES512', value: 'ES512' },
		{ name: 'PS256', value: 'PS256' },
		{ name: 'PS384', value: 'PS384' },
		{ name: 'PS512', value: 'PS512' },
		{ name: 'RS256', value: 'RS256' },
		{ name: 'RS384', value: 'RS384' },
		{ name: 'RS512', value: 'RS512' },
	],
	default: 'auto',
	description:
		'Signing algorithm; it must match the key type and what the server has registered. Auto uses RS256 for RSA keys, ES256/384/512 for EC keys and EdDSA for Ed25519.',
};

export const subject: Field = {
	displayName: 'Subject',
	name: 'subject',
	type: 'string',
	default: '',
	placeholder: 'integration.user@example.com',
	description:
		'The "sub" claim: the user the token is for. Salesforce: the username (not the client ID). Google: the user to impersonate with domain-wide delegation, or empty.',
};

export const jwtBearerExpertFields: Field[] = [
	{
		displayName: 'Assertion Issuer',
		name: 'assertionIssuer',
		type: 'string',
		default: '',
		description:
			'The "iss" claim. Leave empty to use the client ID (or the service-account email of a Google key).',
	},
	{
		displayName: 'Send Scope as Claim',
		name: 'scopeInClaim',
		type: 'boolean',
		default: false,
		description:
			'Whether to put the scope in the assertion\'s "scope" claim instead of the request body (Google service accounts). Without the JWT bearer grant it goes into the client assertion.',
	},
	{
		displayName: 'Extra Claims',
		name: 'extraClaims',
		type: 'json',
		default: '{}',
		description:
			'Additional claims for the grant assertion (without the JWT bearer grant: the client assertion), as a JSON object. They cannot replace iss, sub, aud, exp, iat or jti.',
	},
];

export const passwordGrantFields: Field[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		description: "The resource owner's user name (password grant)",
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: "The resource owner's password (password grant)",
	},
];

export const scope: Field = {
	displayName: 'Scope',
	name: 'scope',
	type: 'string',
	default: '',
	placeholder: 'api:read api:write',
	description: "Space-separated scopes to request. Leave empty for the client's default scopes.",
};

/** The audience rule of a signed assertion: only where the provider does not fix it. */
const audienceOptions = [
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
];

const assertionAudience: Field = {
	displayName: 'Assertion Audience',
	name: 'assertionAudience',
	type: 'options',
	options: audienceOptions,
	default: 'auto',
	description:
		'The "aud" claim of the signed assertion. ServiceNow\'s documentation names both the token endpoint and the client ID; try the token endpoint first.',
	displayOptions: { show: { provider: ['generic', 'servicenow', 'keycloak'] } },
};

export const assertionAudienceFields: Field[] = [
	// New credentials (form 2) default to the issuer when known; this one comes first, so the
	// editor seeds new forms with it.
	{
		...assertionAudience,
		displayOptions: { show: { ...assertionAudience.displayOptions?.show, formVersion: [2] } },
	},
	// Credentials saved before (form 1) resolve their unstored default as they did: the token endpoint.
	{
		...assertionAudience,
		default: 'tokenEndpoint',
		displayOptions: { show: { ...assertionAudience.displayOptions?.show, formVersion: [1] } },
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
			show: { provider: ['generic', 'servicenow', 'keycloak'], assertionAudience: ['custom'] },
		},
	},
];

export const assertionExpertFields: Field[] = [
	{
		displayName: 'Assertion Lifetime (Seconds)',
		name: 'assertionLifetime',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description:
			'Seconds until the assertion expires. Keep it short: it is used once, straight away (Auth0 allows at most 300).',
	},
	{
		displayName: 'Assertion Type Header',
		name: 'assertionType',
		type: 'options',
		options: [
			{ name: 'JWT', value: 'JWT' },
			{ name: 'client-authentication+jwt (RFC 7523bis)', value: 'client-authentication+jwt' },
		],
		default: 'JWT',
		description:
			'The "typ" header of the client assertion. Only change it if the server asks for the explicit type.',
	},
];

export const requestExpertFields: Field[] = [
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
		typeOptions: { rows: 2 },
		description:
			'Sent as RFC 8707 "resource" parameters: the URL of each API the token is for, one per line (absolute URIs, without "#"). Leave empty if unsure.',
	},
	{
		displayName: 'Additional Body Parameters',
		name: 'additionalParameters',
		type: 'json',
		default: '{}',
		description:
			'Extra form parameters for the token request, as a JSON object, e.g. {"access_type": "offline", "prompt": "consent"}',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'How long to wait for each answer from the authorization server',
	},
];

export const lifespanExpertFields: Field[] = [
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
		displayName: 'Access Token Lifespan (Seconds)',
		name: 'accessTokenLifespan',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Used only when the server does not say when the access token expires. 0 means unknown (or the provider default). ServiceNow issues 1800-second tokens; Salesforce follows the session timeout (often 7200).',
	},
	{
		displayName: 'Refresh Token Lifespan (Seconds)',
		name: 'refreshTokenLifespan',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Used only when the server does not say when the refresh token expires. 0 means unknown (or the provider default). ServiceNow: 8640000 (100 days).',
	},
	{
		displayName: 'Allow Insecure HTTP',
		name: 'allowInsecureHttp',
		type: 'boolean',
		default: false,
		description:
			'Whether to allow plain http:// endpoints on other hosts than this machine. Client credentials and tokens then travel unencrypted: only for test servers on a trusted network.',
		displayOptions: { show: GENERIC },
	},
];

/** RFC 8693 §3 token type choices, as the type of a subject, actor or requested token. */
function tokenTypeOptions(none?: { name: string; description: string }) {
	return [
		{ name: 'Access Token', value: 'access_token' },
		{ name: 'Custom', value: 'custom', description: 'Another token type URI' },
		{ name: 'ID Token', value: 'id_token' },
		{ name: 'JWT', value: 'jwt', description: 'Any JWT, e.g. from another issuer' },
		...(none ? [{ name: none.name, value: 'none', description: none.description }] : []),
		{ name: 'Refresh Token', value: 'refresh_token' },
		{ name: 'SAML 1.1 Assertion', value: 'saml1' },
		{ name: 'SAML 2.0 Assertion', value: 'saml2' },
	];
}

function customTokenType(displayName: string, name: string, typeField: string): Field {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: 'urn:example:token-type:internal',
		description: 'The token type URI the server documents',
		displayOptions: { show: { [typeField]: ['custom'] } },
	};
}

/** Token exchange (RFC 8693): the static parts; the Get Token node passes the tokens per item. */
export const tokenExchangeFields: Field[] = [
	{
		displayName: 'Subject Token Type',
		name: 'subjectTokenType',
		type: 'options',
		options: tokenTypeOptions(),
		default: 'access_token',
		description:
			'What kind of token is exchanged (RFC 8693 subject_token_type). Access Token: one this server issued.',
	},
	customTokenType('Custom Subject Token Type', 'customSubjectTokenType', 'subjectTokenType'),
	{
		displayName: 'Subject Token',
		name: 'subjectToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'A fixed token to exchange. Usually left empty: the Get Token node\'s "Token Exchange" > "Subject Token" passes it per item. Used where the node gives none, and by the HTTP Request node.',
	},
];

export const tokenExchangeExpertFields: Field[] = [
	{
		displayName: 'Requested Token Type',
		name: 'requestedTokenType',
		type: 'options',
		options: tokenTypeOptions({
			name: 'Server Default',
			description: 'Send no requested_token_type; the server decides',
		}),
		default: 'none',
		description:
			'The kind of token to ask for (RFC 8693 requested_token_type). Anything but an access token comes back with token_type N_A and cannot be used as a Bearer token.',
	},
	customTokenType('Custom Requested Token Type', 'customRequestedTokenType', 'requestedTokenType'),
	{
		displayName: 'Actor Token Type',
		name: 'actorTokenType',
		type: 'options',
		options: tokenTypeOptions({
			name: 'None',
			description: 'No actor token (impersonation rather than delegation)',
		}),
		default: 'none',
		description:
			'The type of the actor token (RFC 8693 actor_token_type), required with an actor token',
	},
	customTokenType('Custom Actor Token Type', 'customActorTokenType', 'actorTokenType'),
	{
		displayName: 'Actor Token',
		name: 'actorToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'A fixed token of the party acting for the subject (delegation). Usually empty; the Get Token node can pass one per item.',
		// Without a type there is no actor token to send (RFC 8693 §2.1).
		displayOptions: { hide: { actorTokenType: ['none'] } },
	},
];

/**
 * Client authentication of the private key credential outside the JWT bearer grant: its own
 * name (not `clientAuthentication`, whose first default seeds new forms with "none"), defaulting
 * to what such credentials always did, so old ones are unchanged.
 */
export const clientAssertionOrigin: Field = {
	displayName: 'Client Authentication',
	name: 'clientAssertionOrigin',
	type: 'options',
	options: [
		{
			name: 'Signed JWT (private_key_jwt)',
			value: 'signed',
			description: 'n8n signs a client assertion with the private key below',
		},
		{
			name: 'Client Assertion From Elsewhere (No Key in n8n)',
			value: 'elsewhere',
			description:
				'Send a JWT another system signed for this client, e.g. a Kubernetes service-account token (workload identity federation)',
		},
	],
	default: 'signed',
	description:
		'How the client proves its identity. "From elsewhere" suits Entra workload identity federation and Okta or Keycloak federated clients: no private key is stored in n8n.',
};

export const clientAssertionFields: Field[] = [
	{
		displayName: 'Client Assertion Source',
		name: 'clientAssertionSource',
		type: 'options',
		options: [
			{
				name: 'File on the n8n Host',
				value: 'file',
				description: 'Read on every token request, so a rotated token file is picked up',
			},
			{
				name: 'Value',
				value: 'value',
				description: 'The JWT itself, or an expression that returns it',
			},
		],
		default: 'file',
		description:
			'Where the assertion comes from. A file is read only by the OAuth Token node (n8n gives the HTTP Request node no file access).',
	},
	{
		displayName: 'Client Assertion File',
		name: 'clientAssertionFile',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/var/run/secrets/azure/tokens/azure-identity-token',
		description:
			"Path of the token file on the n8n host, e.g. the one AZURE_FEDERATED_TOKEN_FILE names. n8n's file access rules apply (N8N_RESTRICT_FILE_ACCESS_TO).",
		displayOptions: { show: { clientAssertionSource: ['file'] } },
	},
	{
		displayName: 'Client Assertion',
		name: 'clientAssertionValue',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			"The signed JWT (eyJ…). Leave empty to give one per item in Get Token's Client Assertion option.",
		displayOptions: { show: { clientAssertionSource: ['value'] } },
	},
];
