/**
 * Makes both credentials usable from any node that calls `httpRequestWithAuthentication`, such as
 * n8n's HTTP Request node: the credential fetches its own access token and sends it as
 * `Authorization: Bearer`. Client secrets, keys, passwords and assertions only ever go to the
 * token endpoint (through the protocol core); the API host sees the Bearer token alone.
 *
 * How n8n drives this (n8n 2.x credentials-helper):
 * - `preAuthentication` runs only when the expirable hidden field is '' or after the API
 *   answered 401. n8n saves what it returns into the stored credential, so the token is reused
 *   across executions.
 * - n8n never re-runs it because a token is about to expire. `authenticate` therefore checks the
 *   stored expiry itself and, near the end, gets a fresh token through the protocol core, whose
 *   process-wide cache and single flight mean one token request per process, not one per item.
 */
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { failureMessage } from '../../glue/nodeErrors';
import { n8nSend } from '../../glue/send';
import {
	attemptAsync,
	clientConfigFromCredential,
	nodeHttpSend,
	getToken,
	sharedTokenCache,
	type CredentialKind,
	type GetTokenResult,
	type HttpSend,
} from '../../protocol';

/** Stored by `preAuthentication`; never shown in the editor. */
export const bearerTokenProperties: INodeProperties[] = [
	{
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'hidden',
		typeOptions: { expirable: true },
		default: '',
	},
	{
		displayName: 'Access Token Expires At',
		name: 'accessTokenExpiresAt',
		type: 'hidden',
		default: '',
	},
	{
		displayName: 'Access Token Settings',
		name: 'accessTokenFor',
		type: 'hidden',
		default: '',
	},
];

const STORED_FIELDS = new Set(bearerTokenProperties.map((property) => property.name));
/** Secrets can change (rotation) without changing which token the server issues. */
const SECRET_FIELDS = new Set(['clientSecret', 'privateKey', 'passphrase', 'password']);

/**
 * Replace the token when less than this is left: the same margin under which the protocol
 * core's cache stops handing a token out, so a fresh fetch never returns the expiring one.
 */
export const RENEW_MARGIN_MS = sharedTokenCache.minRemainingMs;

/**
 * Which settings the stored token was obtained with (server, client, grant, user, scope, …),
 * so a token from before the credential was edited is never sent.
 */
export function settingsFingerprint(credentials: ICredentialDataDecryptedObject): string {
	const settings = Object.entries(credentials)
		.filter(([name]) => !STORED_FIELDS.has(name) && !SECRET_FIELDS.has(name))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return createHash('sha256').update(JSON.stringify(settings)).digest('base64url');
}

/** The stored token, if it was obtained with the current settings and is not about to expire. */
export function usableStoredToken(
	credentials: ICredentialDataDecryptedObject,
	now: number,
): string | undefined {
	const token = credentials.accessToken;
	if (typeof token !== 'string' || token === '') return undefined;
	if (credentials.accessTokenFor !== settingsFingerprint(credentials)) return undefined;
	const expiresAt = Number(credentials.accessTokenExpiresAt);
	// Unknown expiry: use it until the API refuses it (n8n then runs preAuthentication).
	if (!expiresAt) return token;
	return expiresAt - now > RENEW_MARGIN_MS ? token : undefined;
}

async function fetchToken(
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
	send: HttpSend,
	forceNew: boolean,
): Promise<GetTokenResult> {
	const outcome = await attemptAsync(
		async () => await getToken(clientConfigFromCredential(kind, credentials), send, { forceNew }),
	);
	// n8n wraps this in its own error; the message is the package's, with the hint, and no secret.
	if (!outcome.ok)
		throw new Error(`Could not get an access token: ${failureMessage(outcome.error)}`);
	return outcome.value;
}

/** `preAuthentication` of both credentials: get a token and have n8n store it. */
export async function preAuthenticate(
	helper: IHttpRequestHelper,
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	// n8n calls this with a token already stored only after the API answered 401 with it: the
	// process cache may still hold that refused token, so ask the server for a new one.
	const refused = typeof credentials.accessToken === 'string' && credentials.accessToken !== '';
	const result = await fetchToken(kind, credentials, n8nSend(helper), refused);
	return {
		accessToken: result.token.access_token,
		accessTokenExpiresAt: result.times.accessExpiresAt ?? '',
		accessTokenFor: settingsFingerprint(credentials),
	};
}

/**
 * The token to send when the stored one is not usable. authenticate gets no request helper from
 * n8n, so this goes out through the core's own sender. It is not saved (n8n cannot be told to):
 * the process cache shares it, and once the stored token has expired the API's 401 makes n8n run
 * preAuthentication, which saves one.
 */
async function replacementToken(
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const send = nodeHttpSend('token');
	const cached = (await fetchToken(kind, credentials, send, false)).token.access_token;
	// The cache judges expiry by its own record; if it still hands out the stored token that was
	// just found too close to expiry, ask the server.
	return cached === credentials.accessToken
		? (await fetchToken(kind, credentials, send, true)).token.access_token
		: cached;
}

/** `authenticate` of both credentials: the Bearer header, with a fresh token near expiry. */
export async function authenticateRequest(
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const token =
		usableStoredToken(credentials, Date.now()) ?? (await replacementToken(kind, credentials));
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` },
	};
}
