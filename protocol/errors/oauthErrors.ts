/**
 * Errors the protocol core raises. The n8n glue maps them: configuration errors become
 * NodeOperationError (raised before any request), the others NodeApiError.
 * No error built here ever carries a secret: request bodies are never attached.
 */

/** Bad configuration or input, found before any network call. `field` names the setting to change. */
export class OAuthConfigError extends Error {
	readonly field: string;
	readonly hint?: string;

	constructor(field: string, message: string, hint?: string) {
		super(message);
		this.name = 'OAuthConfigError';
		this.field = field;
		this.hint = hint;
	}
}

export type OAuthEndpointKind = 'token' | 'revocation' | 'introspection' | 'discovery';

/** What the authorization server answered with an OAuth error (RFC 6749 §5.2 shape). */
export class OAuthResponseError extends Error {
	readonly status: number;
	readonly error: string;
	readonly errorDescription?: string;
	readonly errorUri?: string;
	readonly endpoint: OAuthEndpointKind;
	/** Vendor fields worth showing (Entra `error_codes`, `trace_id`, `correlation_id`, …). */
	readonly vendorFields: Record<string, unknown>;
	/** What to change, when the cause is known. */
	hint?: string;

	constructor(args: {
		status: number;
		error: string;
		errorDescription?: string;
		errorUri?: string;
		endpoint: OAuthEndpointKind;
		vendorFields?: Record<string, unknown>;
		hint?: string;
	}) {
		super(
			args.errorDescription
				? `${args.error}: ${args.errorDescription}`
				: `The authorization server answered "${args.error}"`,
		);
		this.name = 'OAuthResponseError';
		this.status = args.status;
		this.error = args.error;
		this.errorDescription = args.errorDescription;
		this.errorUri = args.errorUri;
		this.endpoint = args.endpoint;
		this.vendorFields = args.vendorFields ?? {};
		this.hint = args.hint;
	}
}

/** A response that is not what the protocol says (not JSON, no access_token, HTML page, …). */
export class InvalidResponseError extends Error {
	readonly status: number;
	readonly endpoint: OAuthEndpointKind;
	readonly contentType?: string;
	/** What to change, when the cause is known (the glue has a general one otherwise). */
	readonly hint?: string;

	constructor(
		endpoint: OAuthEndpointKind,
		status: number,
		message: string,
		contentType?: string,
		hint?: string,
	) {
		super(message);
		this.name = 'InvalidResponseError';
		this.endpoint = endpoint;
		this.status = status;
		this.contentType = contentType;
		this.hint = hint;
	}
}

/** The request did not complete (connection refused, reset, timeout). */
export class OAuthTransportError extends Error {
	readonly endpoint: OAuthEndpointKind;
	readonly code?: string;
	/** True when the request may have reached the server (then it must not be retried blindly). */
	readonly mayHaveReachedServer: boolean;

	constructor(
		endpoint: OAuthEndpointKind,
		message: string,
		code?: string,
		mayHaveReachedServer = true,
	) {
		super(message);
		this.name = 'OAuthTransportError';
		this.endpoint = endpoint;
		this.code = code;
		this.mayHaveReachedServer = mayHaveReachedServer;
	}
}
