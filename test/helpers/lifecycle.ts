/**
 * Credentials for the real test server with each of the four client authentication methods, and
 * a one-call way to run any operation of the node. The password grant is used because it issues
 * refresh tokens to every client, whatever its authentication method.
 */
import { randomUUID } from 'node:crypto';

import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { attemptAsync } from '../../protocol';
import { runNode } from './executeContext';
import { loadTestServer, serverRequests, type RecordedRequest } from '../server/fixtures';

export type AuthMethod =
	'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
export type CredentialKind = 'clientSecret' | 'privateKeyJwt';

export interface TestCredential {
	method: AuthMethod;
	kind: CredentialKind;
	clientId: string;
	data: ICredentialDataDecryptedObject;
	/** Secret values that must never appear in an output or an error. */
	secrets: string[];
}

export const AUTH_METHODS: AuthMethod[] = [
	'client_secret_basic',
	'client_secret_post',
	'client_secret_jwt',
	'private_key_jwt',
];

export function credentialFor(
	method: AuthMethod,
	extra: ICredentialDataDecryptedObject = {},
): TestCredential {
	const server = loadTestServer();
	const { clients, users } = server.fixtures;
	const common: ICredentialDataDecryptedObject = {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		revocationUrl: server.revocationEndpoint,
		introspectionUrl: server.introspectionEndpoint,
		grantType: 'password',
		username: users.alice.username,
		password: users.alice.password,
		scope: 'api:read api:write',
	};
	if (method === 'private_key_jwt') {
		const client = clients.privateKeyJwt.RS256;
		return {
			method,
			kind: 'privateKeyJwt',
			clientId: client.client_id,
			data: {
				...common,
				clientId: client.client_id,
				privateKey: client.pkcs8Pem,
				algorithm: 'RS256',
				keyId: client.kid,
				clientAuthentication: method,
				...extra,
			},
			secrets: [client.pkcs8Pem.split('\n')[1], users.alice.password],
		};
	}
	const client =
		method === 'client_secret_basic'
			? clients.basic
			: method === 'client_secret_post'
				? clients.post
				: clients.secretJwt;
	return {
		method,
		kind: 'clientSecret',
		clientId: client.client_id,
		data: {
			...common,
			clientId: client.client_id,
			clientSecret: client.client_secret,
			clientAuthentication: method,
			...extra,
		},
		secrets: [client.client_secret, users.alice.password],
	};
}

export interface RunExtra {
	items?: INodeExecutionData[];
	itemParameters?: IDataObject[];
	continueOnFail?: boolean;
	timezone?: string;
}

/** Runs one operation of the node with one credential. */
export async function runOperation(
	credential: TestCredential,
	operation: string,
	parameters: IDataObject = {},
	extra: RunExtra = {},
) {
	const type =
		credential.kind === 'clientSecret' ? 'oauthClientSecretApi' : 'oauthPrivateKeyJwtApi';
	return await runNode({
		parameters: { authentication: credential.kind, operation, options: {}, ...parameters },
		credentials: { [type]: credential.data },
		...extra,
	});
}

/** The JSON of the single output item of one operation. */
export async function runOne(
	credential: TestCredential,
	operation: string,
	parameters: IDataObject = {},
	extra: RunExtra = {},
): Promise<IDataObject> {
	const { output } = await runOperation(credential, operation, parameters, extra);
	return output[0][0].json;
}

/** A new grant: access and refresh token straight from the server (no reuse of a cached token). */
export async function freshTokens(
	credential: TestCredential,
): Promise<{ accessToken: string; refreshToken: string }> {
	const json = await runOne(credential, 'getToken', { options: { forceNew: true } });
	return { accessToken: String(json.access_token), refreshToken: String(json.refresh_token) };
}

export async function expectNodeError(
	run: () => Promise<unknown>,
): Promise<NodeApiError | NodeOperationError> {
	const outcome = await attemptAsync(run);
	if (outcome.ok) throw new Error('expected the node to fail');
	expect(outcome.error instanceof NodeApiError || outcome.error instanceof NodeOperationError).toBe(
		true,
	);
	return outcome.error as NodeApiError | NodeOperationError;
}

/** A value the server has never seen, made at run time. */
export const unknownValue = (label: string): string =>
	`${label}-${randomUUID()}${randomUUID()}`.replace(/-/g, '');

export async function requestsTo(
	path: 'token' | 'revocation' | 'introspection',
	since: number,
	filter: (r: RecordedRequest) => boolean = () => true,
): Promise<RecordedRequest[]> {
	const suffix = path === 'token' ? '/token' : `/token/${path}`;
	return (await serverRequests(since)).filter((r) => r.path === suffix && filter(r));
}
