import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	authenticateRequest,
	bearerTokenProperties,
	credentialTestRequest,
	preAuthenticate,
} from './shared/bearerToken';

import {
	assertionProperties,
	clientIdProperty,
	endpointProperties,
	insecureHttpProperty,
	lifespanProperties,
	passwordGrantProperties,
	providerProperties,
	requestParameterProperties,
} from './shared/commonProperties';

/** OAuth 2.0 client that signs JWTs with a private key: private_key_jwt and the RFC 7523 JWT bearer grant. */
export class OAuthPrivateKeyJwtApi implements ICredentialType {
	name = 'oauthPrivateKeyJwtApi';

	displayName = 'OAuth Private Key JWT API';

	icon: Icon = { light: 'file:icons/oauthToken.svg', dark: 'file:icons/oauthToken.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-oauth-token-manager/n8n-nodes-oauth-token-manager#provider-setup-guides';

	properties: INodeProperties[] = [
		...providerProperties('privateKeyJwt'),
		...endpointProperties,
		insecureHttpProperty,
		clientIdProperty,
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
				{ name: 'X5t (SHA-1, with RS256)', value: 'x5t' },
				{ name: 'X5t#S256 (SHA-256, with PS256)', value: 'x5t#S256' },
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
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description:
						'The client acts for itself, authenticated with a signed JWT (private_key_jwt)',
				},
				{
					name: 'JWT Bearer (RFC 7523)',
					value: 'jwtBearer',
					description:
						'A signed JWT is the grant: Salesforce JWT bearer flow, Google service accounts',
				},
				{
					name: 'Password (Legacy)',
					value: 'password',
					description: "The client sends a user's name and password",
				},
			],
			default: 'clientCredentials',
			description: 'How the token is obtained',
		},
		{
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{
					name: 'Signed JWT (Private_key_jwt)',
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
			displayOptions: { show: { grantType: ['jwtBearer'] } },
		},
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			placeholder: 'integration.user@example.com',
			description:
				'The "sub" claim: the user the token is for. Salesforce: the username (not the client ID). Google: the user to impersonate with domain-wide delegation, or empty.',
			displayOptions: { show: { grantType: ['jwtBearer'] } },
		},
		{
			displayName: 'Assertion Issuer',
			name: 'assertionIssuer',
			type: 'string',
			default: '',
			description:
				'The "iss" claim. Leave empty to use the client ID (or the service-account email of a Google key).',
			displayOptions: { show: { grantType: ['jwtBearer'] } },
		},
		{
			displayName: 'Send Scope as Claim',
			name: 'scopeInClaim',
			type: 'boolean',
			default: false,
			description:
				'Whether to put the scope in the assertion\'s "scope" claim instead of the request body (Google service accounts)',
			displayOptions: { show: { grantType: ['jwtBearer'] } },
		},
		{
			displayName: 'Extra Claims',
			name: 'extraClaims',
			type: 'json',
			default: '{}',
			description:
				'Additional claims for the grant assertion, as a JSON object. They cannot replace iss, sub, aud, exp, iat or jti.',
			displayOptions: { show: { grantType: ['jwtBearer'] } },
		},
		...assertionProperties({}),
		...passwordGrantProperties,
		...requestParameterProperties,
		...lifespanProperties,
		...bearerTokenProperties,
	];

	/** The Test button: n8n runs preAuthentication (a real token request) through its own helper. */
	test: ICredentialTestRequest = credentialTestRequest;

	/** Gets the token the HTTP Request node sends; n8n stores it in the hidden fields (shared/bearerToken.ts). */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return await preAuthenticate(this, 'privateKeyJwt', credentials);
	}

	// A field, not a method: n8n lists a community credential in the HTTP Request node only if its
	// `authenticate` is an own property (a prototype method is lost when n8n serializes the type).
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(credentials, requestOptions);
}
