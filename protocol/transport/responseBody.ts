/**
 * Reading what an OAuth endpoint sent back: JSON (RFC 6749 §5.1), a form-encoded body (GitHub's
 * default), or something else (an HTML login page from a sleeping instance). The `error` member is
 * checked whatever the status, because some servers answer errors with 200.
 */
import {
	InvalidResponseError,
	OAuthResponseError,
	type OAuthEndpointKind,
} from '../errors/oauthErrors';
import { hintFor, type ProviderHint } from '../errors/hints';
import type { HttpResponse } from './http';

export type JsonObject = Record<string, unknown>;

const ERROR_MEMBERS = new Set(['error', 'error_description', 'error_uri']);
/** Vendor error fields worth passing on (Entra, Okta, Auth0, Salesforce). */
const VENDOR_ERROR_FIELDS = [
	'error_codes',
	'trace_id',
	'correlation_id',
	'timestamp',
	'errorCode',
	'errorSummary',
	'errorId',
	'message',
];

function looksLikeForm(text: string): boolean {
	return /^[\w.~%+-]+=[^&]*(&[\w.~%+-]+=[^&]*)*$/.test(text.trim());
}

/** Parse a body into an object, or return undefined when it is neither JSON nor a form. */
export function parseBodyObject(response: HttpResponse): JsonObject | undefined {
	const { body } = response;
	if (body !== undefined && typeof body === 'object' && body !== null) return body;
	if (typeof body !== 'string') return undefined;
	const text = body.trim();
	if (!text) return undefined;
	const contentType = response.headers['content-type'] ?? '';
	if (text.startsWith('{')) {
		try {
			const parsed: unknown = JSON.parse(text);
			return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
				? (parsed as JsonObject)
				: undefined;
		} catch {
			return undefined;
		}
	}
	if (
		contentType.includes('application/x-www-form-urlencoded') ||
		contentType.includes('text/plain') ||
		looksLikeForm(text)
	) {
		if (!looksLikeForm(text)) return undefined;
		return Object.fromEntries(new URLSearchParams(text).entries());
	}
	return undefined;
}

/** What kind of body this is, in words, for error messages (never its content). */
export function describeBody(response: HttpResponse, withStatus = false): string {
	const contentType = response.headers['content-type'] ?? 'no content type';
	const meta = withStatus ? `HTTP ${response.status}, ${contentType}` : contentType;
	const text = typeof response.body === 'string' ? response.body.trim() : '';
	const object = parseBodyObject(response);
	if (object) {
		// A JSON error answer without an "error" member is still JSON: say so, and what it lacks.
		return response.status < 200 || response.status >= 300
			? `a JSON or form-encoded object without an OAuth "error" member (${meta})`
			: `a JSON or form-encoded object (${meta})`;
	}
	if (!text) return `an empty body (${meta})`;
	if (/^<(!doctype|html)/i.test(text))
		return `an HTML page (${meta}); the URL may point at a login page or a sleeping instance`;
	return `a body that is neither JSON nor form-encoded (${meta})`;
}

function describeUnexpected(response: HttpResponse): string {
	return describeBody(response, true);
}

/** Which provider and grant an error came from, to pick the most specific hint. */
export interface HintContext {
	providerHints?: ProviderHint[];
	grant?: string;
}

/** Raise the server's OAuth error if the body carries one, whatever the status. */
export function throwIfOAuthError(
	endpoint: OAuthEndpointKind,
	response: HttpResponse,
	body: JsonObject | undefined,
	hints: HintContext = {},
): void {
	if (body && typeof body.error === 'string' && body.error) {
		const description =
			typeof body.error_description === 'string' ? body.error_description : undefined;
		const vendorFields: JsonObject = {};
		for (const field of VENDOR_ERROR_FIELDS) {
			if (body[field] !== undefined && !ERROR_MEMBERS.has(field)) vendorFields[field] = body[field];
		}
		const hint = hintFor(body.error, description, { ...hints, endpoint });
		throw new OAuthResponseError({
			status: response.status,
			error: body.error,
			errorDescription: description,
			errorUri: typeof body.error_uri === 'string' ? body.error_uri : undefined,
			endpoint,
			vendorFields,
			hint: hint ? `${hint.cause} ${hint.fix}` : undefined,
		});
	}
	if (response.status < 200 || response.status >= 300) {
		throw new InvalidResponseError(
			endpoint,
			response.status,
			`The ${endpoint} endpoint answered HTTP ${response.status} with ${describeUnexpected(response)}.`,
			response.headers['content-type'],
		);
	}
}

/** A successful JSON (or form) object from an endpoint, or a clear error. */
export function readJsonResult(
	endpoint: OAuthEndpointKind,
	response: HttpResponse,
	hints: HintContext = {},
): JsonObject {
	const body = parseBodyObject(response);
	throwIfOAuthError(endpoint, response, body, hints);
	if (!body) {
		throw new InvalidResponseError(
			endpoint,
			response.status,
			`The ${endpoint} endpoint answered with ${describeUnexpected(response)}.`,
			response.headers['content-type'],
		);
	}
	return body;
}

/** Numbers that servers send as strings ("3600", Salesforce's "1589009375588"). */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value.trim()))
		return Number(value.trim());
	return undefined;
}
