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

/** OAuth 2.0 client authenticated with a client secret: Basic header, form body, or an HMAC-signed JWT. */
export class OAuthClientSecretApi implements ICredentialType {
	name = 'oauthClientSecretApi';

	displayName = 'OAuth Client Secret API';

	icon: Icon = { light: 'file:icons/oauthToken.svg', dark: 'file:icons/oauthToken.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-oauth-token-manager/n8n-nodes-oauth-token-manager#provider-setup-guides';

	properties: INodeProperties[] = [
		...providerProperties('clientSecret'),
		...endpointProperties,
		insecureHttpProperty,
		clientIdProperty,
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The client secret (consumer secret) issued with the client ID',
		},
		{
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{
					name: 'Basic Auth Header (Client_secret_basic)',
					value: 'client_secret_basic',
					description: 'Send the ID and secret in the Authorization header; the RFC 6749 default',
				},
				{
					name: 'In the Request Body (Client_secret_post)',
					value: 'client_secret_post',
					description: 'Send client_id and client_secret as form fields',
				},
				{
					name: 'Signed JWT (Client_secret_jwt)',
					value: 'client_secret_jwt',
					description: 'Send a JWT signed with the secret (HMAC); the secret never travels',
				},
			],
			default: 'client_secret_basic',
			description:
				'How the client proves its identity to the token endpoint. Must match how the client is registered.',
		},
		{
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
			displayOptions: { show: { clientAuthentication: ['client_secret_basic'] } },
		},
		{
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
			displayOptions: { show: { clientAuthentication: ['client_secret_jwt'] } },
		},
		...assertionProperties({ clientAuthentication: ['client_secret_jwt'] }),
		{
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
			],
			default: 'clientCredentials',
			description: 'How the token is obtained',
		},
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
		return await preAuthenticate(this, 'clientSecret', credentials);
	}

	// A field, not a method: n8n lists a community credential in the HTTP Request node only if its
	// `authenticate` is an own property (a prototype method is lost when n8n serializes the type).
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(credentials, requestOptions);
}
