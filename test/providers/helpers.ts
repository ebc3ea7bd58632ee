/** Small helpers shared by the provider tests: run the node through the router, expect errors, make keys. */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { attemptAsync } from '../../protocol';
import { runNodeRouted, type ProviderRouter } from '../helpers/routingFetch';

export type CredentialKind = 'clientSecret' | 'privateKeyJwt';

const CREDENTIAL_TYPE: Record<CredentialKind, string> = {
	clientSecret: 'oauthClientSecretApi',
	privateKeyJwt: 'oauthPrivateKeyJwtApi',
};

/** Get Token through the node's real code, every request routed to the emulators. */
export async function nodeGetToken(
	router: ProviderRouter,
	kind: CredentialKind,
	credential: ICredentialDataDecryptedObject,
	options: IDataObject = {},
): Promise<IDataObject> {
	const { output } = await runNodeRouted(
		{
			parameters: { authentication: kind, operation: 'getToken', options },
			credentials: { [CREDENTIAL_TYPE[kind]]: credential },
		},
		router,
	);
	return output[0][0].json;
}

/**
 * Any operation through the node (Refresh, Revoke, Introspect, Check Expiry), routed. Parameters
 * are given as values (no expressions are evaluated here). Returns every output's JSON.
 */
export async function nodeOperation(
	router: ProviderRouter,
	kind: CredentialKind | 'none',
	credential: ICredentialDataDecryptedObject | undefined,
	operation: string,
	parameters: IDataObject,
	items: INodeExecutionData[] = [{ json: {} }],
): Promise<IDataObject[][]> {
	const credentials = kind === 'none' || !credential ? {} : { [CREDENTIAL_TYPE[kind]]: credential };
	const { output } = await runNodeRouted(
		{ parameters: { authentication: kind, operation, ...parameters }, credentials, items },
		router,
	);
	return output.map((branch) => branch.map((item) => item.json));
}

/** Check Expiry through the node on one token set; says which output ("Valid" / "Needs Refresh") the item went to. */
export async function nodeCheckExpiry(
	router: ProviderRouter,
	kind: CredentialKind | 'none',
	credential: ICredentialDataDecryptedObject | undefined,
	tokenSet: IDataObject,
	options: IDataObject = {},
	parameters: IDataObject = {},
): Promise<{ output: 'valid' | 'needsRefresh'; expiry: IDataObject }> {
	const [valid, needsRefresh] = await nodeOperation(
		router,
		kind,
		credential,
		'checkExpiry',
		{
			tokenInput: 'item',
			refreshMargin: 300,
			treatUnknownAs: 'needsRefresh',
			options,
			...parameters,
		},
		[{ json: tokenSet }],
	);
	const item = valid[0] ?? needsRefresh[0];
	return {
		output: valid.length === 1 ? 'valid' : 'needsRefresh',
		expiry: item.expiry as IDataObject,
	};
}

export async function expectNodeError(
	run: () => Promise<unknown>,
): Promise<NodeApiError | NodeOperationError> {
	const outcome = await attemptAsync(run);
	if (outcome.ok) throw new Error('expected the node to fail');
	if (!(outcome.error instanceof NodeApiError || outcome.error instanceof NodeOperationError))
		throw outcome.error;
	return outcome.error;
}

export async function expectRejection(run: () => Promise<unknown>): Promise<Error> {
	const outcome = await attemptAsync(run);
	if (outcome.ok) throw new Error('expected a failure');
	if (!(outcome.error instanceof Error))
		throw new Error(`expected an Error, got ${String(outcome.error)}`);
	return outcome.error;
}

export interface RsaKey {
	privatePem: string;
	publicKey: KeyObject;
}

export function rsaKey(modulusLength = 2048): RsaKey {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
	return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/** A value made at run time, so no secret-looking literal sits in the source. */
export function runtimeValue(label: string): string {
	return `${label}-${randomUUID()}`;
}

/** Epoch ms of an ISO string the node output. */
export function ms(iso: unknown): number {
	if (typeof iso !== 'string') throw new Error(`expected an ISO date, got ${String(iso)}`);
	return Date.parse(iso);
}
