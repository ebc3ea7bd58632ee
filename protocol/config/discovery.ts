/**
 * Authorization server metadata (RFC 8414, falling back to OpenID Connect Discovery), fetched
 * once per issuer and cached; concurrent look-ups share one request.
 */
import { InvalidResponseError, OAuthConfigError } from '../errors/oauthErrors';
import type { HttpSend } from '../transport/http';
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

export function normalizeIssuer(issuer: string): string {
	return issuer.trim().replace(/\/+$/, '');
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
		if (typeof body.issuer !== 'string' || normalizeIssuer(body.issuer) !== issuer) {
			throw new InvalidResponseError(
				'discovery',
				response.status,
				`The metadata at ${url} names issuer "${String(body.issuer)}", not "${issuer}" (RFC 8414 §3.3 requires them to match).`,
			);
		}
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
			`"${issuerInput}" is not a valid URL.`,
			'Enter the issuer URL, e.g. https://auth.example.com or https://keycloak.example.com/realms/myrealm.',
		);
	}
	const cached = metadataCache.get(issuer);
	if (cached && now - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.metadata;
	// An expired entry goes at once rather than waiting to be pushed out by newer issuers.
	if (cached) metadataCache.delete(issuer);
	const { promise } = flights.run(issuer, async () => {
		const metadata = await fetchMetadata(issuer, send, timeoutMs);
		metadataCache.set(issuer, { metadata, fetchedAt: now });
		return metadata;
	});
	return await promise;
}
