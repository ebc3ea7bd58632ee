/** Where to send requests: explicit URLs win, otherwise discovery from the issuer. */
import type { EndpointConfig } from './config';
import { discover, normalizeIssuer } from './discovery';
import { OAuthConfigError } from './errors';
import type { HttpSend } from './http';

export interface ResolvedEndpoints {
	issuer?: string;
	tokenEndpoint: string;
	revocationEndpoint?: string;
	introspectionEndpoint?: string;
}

export function checkUrl(field: string, value: string): string {
	const trimmed = value.trim();
	if (!URL.canParse(trimmed)) {
		throw new OAuthConfigError(field, `"${trimmed}" is not a valid URL.`, `Enter a full URL starting with https:// in "${field}".`);
	}
	const url = new URL(trimmed);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new OAuthConfigError(field, `"${trimmed}" must use https://.`, `Enter a full URL starting with https:// in "${field}".`);
	}
	if (url.username || url.password) {
		throw new OAuthConfigError(field, `"${field}" must not contain a user name or password.`, 'Remove the credentials from the URL; the client is authenticated by the credential settings.');
	}
	return trimmed;
}

export async function resolveEndpoints(endpoints: EndpointConfig, send: HttpSend, now: number, timeoutMs?: number): Promise<ResolvedEndpoints> {
	const issuer = endpoints.issuer?.trim() ? normalizeIssuer(checkUrl('Issuer URL', endpoints.issuer)) : undefined;
	const explicit = {
		token: endpoints.tokenUrl?.trim() ? checkUrl('Token URL', endpoints.tokenUrl) : undefined,
		revocation: endpoints.revocationUrl?.trim() ? checkUrl('Revocation URL', endpoints.revocationUrl) : undefined,
		introspection: endpoints.introspectionUrl?.trim() ? checkUrl('Introspection URL', endpoints.introspectionUrl) : undefined,
	};
	if (explicit.token || !issuer) {
		if (!explicit.token) {
			throw new OAuthConfigError('Token URL', 'Neither a token URL nor an issuer URL is set.', 'Enter the issuer URL (the endpoints are discovered) or the token URL.');
		}
		return { issuer, tokenEndpoint: explicit.token, revocationEndpoint: explicit.revocation, introspectionEndpoint: explicit.introspection };
	}
	const metadata = await discover(issuer, send, now, timeoutMs);
	if (!metadata.token_endpoint) {
		throw new OAuthConfigError('Issuer URL', `The metadata of ${issuer} has no token_endpoint.`, 'Enter the token URL explicitly.');
	}
	return {
		issuer,
		tokenEndpoint: metadata.token_endpoint,
		revocationEndpoint: explicit.revocation ?? metadata.revocation_endpoint,
		introspectionEndpoint: explicit.introspection ?? metadata.introspection_endpoint,
	};
}
