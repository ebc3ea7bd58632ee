/** Reads the node's chosen credential and turns it into the protocol core's ClientConfig. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { clientConfigFromCredential, type ClientConfig, type CredentialKind } from '../protocol';

const CREDENTIAL_TYPES: Record<CredentialKind, string> = {
	clientSecret: 'oauthClientSecretApi',
	privateKeyJwt: 'oauthPrivateKeyJwtApi',
};

export async function loadClientConfig(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<ClientConfig> {
	const kind = context.getNodeParameter('authentication', itemIndex) as CredentialKind;
	const data = await context.getCredentials(CREDENTIAL_TYPES[kind], itemIndex);
	return clientConfigFromCredential(kind, data);
}
