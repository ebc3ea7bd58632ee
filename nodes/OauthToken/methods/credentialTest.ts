/**
 * The credentials' Test button: really requests a token (never from cache) with the saved
 * settings and reports what the server said, with the same hints as the node.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { clientConfigFromCredential, nodeHttpSend, getToken, InvalidResponseError, OAuthConfigError, OAuthResponseError, OAuthTransportError, type CredentialKind } from '../../../protocol';

/** A protocol failure in words, with the hint; shared with the credentials' own token fetch. */
export function failureMessage(error: unknown): string {
	if (error instanceof OAuthConfigError) return `${error.field}: ${error.message}${error.hint ? ` ${error.hint}` : ''}`;
	if (error instanceof OAuthResponseError) return `${error.message}${error.hint ? `. ${error.hint}` : ''}`;
	if (error instanceof InvalidResponseError || error instanceof OAuthTransportError) return error.message;
	return 'The token request failed.';
}

async function testCredential(kind: CredentialKind, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const config = clientConfigFromCredential(kind, credential.data ?? {});
		const result = await getToken(config, nodeHttpSend('token'), { forceNew: true });
		const lifetime = result.times.accessExpiresAt === null ? 'expiry unknown' : `expires in ${Math.round((result.times.accessExpiresAt - result.times.obtainedAt) / 1000)} s`;
		return { status: 'OK', message: `Got a ${result.token.token_type} token from ${result.tokenEndpoint} (${lifetime})` };
	} catch (error) {
		return { status: 'Error', message: failureMessage(error) };
	}
}

export const credentialTest = {
	async oauthClientSecretApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return await testCredential('clientSecret', credential);
	},
	async oauthPrivateKeyJwtApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return await testCredential('privateKeyJwt', credential);
	},
};
