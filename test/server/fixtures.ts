/**
 * The test authorization server, as seen from a jest worker: test/globalSetup.mjs starts it
 * (test/server/authServer.mjs) and writes its endpoints and fixtures to the JSON file named by
 * OAUTH_TEST_SERVER_FILE. Every key and secret in it is generated fresh for each jest run.
 *
 * The request log is shared by every test file running in parallel: filter it by `since` and
 * `clientId` (or a unique assertion `jti`) rather than resetting it.
 */
import { readFileSync } from 'node:fs';

export type PrivateKeyJwtAlg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

export interface PublicJwk {
	kty: 'RSA' | 'EC' | 'OKP';
	kid: string;
	alg: PrivateKeyJwtAlg;
	use: 'sig';
	n?: string;
	e?: string;
	crv?: string;
	x?: string;
	y?: string;
	/** RSA keys: the self-signed certificate (base64 DER), as a certificate-registered client has. */
	x5c?: string[];
}

export interface PrivateJwk {
	kty: 'RSA' | 'EC' | 'OKP';
	kid: string;
	alg: PrivateKeyJwtAlg;
	d: string;
	n?: string;
	e?: string;
	p?: string;
	q?: string;
	dp?: string;
	dq?: string;
	qi?: string;
	crv?: string;
	x?: string;
	y?: string;
}

export interface SecretClient {
	client_id: string;
	client_secret: string;
	token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt';
	token_endpoint_auth_signing_alg?: 'HS256';
}

/** A private_key_jwt client and its private key in every format the package imports. */
export interface PrivateKeyJwtClient {
	client_id: string;
	token_endpoint_auth_method: 'private_key_jwt';
	token_endpoint_auth_signing_alg: PrivateKeyJwtAlg;
	/** RFC 7638 thumbprint of the public key; registered as the JWK `kid`. */
	kid: string;
	alg: PrivateKeyJwtAlg;
	/** `-----BEGIN PRIVATE KEY-----` */
	pkcs8Pem: string;
	/** Private JWK, including `kid` and `alg`. */
	jwk: PrivateJwk;
	/** Exactly the JWK the client has registered. */
	publicJwk: PublicJwk;
	/** RSA: `-----BEGIN RSA PRIVATE KEY-----` */
	pkcs1Pem?: string;
	/** RSA: self-signed X.509 certificate of the key (`-----BEGIN CERTIFICATE-----`). */
	certificatePem?: string;
	/** RSA: base64url SHA-1 thumbprint of the certificate (the `x5t` header). */
	x5t?: string;
	/** RSA: base64url SHA-256 thumbprint of the certificate (the `x5t#S256` header). */
	x5tS256?: string;
	/** RS256: `-----BEGIN ENCRYPTED PRIVATE KEY-----`, aes-256-cbc, opened with `passphrase`. */
	encryptedPkcs8Pem?: string;
	passphrase?: string;
	/** RS256: accepted as the JWT bearer assertion `iss` in place of the client id. */
	serviceAccountEmail?: string;
	/** RS256: a Google service-account key file (JSON text) holding this key. */
	googleServiceAccountJson?: string;
	/** ES256: `-----BEGIN EC PRIVATE KEY-----` */
	sec1Pem?: string;
}

/** The RS256 client has every optional format; use this type to read them without `!`. */
export type Rs256Client = PrivateKeyJwtClient &
	Required<
		Pick<
			PrivateKeyJwtClient,
			| 'pkcs1Pem'
			| 'certificatePem'
			| 'x5t'
			| 'x5tS256'
			| 'encryptedPkcs8Pem'
			| 'passphrase'
			| 'serviceAccountEmail'
			| 'googleServiceAccountJson'
		>
	>;

export interface TestUser {
	username: string;
	/** Contains spaces and `+ & = % /` and a non-ASCII letter, to catch form-encoding mistakes. */
	password: string;
}

export interface Fixtures {
	clients: {
		/** client_secret_basic; its secret is `s3cr+t %41:=/'( x`: only RFC 6749 §2.3.1 form-encoded Basic works. */
		basic: SecretClient;
		/** client_secret_post; a Basic header is refused. */
		post: SecretClient;
		/** client_secret_jwt, HS256; the secret is 64 bytes. */
		secretJwt: SecretClient;
		privateKeyJwt: Record<PrivateKeyJwtAlg, PrivateKeyJwtClient>;
	};
	users: { alice: TestUser; bob: TestUser };
	/** RFC 7523 §2.1: the private_key_jwt clients sign grant assertions with their own keys. */
	jwtBearer: {
		clientIds: string[];
		/** A known user for `sub`. */
		subject: string;
		/** Ten more known users for `sub` (mailboxes of a domain-wide delegation). */
		subjects: string[];
		/** Accepted `aud` values: the issuer and the token endpoint. */
		audiences: string[];
		/** `exp` may be at most this far in the future. */
		maxAssertionLifetimeSeconds: number;
		/** Service-account email → client id. Without `sub`, the token is for the service account itself. */
		serviceAccounts: Record<string, string>;
	};
	/** Scopes the server grants: `api:read`, `api:write` (plus `offline_access` for user grants). */
	scopes: string[];
	/** The resource indicator (RFC 8707) every grant knows. */
	resource: string;
	/** Every resource indicator it knows, `resource` first. client_credentials takes one per request; token exchange several. */
	resources: string[];
	/** Audience values a token exchange may target besides the resources. */
	tokenExchange: { audiences: string[] };
	accessTokenTtl: number;
	refreshTokenTtl: number;
}

export interface TestServerInfo {
	/** `http://127.0.0.1:PORT`, no trailing slash. */
	issuer: string;
	tokenEndpoint: string;
	revocationEndpoint: string;
	introspectionEndpoint: string;
	/** RFC 8414 `/.well-known/oauth-authorization-server`. */
	discoveryUrl: string;
	/** `/.well-known/openid-configuration`, same metadata. */
	openidConfigurationUrl: string;
	requestLogUrl: string;
	fixtures: Fixtures;
}

export interface DecodedJwt {
	header: Record<string, unknown>;
	payload: Record<string, unknown>;
}

/** One request to the token, revocation or introspection endpoint. Never holds a secret. */
export interface RecordedRequest {
	seq: number;
	path: string;
	method: string;
	/** Epoch milliseconds, when the request arrived. */
	at: number;
	/** Scheme of the Authorization header. */
	authorization: 'basic' | 'bearer' | 'none' | 'other';
	/** Client id from a Basic header, form-decoded. */
	basicUser: string | null;
	contentType: string | null;
	/** Form parameter names as sent, in order, duplicates kept. */
	bodyKeys: string[];
	/** From Basic, `client_id`, the client assertion `sub`, or a no-client-auth JWT bearer assertion `iss`. */
	clientId: string | null;
	grantType: string | null;
	/** The decoded, unverified `client_assertion`. */
	clientAssertion: DecodedJwt | null;
	/** The decoded, unverified JWT bearer grant `assertion`. */
	assertion: DecodedJwt | null;
	tokenTypeHint: string | null;
	/** RFC 8707 `resource` values, in order. */
	resources: string[];
	audiences: string[];
	/** RFC 8693 token types (the tokens are never recorded). */
	subjectTokenType: string | null;
	actorTokenType: string | null;
	requestedTokenType: string | null;
	/** HTTP status of the response. */
	status: number | null;
	/** OAuth `error` of the response. */
	error: string | null;
	/** The server's internal reason for the error (not sent to the client). */
	errorDetail: string | null;
}

let cached: TestServerInfo | undefined;

export function loadTestServer(): TestServerInfo {
	if (cached) return cached;
	const file = process.env.OAUTH_TEST_SERVER_FILE;
	if (!file) {
		throw new Error(
			'OAUTH_TEST_SERVER_FILE is not set: run the tests with jest, whose globalSetup (test/globalSetup.mjs) starts the test authorization server.',
		);
	}
	cached = JSON.parse(readFileSync(file, 'utf8')) as TestServerInfo;
	return cached;
}

/** The RS256 private_key_jwt client, typed with all its key formats present. */
export function rs256Client(): Rs256Client {
	return loadTestServer().fixtures.clients.privateKeyJwt.RS256 as Rs256Client;
}

/** Requests the server has recorded, optionally only those that arrived at or after `since` (epoch ms). */
export async function serverRequests(since?: number): Promise<RecordedRequest[]> {
	const { requestLogUrl } = loadTestServer();
	const url = since === undefined ? requestLogUrl : `${requestLogUrl}?since=${since}`;
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url} failed: ${response.status}`);
	return (await response.json()) as RecordedRequest[];
}

/** Clears the request log, for every test file at once. Prefer `serverRequests(since)`. */
export async function resetServerLog(): Promise<void> {
	const url = `${loadTestServer().issuer}/__test/reset`;
	const response = await fetch(url, { method: 'POST' });
	if (!response.ok) throw new Error(`POST ${url} failed: ${response.status}`);
}
