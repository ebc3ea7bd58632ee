/**
 * Known causes of token-endpoint errors, turned into what to change. One table, used by the
 * error mapping and (later) rendered into the README, so the two cannot drift apart.
 */
export interface ErrorHint {
	id: string;
	/** OAuth `error` codes this applies to; empty = any. */
	errors: string[];
	/** Matched against `error_description` (case-insensitive). */
	description?: RegExp;
	endpoint?: 'token' | 'revocation' | 'introspection';
	/** Grants this applies to only (client_credentials, password, jwt_bearer, token_exchange, refresh_token); unset = any. */
	grants?: string[];
	/** Tried before the provider's hints: for its grants the error can mean nothing else. */
	decisive?: boolean;
	cause: string;
	fix: string;
}

export const ERROR_HINTS: ErrorHint[] = [
	{
		id: 'refresh-token-invalid',
		errors: ['invalid_grant'],
		// On a refresh, invalid_grant is about the refresh token whatever the description says.
		grants: ['refresh_token'],
		decisive: true,
		cause:
			'The refresh token expired, was revoked, or was already used (servers that rotate refresh tokens accept each one once).',
		fix: 'Use the newest refresh token from the last refresh; if none works, get a new token with the original grant.',
	},
	{
		id: 'password-grant',
		errors: ['invalid_grant'],
		// Only the password grant sends a username and password; other grants' invalid_grant is not about them.
		grants: ['password'],
		cause:
			'The server refused the username and password: they are wrong, the account is locked or needs another step (e.g. MFA), or the user may not use this client.',
		fix: 'Check "Username" and "Password" in the credential, and that the user is allowed to use this OAuth client.',
	},
	{
		id: 'revoke-other-client',
		errors: ['invalid_request', 'unauthorized_client', 'access_denied'],
		description:
			/not (authori[sz]ed|allowed|permitted)|another client|other client|different client|belong/i,
		endpoint: 'revocation',
		cause:
			'The token was issued to another client: a server lets only the client a token was issued to revoke it (RFC 7009 §2.1).',
		fix: 'Revoke it with the credential of the client that obtained the token.',
	},
	{
		id: 'revoke-invalid-token',
		errors: ['invalid_token'],
		endpoint: 'revocation',
		cause:
			"The server says the token is not valid: it is already revoked or expired, or is not a token of this server (Salesforce answers this way instead of RFC 7009's HTTP 200).",
		fix: 'If the token only needs to be unusable, turn on "Treat Invalid Token as Already Revoked".',
	},
	{
		id: 'revoke-unsupported-type',
		errors: ['unsupported_token_type'],
		endpoint: 'revocation',
		cause:
			'The server does not revoke this type of token (RFC 7009 §2.2.1); some servers revoke only refresh tokens.',
		fix: 'Revoke the refresh token instead, or set "Token Type Hint" to the type of the token you pass.',
	},
	{
		id: 'assertion-replayed',
		errors: ['invalid_client', 'invalid_grant'],
		description: /jti|replay|already (been )?used|only be used once/i,
		cause: 'The server saw this assertion ID (jti) before.',
		fix: 'Each request must carry a new assertion; this package signs a fresh one per request, so check for another client sending copies of the same assertion.',
	},
	{
		id: 'assertion-audience',
		errors: ['invalid_client', 'invalid_grant'],
		description: /aud(ience)?/i,
		cause: 'The assertion audience ("aud") is not what the server expects.',
		fix: 'Change "Assertion Audience": the default (the issuer when known) suits most servers, others want the token endpoint URL; Salesforce wants https://login.salesforce.com or https://test.salesforce.com.',
	},
	{
		id: 'assertion-expired',
		errors: ['invalid_client', 'invalid_grant'],
		description: /expired|\bexp\b|too far|iat|nbf|not yet valid|clock/i,
		cause: 'The assertion is expired, not yet valid, or its lifetime is too long for the server.',
		fix: 'Check the clock of the n8n host (NTP) and keep "Assertion Lifetime" short (60 to 300 seconds).',
	},
	{
		id: 'assertion-signature',
		errors: ['invalid_client', 'invalid_grant'],
		description: /signature|alg|key|jwks|verif|kid/i,
		cause:
			'The server could not verify the assertion signature with the key or algorithm it has registered for this client.',
		fix: 'Register the public key (or certificate) that matches "Private Key", pick the algorithm the server expects, and set "Key ID" if the server holds several keys.',
	},
	{
		id: 'client-authentication',
		errors: ['invalid_client', 'unauthorized_client'],
		cause: 'The server did not accept the client credentials.',
		fix: 'Check the client ID and secret (or key), and that "Client Authentication" matches what the client is registered for (Basic header, body, or JWT).',
	},
	{
		id: 'jwt-bearer-subject',
		errors: ['invalid_grant'],
		grants: ['jwt_bearer'],
		cause:
			'The server refused the JWT bearer assertion: the user named in "Subject" is unknown to it, or has not approved (or been pre-authorized for) this client.',
		fix: 'Put the user the token is for in "Subject" (for Salesforce, the username), and let that user use the client on the server (Salesforce: Permitted Users "Admin approved users are pre-authorized").',
	},
	{
		id: 'token-exchange-request',
		errors: ['invalid_request'],
		// RFC 8693 §2.2.2: invalid_request covers a missing, invalid or unacceptable subject or actor token.
		grants: ['token_exchange'],
		cause:
			'The server refused the token exchange request (RFC 8693 §2.2.2): the subject token is missing, expired, not one it accepts, or not of the type named; or an actor token is invalid or came without its type.',
		fix: 'Check that the Get Token node\'s "Subject Token" holds the token itself (e.g. {{ $json.access_token }}, not an expired one) and that the credential\'s "Subject Token Type" matches it (a token this server issued: Access Token; a JWT from another issuer: JWT); with an actor token, set "Actor Token Type".',
	},
	{
		id: 'single-resource',
		errors: ['invalid_target'],
		description: /single|only one|one resource|multiple/i,
		cause:
			'The server issues a token for one resource at a time (RFC 8707 leaves to the server whether one token may serve several), and this request named several.',
		fix: 'Keep one URI in "Resource" and use one credential (or one Get Token item) per API.',
	},
	{
		id: 'token-exchange-target',
		errors: ['invalid_target'],
		grants: ['token_exchange'],
		cause:
			'The server will not issue a token for the requested audience or resource (RFC 8693 §2.2.2): it does not know it, or this client or subject may not get a token for it.',
		fix: 'Change "Audience" or "Resource" in the credential (Show Advanced Settings) to a target the server has registered for this client, or clear them to let the server choose.',
	},
	{
		id: 'invalid-target',
		errors: ['invalid_target'],
		cause:
			'The server does not know the requested resource, or this client may not get a token for it (RFC 8707 §2).',
		fix: 'Change "Resource" in the credential (Show Advanced Settings) to a resource URI the server has registered, or clear it.',
	},
	{
		id: 'unsupported-grant',
		errors: ['unsupported_grant_type'],
		cause: 'The server does not allow this grant type for this client.',
		fix: 'Enable the grant for the client on the server, or choose another "Grant Type".',
	},
	{
		id: 'invalid-scope',
		errors: ['invalid_scope'],
		cause: 'A requested scope is unknown or not allowed for this client.',
		fix: 'Check "Scope" against the scopes granted to the client (space-separated).',
	},
];

/** Where an error came from: the endpoint and the grant of the request. */
export interface HintScope {
	grant?: string;
	endpoint?: string;
}

export function hintMatches(
	hint: ErrorHint,
	error: string,
	description: string | undefined,
	scope: HintScope = {},
): boolean {
	return (
		(hint.errors.length === 0 || hint.errors.includes(error)) &&
		(!hint.description || (description !== undefined && hint.description.test(description))) &&
		(!hint.grants || (scope.grant !== undefined && hint.grants.includes(scope.grant))) &&
		(!hint.endpoint || hint.endpoint === scope.endpoint)
	);
}

export function findHint(
	error: string,
	description: string | undefined,
	scope: HintScope = {},
): ErrorHint | undefined {
	return ERROR_HINTS.find((hint) => hintMatches(hint, error, description, scope));
}

/** A provider preset's hint: the same shape, tried before the generic ones. */
export type ProviderHint = ErrorHint;

/**
 * The hint for an error: a decisive generic hint for this very grant first (a refresh's
 * invalid_grant is always about the refresh token), then the provider's, then the generic ones,
 * each only for the grants it names.
 */
export function hintFor(
	error: string,
	description: string | undefined,
	context: HintScope & { providerHints?: ProviderHint[] } = {},
): ErrorHint | undefined {
	const forThisGrant = ERROR_HINTS.find(
		(hint) => hint.decisive === true && hintMatches(hint, error, description, context),
	);
	const own = (context.providerHints ?? []).find((hint) =>
		hintMatches(hint, error, description, context),
	);
	return forThisGrant ?? own ?? findHint(error, description, context);
}
