/**
 * Makes both credentials usable from any node that authenticates requests with them, such as
 * n8n's HTTP Request node: the credential gets its own access token and sends it as
 * `Authorization: Bearer`. Client secrets, keys, passwords and assertions only ever go to the
 * token endpoint (through the protocol core); the API host sees the Bearer token alone.
 *
 * How n8n 2.41 drives this (packages/cli credentials-helper.ts, n8n-core request helpers):
 * - n8n runs `preAuthentication` before a request when the first hidden expirable field is '',
 *   and again after the request failed. `tokenRenewal` is that field and is always returned as '',
 *   so n8n asks before every request. What `preAuthentication` returns with `tokenRenewal` in it is
 *   saved to the stored credential in n8n's database (every execution and worker sees it) and
 *   merged into this request's credentials; `{}` saves and changes nothing.
 * - The HTTP Request node (predefined credential type) calls it again after ANY error — a 500 or
 *   a refused connection as much as a 401 — and resends when it returns the field. n8n does not
 *   say which error, so the package decides from what it knows (see preAuthenticate).
 * - `authenticate` only reads the stored token; it never sends anything.
 */
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
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
	getToken,
	processStore,
	registerProcessState,
	sharedTokenCache,
	type CredentialKind,
	type GetTokenResult,
} from '../../protocol';

/** n8n's renewal marker: the first hidden expirable field, kept '' so preAuthentication always runs. */
export const RENEWAL_FIELD = 'tokenRenewal';

/** Stored by `preAuthentication`; never shown in the editor. Names of 0.1.0 are kept. */
export const bearerTokenProperties: INodeProperties[] = [
	{
		displayName: 'Token Renewal',
		name: RENEWAL_FIELD,
		type: 'hidden',
		typeOptions: { expirable: true },
		default: '',
	},
	{
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'hidden',
		default: '',
	},
	{
		displayName: 'Access Token Expires At',
		name: 'accessTokenExpiresAt',
		type: 'hidden',
		default: '',
	},
	{
		displayName: 'Access Token Obtained At',
		name: 'accessTokenObtainedAt',
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

/**
 * Replace the token when less than this is left: the same margin under which the protocol
 * core's cache stops handing a token out, so a fresh fetch never returns the expiring one.
 */
export const RENEW_MARGIN_MS = sharedTokenCache.minRemainingMs;

/**
 * After an error, a token obtained less than this long ago is kept: the error was about something
 * else (a token the server has just issued is not refused), and a burst of errors must not become
 * a burst of token requests.
 */
export const JUST_OBTAINED_MS = 5_000;

/**
 * Which settings the stored token was obtained with (server, client, grant, user, scope, and a
 * hash of the secrets), so a token from before the credential was edited is never sent and a
 * Test with a changed secret really asks the server.
 */
export function settingsFingerprint(credentials: ICredentialDataDecryptedObject): string {
	const settings = Object.entries(credentials)
		.filter(([name]) => !STORED_FIELDS.has(name))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return createHash('sha256').update(JSON.stringify(settings)).digest('base64url');
}

interface IssuedToken {
	token: string;
	obtainedAt: number;
	/** 0 when the server did not say. */
	expiresAt: number;
}

/** The token stored in the credential, if it was obtained with the current settings. */
function storedToken(
	credentials: ICredentialDataDecryptedObject,
	fingerprint: string,
): IssuedToken | undefined {
	const token = credentials.accessToken;
	if (typeof token !== 'string' || token === '') return undefined;
	if (credentials.accessTokenFor !== fingerprint) return undefined;
	return {
		token,
		obtainedAt: Number(credentials.accessTokenObtainedAt) || 0,
		expiresAt: Number(credentials.accessTokenExpiresAt) || 0,
	};
}

/** Unknown expiry: used until the API refuses it (n8n then calls preAuthentication again). */
const fresh = (token: IssuedToken, now: number): boolean =>
	token.expiresAt === 0 || token.expiresAt - now > RENEW_MARGIN_MS;

/** The latest token this process obtained per settings fingerprint (bounded, reset with the rest). */
const issued = processStore<string, IssuedToken>('credentialTokens');

/**
 * Credentials objects already seen by preAuthentication. n8n hands each request a fresh object
 * and passes the same one again when it calls after the request failed, so a second sight means
 * "after an error". Weak: objects go with their request.
 */
let seen = new WeakSet<object>();
registerProcessState({ clear: () => (seen = new WeakSet<object>()) });

async function fetchToken(
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
	helper: IHttpRequestHelper,
	forceNew: boolean,
): Promise<GetTokenResult> {
	const config = clientConfigFromCredential(kind, credentials);
	const outcome = await attemptAsync(
		async () => await getToken(config, n8nSend(helper), { forceNew }),
	);
	// n8n wraps this in its own error; the message is the package's, with the hint, and no secret.
	// It carries no `code` or `status`: n8n would replace the message with its generic text.
	if (!outcome.ok)
		throw new Error(`Could not get an access token: ${failureMessage(outcome.error)}`);
	// A token exchange may issue a token that is no access token (RFC 8693 token_type N_A).
	if (outcome.value.token.token_type.toLowerCase() !== 'bearer')
		throw new Error(
			`Could not get an access token: the token exchange issued a ${outcome.value.token.issued_token_type ?? 'non-access'} token (token_type "${outcome.value.token.token_type}"), which cannot be sent as a Bearer token. Set "Requested Token Type" to Access Token in the credential.`,
		);
	return outcome.value;
}

/** What n8n saves and merges: the renewal marker (kept '') and the new token. */
function toSave(fingerprint: string, token: IssuedToken): IDataObject {
	return {
		[RENEWAL_FIELD]: '',
		accessToken: token.token,
		accessTokenExpiresAt: token.expiresAt || '',
		accessTokenObtainedAt: token.obtainedAt,
		accessTokenFor: fingerprint,
	};
}

/** A token from the server (or the process cache, or a request already in flight), remembered. */
async function obtain(
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
	helper: IHttpRequestHelper,
	fingerprint: string,
	forceNew: boolean,
): Promise<IDataObject> {
	let result = await fetchToken(kind, credentials, helper, forceNew);
	// The cache judges expiry by its own record; if it still hands out the stored token that was
	// just found too close to expiry (or refused), ask the server.
	if (!forceNew && result.token.access_token === credentials.accessToken)
		result = await fetchToken(kind, credentials, helper, true);
	const token: IssuedToken = {
		token: result.token.access_token,
		obtainedAt: result.times.obtainedAt,
		expiresAt: result.times.accessExpiresAt ?? 0,
	};
	const latest = issued.get(fingerprint);
	if (!latest || latest.obtainedAt <= token.obtainedAt) issued.set(fingerprint, token);
	return toSave(fingerprint, token);
}

/**
 * `preAuthentication` of both credentials.
 * - Before a request: `{}` while the stored token is fresh; within RENEW_MARGIN_MS of its expiry
 *   (or none, or obtained with other settings) a new one, which n8n saves. Items and executions
 *   in this process share one token request (the core's cache and single flight).
 * - After an error: a newer token this process already has, if any; else nothing when the token
 *   was obtained less than JUST_OBTAINED_MS ago; else one new token, shared by all items that
 *   failed at the same time.
 */
export async function preAuthenticate(
	helper: IHttpRequestHelper,
	kind: CredentialKind,
	credentials: ICredentialDataDecryptedObject,
	now: number = Date.now(),
): Promise<IDataObject> {
	const fingerprint = settingsFingerprint(credentials);
	const stored = storedToken(credentials, fingerprint);
	const afterError = seen.has(credentials);
	seen.add(credentials);
	if (!afterError) {
		if (stored && fresh(stored, now)) return {};
		return await obtain(kind, credentials, helper, fingerprint, false);
	}
	const latest = issued.get(fingerprint);
	if (latest && latest.token !== credentials.accessToken && fresh(latest, now))
		return toSave(fingerprint, latest);
	const sent = latest?.token === credentials.accessToken ? latest : stored;
	if (sent && now - sent.obtainedAt < JUST_OBTAINED_MS) return {};
	return await obtain(kind, credentials, helper, fingerprint, true);
}

/** `authenticate` of both credentials: the stored token as a Bearer header. It only reads. */
export async function authenticateRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const token = credentials.accessToken;
	if (typeof token !== 'string' || token === '')
		throw new Error(
			'The credential holds no access token: n8n gets one through the credential before each request, and did not here.',
		);
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` },
	};
}

/** `https://` in front of a host name typed without a scheme (an n8n expression). */
const withScheme = (field: string): string =>
	`(String(${field}).includes('://') ? ${field} : 'https://' + ${field})`;

/**
 * The authorization server's URL for each provider preset (an n8n expression): the token URL or
 * issuer for Generic, the preset's host otherwise.
 */
const AUTH_SERVER_URL = [
	`$credentials.provider === 'salesforce' ? ($credentials.salesforceEnvironment === 'sandbox' ? 'https://test.salesforce.com' : $credentials.salesforceEnvironment === 'myDomain' ? ${withScheme('$credentials.salesforceMyDomainUrl')} : 'https://login.salesforce.com')`,
	`$credentials.provider === 'servicenow' ? (String($credentials.servicenowInstance).includes('.') ? ${withScheme('$credentials.servicenowInstance')} : 'https://' + $credentials.servicenowInstance + '.service-now.com')`,
	`$credentials.provider === 'entra' ? 'https://login.microsoftonline.com'`,
	`$credentials.provider === 'google' ? 'https://oauth2.googleapis.com'`,
	`$credentials.provider === 'okta' ? ${withScheme('$credentials.oktaDomain')}`,
	`$credentials.provider === 'auth0' ? ${withScheme('$credentials.auth0Domain')}`,
	`$credentials.provider === 'keycloak' ? ${withScheme('$credentials.keycloakBaseUrl')}`,
	// The account's first label only, cut at the first character a host label cannot hold, as the
	// preset reads it: the Test request (with the new token) goes to the host the token came from.
	`$credentials.provider === 'netsuite' ? 'https://' + String($credentials.netsuiteAccountId).trim().replace(/^https?:\\/\\//i, '').split(/[^A-Za-z0-9_-]/)[0].toLowerCase().split('_').join('-') + '.suitetalk.api.netsuite.com'`,
	`$credentials.endpointMode === 'discovery' ? $credentials.issuerUrl : $credentials.tokenUrl`,
].join(' : ');

/**
 * The Test button. n8n 2.41 gives a credential test function no `httpRequest` helper (only the
 * legacy `helpers.request`, which n8n's community-node rules forbid), so the test is declarative:
 * n8n runs `preAuthentication` for it through its own request helper, which asks the server for
 * a token with the entered settings (a failure is the test's message), then sends this request
 * with the token. Any HTTP answer from the authorization server passes; the token request is the test.
 */
export const credentialTestRequest: ICredentialTestRequest = {
	request: {
		method: 'GET',
		url: `={{ ${AUTH_SERVER_URL} }}`,
		ignoreHttpStatusErrors: true,
	},
};
