/**
 * Client assertions obtained elsewhere (RFC 7521 §4.2, RFC 7523 §2.2): a JWT that another system
 * signed for this client, such as a Kubernetes projected service-account token (Entra workload
 * identity federation, Okta and Keycloak federated clients). n8n holds no key; the assertion is
 * read from a file on every token request (projected tokens rotate hourly) or given as a value.
 * It is a bearer secret: no error built here contains it.
 */
import type { ProviderHint } from '../errors/hints';
import { OAuthConfigError } from '../errors/oauthErrors';
import { decodeJwt } from '../vendor/jose';
import type { AudienceContext } from './assertion';

/** Reads at most `maxBytes` of a file on the n8n host (the node passes n8n's file helpers in). */
export type ReadAssertionFile = (path: string, maxBytes: number) => Promise<string>;

export type ClientAssertionSource =
	| {
			kind: 'file';
			path: string;
			/** Absent where n8n gives no file helper (a credential used by the HTTP Request node). */
			read?: ReadAssertionFile;
	  }
	| { kind: 'value'; value: string };

/** An assertion is a few kilobytes; anything larger is not one. */
export const MAX_CLIENT_ASSERTION_BYTES = 64 * 1024;

export const ASSERTION_FILE_FIELD = 'Client Assertion File';
export const ASSERTION_VALUE_FIELD = 'Client Assertion';

function fieldOf(source: ClientAssertionSource): string {
	return source.kind === 'file' ? ASSERTION_FILE_FIELD : ASSERTION_VALUE_FIELD;
}

function whatOf(source: ClientAssertionSource): string {
	return source.kind === 'file' ? `The file "${source.path}"` : 'The client assertion';
}

const BASE64URL_PART = /^[A-Za-z0-9_-]+$/;

/**
 * A JWS compact serialization: three base64url parts, a JSON header with `alg`. Checked before
 * sending, so a wrong file (a PEM key, a JSON document) is named instead of a server's 401.
 */
function checkShape(assertion: string, source: ClientAssertionSource): void {
	const parts = assertion.split('.');
	let header: unknown;
	if (parts.length === 3 && parts.every((part) => BASE64URL_PART.test(part))) {
		try {
			header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
		} catch {
			header = undefined;
		}
	}
	if (
		typeof header !== 'object' ||
		header === null ||
		typeof (header as { alg?: unknown }).alg !== 'string'
	) {
		throw new OAuthConfigError(
			fieldOf(source),
			`${whatOf(source)} does not hold a signed JWT (three base64url parts separated by dots).`,
			source.kind === 'file'
				? 'Point "Client Assertion File" at the token file itself (for Kubernetes, the projected service-account token, e.g. the file AZURE_FEDERATED_TOKEN_FILE names).'
				: 'Give the JWT itself (eyJ…), without quotes, "Bearer " or line breaks.',
		);
	}
}

/** Says clearly when an assertion has expired (decoded, not verified: the server verifies it). */
function checkNotExpired(assertion: string, source: ClientAssertionSource, now: number): void {
	let exp: unknown;
	let decoded = true;
	try {
		exp = decodeJwt(assertion).exp;
	} catch {
		decoded = false;
	}
	if (!decoded)
		throw new OAuthConfigError(
			fieldOf(source),
			`${whatOf(source)} holds a JWT whose claims are not a JSON object.`,
			'Use the token the identity provider issued, unchanged.',
		);
	if (typeof exp === 'number' && exp * 1000 <= now) {
		throw new OAuthConfigError(
			fieldOf(source),
			`${whatOf(source)} holds a client assertion that expired at ${new Date(exp * 1000).toISOString()} (its "exp" claim).`,
			source.kind === 'file'
				? 'Whatever renews the file has stopped: for a Kubernetes projected service-account token, check that the pod still runs with the projected volume (kubelet rewrites it before it expires).'
				: 'Give a current assertion; an expression is evaluated for each item.',
		);
	}
}

/** Checks that need no I/O, done before any request (also before discovery). */
export function validateAssertionSource(source: ClientAssertionSource): void {
	if (source.kind === 'file') {
		if (!source.path.trim())
			throw new OAuthConfigError(
				ASSERTION_FILE_FIELD,
				'No file is named.',
				'Enter the path of the token file on the n8n host, e.g. /var/run/secrets/azure/tokens/azure-identity-token.',
			);
		if (!source.read)
			throw new OAuthConfigError(
				'Client Assertion Source',
				'A client assertion file can only be read by the OAuth Token node: n8n gives a credential used by the HTTP Request node (or its Test button) no file access.',
				'Use the OAuth Token node (Get Token, then send its access_token), or set "Client Assertion Source" to Value with an expression that returns the assertion.',
			);
		return;
	}
	if (!source.value.trim())
		throw new OAuthConfigError(
			ASSERTION_VALUE_FIELD,
			'The client assertion is empty.',
			'Give the JWT that the identity provider issued for this client (an expression works).',
		);
	if (Buffer.byteLength(source.value, 'utf8') > MAX_CLIENT_ASSERTION_BYTES)
		throw new OAuthConfigError(
			ASSERTION_VALUE_FIELD,
			`The client assertion is longer than ${MAX_CLIENT_ASSERTION_BYTES / 1024} KiB; no JWT is that long.`,
			'Give the JWT itself.',
		);
	checkShape(source.value.trim(), source);
}

/** The assertion to send now: read afresh from the file (it rotates), checked, never logged. */
export async function obtainClientAssertion(
	source: ClientAssertionSource,
	now: number,
): Promise<string> {
	validateAssertionSource(source);
	let raw: string;
	if (source.kind === 'file') {
		// validateAssertionSource refused a file source without a reader.
		raw = await (source.read as ReadAssertionFile)(source.path, MAX_CLIENT_ASSERTION_BYTES);
		if (!raw.trim())
			throw new OAuthConfigError(
				ASSERTION_FILE_FIELD,
				`The file "${source.path}" is empty.`,
				'Check what writes the token file; the path must name the token itself.',
			);
	} else raw = source.value;
	const assertion = raw.trim();
	checkShape(assertion, source);
	checkNotExpired(assertion, source, now);
	return assertion;
}

function originOf(value: string): string | undefined {
	if (!URL.canParse(value)) return undefined;
	const url = new URL(value);
	return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
}

/**
 * Whoever receives an assertion can replay it wherever its audience is accepted (CVE-2025-27370),
 * so an assertion made elsewhere goes only where its audience points: to an origin one of its URL
 * audiences names; or, when no audience is an http(s) URL (Entra's api://AzureADTokenExchange, a
 * client ID), to the token endpoint's origin, the server it was configured for.
 */
export function checkExternalAssertionTarget(
	assertion: string,
	url: string,
	context: AudienceContext,
): void {
	const target = originOf(url);
	let audiences: string[] = [];
	try {
		const { aud } = decodeJwt(assertion);
		audiences = Array.isArray(aud) ? aud : typeof aud === 'string' ? [aud] : [];
	} catch {
		audiences = [];
	}
	const urlAudiences = audiences.map(originOf).filter((origin) => origin !== undefined);
	if (target !== undefined) {
		if (urlAudiences.includes(target)) return;
		if (urlAudiences.length === 0 && target === originOf(context.tokenEndpoint)) return;
	}
	const named = urlAudiences.length ? ` (its audience names ${urlAudiences.join(', ')})` : '';
	throw new OAuthConfigError(
		'Client Authentication',
		`Refused to send the client assertion to ${target ?? 'a value that is not a URL'}: its audience does not name that server${named}, so that server could replay it where the audience points.`,
		urlAudiences.length
			? "Use the token URL of the server the assertion is made for, or have the assertion's issuer set this server's URL as its audience."
			: 'Use revocation and introspection URLs on the same host as the token URL.',
	);
}

/** What tells two sources apart in cache keys: the file path (not its content, which rotates), or the value. */
export function assertionSourceMaterial(source: ClientAssertionSource): string[] {
	return source.kind === 'file' ? ['file', source.path] : ['value', source.value.trim()];
}

/** Hints for a client that sends an assertion from elsewhere: n8n signs nothing, so the generic ones would mislead. */
export const CLIENT_ASSERTION_HINTS: ProviderHint[] = [
	{
		id: 'assertion-from-elsewhere-replayed',
		errors: ['invalid_client', 'invalid_grant'],
		description: /jti|replay|already (been )?used|only be used once/i,
		cause:
			'The server accepts each client assertion (its jti) once, and the one from "Client Assertion File" or "Client Assertion" was used before: n8n sends it as it is.',
		fix: 'Have the issuer provide a new assertion for each token request, or use a server that accepts an assertion until it expires (Entra does, for workload identity federation).',
	},
	{
		id: 'assertion-from-elsewhere-refused',
		errors: ['invalid_client', 'unauthorized_client'],
		cause: 'The server did not accept the client assertion from elsewhere.',
		fix: "Register the assertion's issuer and subject for this client on the server (Entra: a federated credential; Okta and Keycloak: the issuer's JWKS or identity provider), and check its audience and that it is current.",
	},
];
