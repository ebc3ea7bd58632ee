/**
 * Authorization server metadata (RFC 8414, falling back to OpenID Connect Discovery), fetched
 * once per issuer and cached; concurrent look-ups share one request.
 */
import { InvalidResponseError, OAuthConfigError } from '../errors/oauthErrors';
import type { HttpResponse, HttpSend } from '../transport/http';
import { readJsonResult } from '../transport/responseBody';
import { SingleFlight } from '../state/singleFlight';
import { processStore, registerProcessState } from '../state/processState';

export interface ServerMetadata {
	issuer: string;
	token_endpoint?: string;
	revocation_endpoint?: string;
	introspection_endpoint?: string;
	token_endpoint_auth_methods_supported?: string[];
	grant_types_supported?: string[];
	[key: string]: unknown;
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const metadataCache = processStore<string, { metadata: ServerMetadata; fetchedAt: number }>(
	'discovery',
);
const flights = registerProcessState(new SingleFlight<ServerMetadata>());

/**
 * The issuer exactly as typed, only trimmed: RFC 8414 §3.3 compares issuers as identical strings
 * (an Auth0 issuer ends in "/", so a slash is significant).
 */
export function normalizeIssuer(issuer: string): string {
	return issuer.trim();
}

/**
 * A URL as error messages may show it: never its user name or password (n8n stores error messages
 * with the execution). A URL that cannot be parsed loses everything up to its last "@".
 */
export function redactUrl(text: string): string {
	if (URL.canParse(text)) {
		const url = new URL(text);
		if (url.username || url.password) {
			url.username = '';
			url.password = '';
			return url.toString();
		}
		// "user:secret@host" parses too, as scheme "user:"; only web URLs are shown whole.
		if (url.protocol === 'https:' || url.protocol === 'http:') return text;
	}
	return text.includes('@')
		? text.replace(
				/^([a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i,
				(_m, scheme?: string) => `${scheme ?? ''}…@`,
			)
		: text;
}

const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const URL_MEMBERS = ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint'] as const;
const LIST_MEMBERS = ['token_endpoint_auth_methods_supported', 'grant_types_supported'] as const;

/** RFC 8414 §3.2: a JSON object whose members have the types the RFC gives them. */
function checkMetadata(url: string, response: HttpResponse, body: Record<string, unknown>): void {
	const fail = (message: string) => {
		throw new InvalidResponseError(
			'discovery',
			response.status,
			`The metadata at ${redactUrl(url)} ${message} (RFC 8414 §2).`,
			response.headers['content-type'],
		);
	};
	for (const name of URL_MEMBERS) {
		const value = body[name];
		if (value !== undefined && (typeof value !== 'string' || !value.trim()))
			fail(`has a "${name}" that is not a URL string`);
	}
	for (const name of LIST_MEMBERS) {
		const value = body[name];
		if (
			value !== undefined &&
			(!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
		)
			fail(`has a "${name}" that is not a list of strings`);
	}
}

/** Entries are in insertion order, about fetch order: expired ones sit at the front (stopping early only delays a drop). */
function dropExpired(now: number): void {
	for (const [issuer, entry] of metadataCache) {
		if (now - entry.fetchedAt < DISCOVERY_TTL_MS) break;
		metadataCache.delete(issuer);
	}
}

/** How many issuers' metadata is held (for tests of the bound). */
export function discoveryCacheSize(): number {
	return metadataCache.size;
}

/** RFC 8414 §3.1 inserts the well-known segment before the issuer's path; OIDC appends it. */
export function discoveryUrls(issuer: string): string[] {
	const url = new URL(issuer);
	const path = url.pathname.replace(/\/+$/, '');
	const origin = url.origin;
	const rfc8414 = `${origin}/.well-known/oauth-authorization-server${path}`;
	const oidc = `${origin}${path}/.well-known/openid-configuration`;
	return rfc8414 === oidc ? [rfc8414] : [rfc8414, oidc];
}

/** Tries the RFC 8414 location first and the OpenID one on a 404. */
async function fetchMetadata(
	issuer: string,
	send: HttpSend,
	timeoutMs?: number,
): Promise<ServerMetadata> {
	const urls = discoveryUrls(issuer);
	for (const [index, url] of urls.entries()) {
		const response = await send({
			method: 'GET',
			url,
			headers: { accept: 'application/json' },
			timeoutMs,
		});
		if (response.status === 404 && index < urls.length - 1) continue;
		const body = readJsonResult('discovery', response);
		// RFC 8414 §3.2: metadata is JSON; a form or text body is not metadata, whatever it parses to.
		const contentType = response.headers['content-type'] ?? '';
		if (!JSON_CONTENT_TYPE.test(contentType)) {
			throw new InvalidResponseError(
				'discovery',
				response.status,
				`The metadata at ${redactUrl(url)} is not JSON (content type "${contentType || 'none'}"; RFC 8414 §3.2 requires application/json).`,
				contentType,
			);
		}
		if (body.issuer !== issuer) {
			const named =
				typeof body.issuer === 'string' ? `"${redactUrl(body.issuer)}"` : 'no issuer string';
			throw new InvalidResponseError(
				'discovery',
				response.status,
				`The metadata at ${redactUrl(url)} names ${named}, not "${redactUrl(issuer)}"; RFC 8414 §3.3 requires the identical string. If the metadata is right, enter its issuer exactly (a trailing "/" counts) in "Issuer URL".`,
			);
		}
		checkMetadata(url, response, body);
		return body as ServerMetadata;
	}
	throw new InvalidResponseError('discovery', 404, `No metadata found for issuer ${issuer}.`);
}

export async function discover(
	issuerInput: string,
	send: HttpSend,
	now: number,
	timeoutMs?: number,
): Promise<ServerMetadata> {
	const issuer = normalizeIssuer(issuerInput);
	if (!URL.canParse(issuer)) {
		throw new OAuthConfigError(
			'Issuer URL',
			`"${redactUrl(issuer)}" is not a valid URL.`,
			'Enter the issuer URL, e.g. https://auth.example.com or https://keycloak.example.com/realms/myrealm.',
		);
	}
	const cached = metadataCache.get(issuer);
	if (cached && now - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.metadata;
	// An expired entry goes at once rather than waiting to be pushed out by newer issuers.
	if (cached) metadataCache.delete(issuer);
	const { promise } = flights.run(issuer, async () => {
		const metadata = await fetchMetadata(issuer, send, timeoutMs);
		dropExpired(now);
		metadataCache.set(issuer, { metadata, fetchedAt: now });
		return metadata;
	});
	return await promise;
}
