import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { authenticateRequest, bearerTokenProperties, preAuthenticate } from './shared/bearerToken';
import { credentialIcon, credentialProperties } from './shared/definition';

/** OAuth 2.0 client authenticated with a client secret: Basic header, form body, or an HMAC-signed JWT. */
export class OAuthClientSecretApi implements ICredentialType {
	name = 'oauthClientSecretApi';

	displayName = 'OAuth Client Secret API';

	icon: Icon = credentialIcon('clientSecret');

	// README "What is in the package" describes both credentials and their presets.
	documentationUrl =
		'https://github.com/n8n-nodes-oauth-token-manager/n8n-nodes-oauth-token-manager#what-is-in-the-package';

	// The form is shared with the other credential type (shared/definition.ts).
	properties: INodeProperties[] = [
		...credentialProperties('clientSecret'),
		...bearerTokenProperties,
	];

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
	): Promise<IHttpRequestOptions> =>
		await authenticateRequest('clientSecret', credentials, requestOptions);
}
