/**
 * Reads the fields of an `oauthClientSecretApi` / `oauthPrivateKeyJwtApi` credential into a
 * ClientConfig (config/fromCredential.ts then applies the provider preset). Pure (no n8n import), so the node, the credential test and the tests share it.
 * Field names here are the credential property names.
 */
import {
	checkAssertionLifetime,
	DEFAULT_ASSERTION_LIFETIME_SECONDS,
	type AssertionSettings,
	type AssertionType,
	type AudienceMode,
	type HmacAlgorithm,
} from '../clientAuth/assertion';
import type { ClientAssertionClaims, ClientAuth } from '../clientAuth/clientAuth';
import type { ClientConfig, GrantConfig, TokenExchangeGrant } from './clientConfig';
import { resourceIndicators } from './resourceIndicators';
import { tokenTypeUri } from '../grants/tokenExchange';
import type { ClientAssertionSource, ReadAssertionFile } from '../clientAuth/externalAssertion';
import { OAuthConfigError } from '../errors/oauthErrors';
import type { BasicEncoding } from '../clientAuth/formEncode';
import {
	importSigningKey,
	type AsymmetricAlgorithm,
	type SigningKey,
	type ThumbprintHeader,
} from '../clientAuth/keys';

export type CredentialKind = 'clientSecret' | 'privateKeyJwt';
export type CredentialData = Record<string, unknown>;

/** I/O the caller can give the configuration (the node has n8n's file helpers; a credential in the HTTP Request node has none). */
export interface CredentialIo {
	readAssertionFile?: ReadAssertionFile;
}

/** "Client Assertion From Elsewhere": the source a credential names (no key is read then). */
function assertionSource(data: CredentialData, io: CredentialIo): ClientAssertionSource {
	return str(data, 'clientAssertionSource') === 'value'
		? { kind: 'value', value: str(data, 'clientAssertionValue') }
		: { kind: 'file', path: str(data, 'clientAssertionFile').trim(), read: io.readAssertionFile };
}

/** Credentials saved by the current form hold 2; older ones (n8n resolves them to 1) keep their old meaning. */
export function formVersion(data: CredentialData): number {
	const value = Number(data.formVersion ?? 1);
	return Number.isFinite(value) ? value : 1;
}

function str(data: CredentialData, name: string): string {
	const value = data[name];
	return typeof value === 'string'
		? value
		: value === undefined || value === null
			? ''
			: String(value);
}

function num(data: CredentialData, name: string, field: string): number | undefined {
	const value = data[name];
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(n) || n < 0) {
		throw new OAuthConfigError(
			field,
			`"${field}" must be a number of seconds, 0 or more.`,
			`Enter a whole number of seconds in "${field}".`,
		);
	}
	return n;
}

function jsonObject(data: CredentialData, name: string, field: string): Record<string, unknown> {
	const raw = data[name];
	if (raw === undefined || raw === null || raw === '') return {};
	if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(String(raw));
		if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
			return parsed as Record<string, unknown>;
	} catch {
		// fall through to the error below
	}
	throw new OAuthConfigError(
		field,
		`"${field}" must be a JSON object, like {"access_type": "offline"}.`,
		`Fix the JSON in "${field}" or clear it.`,
	);
}

function stringParams(object: Record<string, unknown>, field: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(object)) {
		if (value === null || typeof value === 'object') {
			throw new OAuthConfigError(
				field,
				`The value of "${name}" in "${field}" must be a string, number or boolean.`,
			);
		}
		out[name] = String(value);
	}
	return out;
}

function assertionSettings(data: CredentialData): AssertionSettings {
	const lifetime = num(data, 'assertionLifetime', 'Assertion Lifetime');
	const lifetimeSeconds = lifetime && lifetime > 0 ? lifetime : DEFAULT_ASSERTION_LIFETIME_SECONDS;
	// Checked here, so a year-long assertion is refused before discovery or any other request.
	checkAssertionLifetime(lifetimeSeconds);
	return {
		// Unset (older credentials' default was the token endpoint, which stays available): the issuer when known.
		audienceMode: (str(data, 'assertionAudience') || 'auto') as AudienceMode,
		customAudience: str(data, 'customAudience'),
		lifetimeSeconds,
		typ: (str(data, 'assertionType') || 'JWT') as AssertionType,
	};
}

const HMAC_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];

function hmacAlgorithm(value: string): HmacAlgorithm {
	if (HMAC_ALGORITHMS.includes(value)) return value as HmacAlgorithm;
	throw new OAuthConfigError(
		'Signing Algorithm',
		`"${value}" is not an HMAC algorithm for client_secret_jwt; HS256, HS384 and HS512 are.`,
		'Choose HS256 (what most servers expect), HS384 or HS512 in "Signing Algorithm".',
	);
}

function signingKey(data: CredentialData): SigningKey {
	return importSigningKey({
		privateKey: str(data, 'privateKey'),
		passphrase: str(data, 'passphrase') || undefined,
		algorithm: (str(data, 'algorithm') || 'auto') as AsymmetricAlgorithm | 'auto',
		keyId: str(data, 'keyId') || undefined,
		certificate: str(data, 'publicCertificate') || undefined,
		thumbprintHeader: (str(data, 'thumbprintHeader') || 'none') as ThumbprintHeader,
	});
}

/** RFC 8693: the credential holds the token types and a fallback subject (and actor) token. */
function tokenExchangeGrant(data: CredentialData): TokenExchangeGrant {
	const type = (name: string, field: string, fallback: string) =>
		tokenTypeUri(
			str(data, name) || fallback,
			str(data, `custom${name[0].toUpperCase()}${name.slice(1)}`),
			field,
		);
	const actorToken = str(data, 'actorToken').trim();
	return {
		type: 'token_exchange',
		subjectToken: str(data, 'subjectToken').trim(),
		subjectTokenType: type('subjectTokenType', 'Subject Token Type', 'access_token'),
		actorToken: actorToken || undefined,
		actorTokenType: type('actorTokenType', 'Actor Token Type', 'none') || undefined,
		requestedTokenType: type('requestedTokenType', 'Requested Token Type', 'none') || undefined,
	};
}

/**
 * "Send Scope as Claim" and "Extra Claims" go into the client assertion when there is no grant
 * assertion (with the JWT bearer grant they stay the grant assertion's). Unset: no claims, as before.
 */
function clientAssertionClaims(
	data: CredentialData,
	grantType: string,
): { claims?: ClientAssertionClaims } {
	// Form 1 read these fields only for the JWT bearer grant; its credentials resolve as before.
	if (grantType === 'jwtBearer' || formVersion(data) < 2) return {};
	const extra = jsonObject(data, 'extraClaims', 'Extra Claims');
	const claims: ClientAssertionClaims = {
		...(Object.keys(extra).length ? { extra } : {}),
		...(data.scopeInClaim === true ? { scope: 'string' as const } : {}),
	};
	return Object.keys(claims).length ? { claims } : {};
}

/** The configuration a credential's own fields describe, before any provider preset is applied. */
export function baseConfigFromCredential(
	kind: CredentialKind,
	data: CredentialData,
	io: CredentialIo = {},
): ClientConfig {
	const grantType = str(data, 'grantType') || 'clientCredentials';
	let clientId = str(data, 'clientId').trim();
	let auth: ClientAuth;
	let grant: GrantConfig;
	let key: SigningKey | undefined;

	if (kind === 'clientSecret') {
		const method = str(data, 'clientAuthentication') || 'client_secret_basic';
		const clientSecret = str(data, 'clientSecret');
		if (method === 'client_secret_basic')
			auth = {
				method,
				clientId,
				clientSecret,
				encoding: (str(data, 'basicEncoding') || 'strict') as BasicEncoding,
			};
		else if (method === 'client_secret_post') auth = { method, clientId, clientSecret };
		else if (method === 'client_secret_jwt')
			auth = {
				method,
				clientId,
				clientSecret,
				alg: hmacAlgorithm(str(data, 'hmacAlgorithm') || 'HS256'),
				assertion: assertionSettings(data),
			};
		else
			throw new OAuthConfigError(
				'Client Authentication',
				`Unknown client authentication "${method}".`,
			);
	} else if (str(data, 'clientAssertionOrigin') === 'elsewhere' && grantType !== 'jwtBearer') {
		// No key in n8n: the JWT bearer grant still signs its own assertion, so it keeps the key.
		auth = { method: 'client_assertion', clientId, source: assertionSource(data, io) };
	} else {
		key = signingKey(data);
		if (!clientId && key.serviceAccount) clientId = key.serviceAccount.clientId ?? '';
		const method = str(data, 'clientAuthentication') || 'private_key_jwt';
		if (method === 'private_key_jwt')
			auth = {
				method,
				clientId,
				key,
				assertion: assertionSettings(data),
				...clientAssertionClaims(data, grantType),
			};
		else if (method === 'none') auth = { method, clientId: undefined };
		else
			throw new OAuthConfigError(
				'Client Authentication',
				`Unknown client authentication "${method}".`,
			);
		if (method === 'none' && grantType !== 'jwtBearer') {
			throw new OAuthConfigError(
				'Client Authentication',
				'Without client authentication only the JWT bearer grant can be used.',
				'Choose "Private Key JWT" client authentication, or the JWT bearer grant.',
			);
		}
	}

	if (grantType === 'clientCredentials') grant = { type: 'client_credentials' };
	else if (grantType === 'password')
		grant = { type: 'password', username: str(data, 'username'), password: str(data, 'password') };
	else if (grantType === 'jwtBearer') {
		if (!key)
			throw new OAuthConfigError(
				'Grant Type',
				'The JWT bearer grant needs a private key; use the "OAuth Private Key JWT API" credential.',
			);
		grant = {
			type: 'jwt_bearer',
			key,
			issuer: str(data, 'assertionIssuer').trim() || key.serviceAccount?.clientEmail || clientId,
			subject: str(data, 'subject').trim() || undefined,
			assertion: assertionSettings(data),
			scopeInClaim: data.scopeInClaim === true,
			extraClaims: jsonObject(data, 'extraClaims', 'Extra Claims'),
		};
	} else if (grantType === 'tokenExchange') grant = tokenExchangeGrant(data);
	else throw new OAuthConfigError('Grant Type', `Unknown grant type "${grantType}".`);

	const serviceAccountTokenUri = key?.serviceAccount?.tokenUri;
	const config: ClientConfig = {
		clientId,
		auth,
		endpoints: {
			issuer: str(data, 'endpointMode') === 'discovery' ? str(data, 'issuerUrl') : undefined,
			tokenUrl:
				str(data, 'endpointMode') === 'discovery'
					? undefined
					: str(data, 'tokenUrl') || serviceAccountTokenUri,
			revocationUrl: str(data, 'revocationUrl') || undefined,
			introspectionUrl: str(data, 'introspectionUrl') || undefined,
			allowInsecureHttp: data.allowInsecureHttp === true,
		},
		grant,
		scope: str(data, 'scope').trim() || undefined,
		audience: str(data, 'audience').trim() || undefined,
		// Credentials saved before several were allowed keep sending their one value as is.
		resource: resourceIndicators(
			str(data, 'resource'),
			'Resource',
			formVersion(data) >= 2 ? 'stored' : 'legacy',
		),
		extraParams: stringParams(
			jsonObject(data, 'additionalParameters', 'Additional Body Parameters'),
			'Additional Body Parameters',
		),
		timeoutMs: (num(data, 'timeout', 'Timeout') || 30) * 1000,
		lifespans: {
			accessTokenSeconds: num(data, 'accessTokenLifespan', 'Access Token Lifespan'),
			refreshTokenSeconds: num(data, 'refreshTokenLifespan', 'Refresh Token Lifespan'),
		},
	};
	return config;
}
