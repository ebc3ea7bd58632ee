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
import { credentialIcon, credentialProperties } from './shared/definition';

/** OAuth 2.0 client that signs JWTs with a private key: private_key_jwt and the RFC 7523 JWT bearer grant. */
export class OAuthPrivateKeyJwtApi implements ICredentialType {
	name = 'oauthPrivateKeyJwtApi';

	displayName = 'OAuth Private Key JWT API';

	icon: Icon = credentialIcon('privateKeyJwt');

	// README "Provider setup guides" links the guide of every preset.
	documentationUrl =
		'https://github.com/n8n-nodes-oauth-token-manager/n8n-nodes-oauth-token-manager#provider-setup-guides';

	// The form is shared with the other credential type (shared/definition.ts).
	properties: INodeProperties[] = [
		...credentialProperties('privateKeyJwt'),
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
