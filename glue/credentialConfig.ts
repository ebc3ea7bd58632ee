/** Reads the node's chosen credential and turns it into the protocol core's ClientConfig. */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	clientConfigFromCredential,
	OAuthConfigError,
	type ClientConfig,
	type CredentialKind,
} from '../protocol';

const CREDENTIAL_TYPES: Record<CredentialKind, string> = {
	clientSecret: 'oauthClientSecretApi',
	privateKeyJwt: 'oauthPrivateKeyJwtApi',
};

export async function loadClientConfig(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<ClientConfig> {
	const kind = context.getNodeParameter('authentication', itemIndex) as CredentialKind;
	if (!Object.prototype.hasOwnProperty.call(CREDENTIAL_TYPES, kind))
		throw new OAuthConfigError(
			'Credential Type',
			`"${String(kind)}" is not a credential type this operation can use.`,
			'Choose Client Secret or Private Key JWT, and a credential of that type.',
		);
	const data = await context.getCredentials(CREDENTIAL_TYPES[kind], itemIndex);
	return clientConfigFromCredential(kind, data);
}
