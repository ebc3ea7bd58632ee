/**
 * The credentials' Test button: really requests a token (never from cache) with the saved
 * settings and reports what the server said, with the same hints as the node.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { failureMessage } from '../../../glue/nodeErrors';
import {
	clientConfigFromCredential,
	nodeHttpSend,
	getToken,
	type CredentialKind,
} from '../../../protocol';

async function testCredential(
	kind: CredentialKind,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const config = clientConfigFromCredential(kind, credential.data ?? {});
		const result = await getToken(config, nodeHttpSend('token'), { forceNew: true });
		const lifetime =
			result.times.accessExpiresAt === null
				? 'expiry unknown'
				: `expires in ${Math.round((result.times.accessExpiresAt - result.times.obtainedAt) / 1000)} s`;
		return {
			status: 'OK',
			message: `Got a ${result.token.token_type} token from ${result.tokenEndpoint} (${lifetime})`,
		};
	} catch (error) {
		return { status: 'Error', message: failureMessage(error) };
	}
}

export const credentialTest = {
	async oauthClientSecretApiTest(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		return await testCredential('clientSecret', credential);
	},
	async oauthPrivateKeyJwtApiTest(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		return await testCredential('privateKeyJwt', credential);
	},
};
