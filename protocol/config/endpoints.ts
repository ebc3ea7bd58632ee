/** Where to send requests: explicit URLs win, otherwise discovery from the issuer. */
import type { EndpointConfig } from './clientConfig';
import { discover, normalizeIssuer, redactUrl } from './discovery';
import { OAuthConfigError } from '../errors/oauthErrors';
import type { HttpSend } from '../transport/http';

export interface ResolvedEndpoints {
	issuer?: string;
	tokenEndpoint: string;
	revocationEndpoint?: string;
	introspectionEndpoint?: string;
	/** The endpoints taken from the issuer's discovery metadata (they answer for that issuer). */
	issuerEndpoints?: string[];
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * A usable endpoint URL: https, or http only to this machine unless the user explicitly allowed
 * it, because secrets and tokens would otherwise cross the network in clear text.
 */
export function checkUrl(field: string, value: string, allowInsecureHttp = false): string {
	const trimmed = value.trim();
	// Error messages show the URL without any user name or password it carries.
	const shown = redactUrl(trimmed);
	if (!URL.canParse(trimmed)) {
		throw new OAuthConfigError(
			field,
			`"${shown}" is not a valid URL.`,
			`Enter a full URL starting with https:// in "${field}".`,
		);
	}
	const url = new URL(trimmed);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new OAuthConfigError(
			field,
			`"${shown}" must use https://.`,
			`Enter a full URL starting with https:// in "${field}".`,
		);
	}
	if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
		throw new OAuthConfigError(
			field,
			`"${shown}" uses plain http://, which would send the client credentials and tokens unencrypted.`,
			'Use the https:// URL. Only for a test server on a trusted network, turn on "Allow Insecure HTTP".',
		);
	}
	if (url.username || url.password) {
		throw new OAuthConfigError(
			field,
			`"${field}" must not contain a user name or password.`,
			'Remove the credentials from the URL; the client is authenticated by the credential settings.',
		);
	}
	return trimmed;
}

export async function resolveEndpoints(
	endpoints: EndpointConfig,
	send: HttpSend,
	now: number,
	timeoutMs?: number,
): Promise<ResolvedEndpoints> {
	const allow = endpoints.allowInsecureHttp === true;
	const optional = (field: string, value: string | undefined) =>
		value?.trim() ? checkUrl(field, value, allow) : undefined;
	const issuerUrl = optional('Issuer URL', endpoints.issuer);
	const issuer = issuerUrl ? normalizeIssuer(issuerUrl) : undefined;
	const explicit = {
		token: optional('Token URL', endpoints.tokenUrl),
		revocation: optional('Revocation URL', endpoints.revocationUrl),
		introspection: optional('Introspection URL', endpoints.introspectionUrl),
	};
	if (explicit.token || !issuer) {
		if (!explicit.token) {
			throw new OAuthConfigError(
				'Token URL',
				'Neither a token URL nor an issuer URL is set.',
				'Enter the issuer URL (the endpoints are discovered) or the token URL.',
			);
		}
		return {
			issuer,
			tokenEndpoint: explicit.token,
			revocationEndpoint: explicit.revocation,
			introspectionEndpoint: explicit.introspection,
		};
	}
	const metadata = await discover(issuer, send, now, timeoutMs);
	if (typeof metadata.token_endpoint !== 'string' || !metadata.token_endpoint) {
		throw new OAuthConfigError(
			'Issuer URL',
			`The metadata of ${issuer} has no token_endpoint.`,
			'Enter the token URL explicitly.',
		);
	}
	// Discovered URLs get the same transport check as typed ones.
	const tokenEndpoint = checkUrl(
		'Issuer URL (discovered token_endpoint)',
		metadata.token_endpoint,
		allow,
	);
	const discoveredRevocation = optional(
		'Issuer URL (discovered revocation_endpoint)',
		metadata.revocation_endpoint,
	);
	const discoveredIntrospection = optional(
		'Issuer URL (discovered introspection_endpoint)',
		metadata.introspection_endpoint,
	);
	const issuerEndpoints = [tokenEndpoint];
	if (!explicit.revocation && discoveredRevocation) issuerEndpoints.push(discoveredRevocation);
	if (!explicit.introspection && discoveredIntrospection)
		issuerEndpoints.push(discoveredIntrospection);
	return {
		issuer,
		tokenEndpoint,
		revocationEndpoint: explicit.revocation ?? discoveredRevocation,
		introspectionEndpoint: explicit.introspection ?? discoveredIntrospection,
		issuerEndpoints,
	};
}
