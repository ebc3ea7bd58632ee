/** Reads the node's chosen credential and turns it into the protocol core's ClientConfig. */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	clientConfigWithOverrides,
	OAuthConfigError,
	type ClientConfig,
	type CredentialKind,
	type ItemOverrides,
} from '../protocol';
import { assertionFileReader } from './assertionFile';

const CREDENTIAL_TYPES: Record<CredentialKind, string> = {
	clientSecret: 'oauthClientSecretApi',
	privateKeyJwt: 'oauthPrivateKeyJwtApi',
};

/** `overrides`: this item's values in place of the credential's (Get Token's options). */
export async function loadClientConfig(
	context: IExecuteFunctions,
	itemIndex: number,
	overrides: ItemOverrides = {},
): Promise<ClientConfig> {
	const kind = context.getNodeParameter('authentication', itemIndex) as CredentialKind;
	if (!Object.prototype.hasOwnProperty.call(CREDENTIAL_TYPES, kind))
		throw new OAuthConfigError(
			'Credential Type',
			`"${String(kind)}" is not a credential type this operation can use.`,
			'Choose Client Secret or Private Key JWT, and a credential of that type.',
		);
	const data = await context.getCredentials(CREDENTIAL_TYPES[kind], itemIndex);
	return clientConfigWithOverrides(kind, data, overrides, {
		readAssertionFile: assertionFileReader(context),
	});
}
