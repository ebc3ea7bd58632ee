/**
 * An HttpSend on Node's fetch, for where n8n's request helper is not available: the credential
 * Test button, the demo, benchmarks and protocol tests. Redirects are not followed, so client
 * credentials are never re-sent to another host.
 */
import { attemptAsync, errorCode } from './attempt';
import { OAuthTransportError, type OAuthEndpointKind } from './errors';
import type { HttpRequest, HttpResponse, HttpSend } from './http';

export const DEFAULT_TIMEOUT_MS = 30_000;

export function fetchSend(endpoint: OAuthEndpointKind = 'token'): HttpSend {
	return async (request: HttpRequest): Promise<HttpResponse> => {
		const outcome = await attemptAsync(async () => {
			const response = await fetch(request.url, {
				method: request.method,
				headers: request.headers,
				body: request.body,
				redirect: 'manual',
				signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
			});
			return { response, text: await response.text() };
		});
		if (!outcome.ok) throw transportError(endpoint, request, outcome.error);
		const { response, text } = outcome.value;
		const headers: Record<string, string | undefined> = {};
		response.headers.forEach((value, name) => {
			headers[name.toLowerCase()] = value;
		});
		return { status: response.status, headers, body: text };
	};
}

/** Codes that mean the request never left this machine, so it is safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/** A transport error that keeps only the failure code: the original error may hold the request body. */
export function transportError(endpoint: OAuthEndpointKind, request: HttpRequest, error: unknown): OAuthTransportError {
	const code = errorCode(error);
	const what = code === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? 'timed out' : 'failed';
	return new OAuthTransportError(endpoint, `The request to ${new URL(request.url).origin} ${what}${code ? ` (${code})` : ''}.`, code, !(code !== undefined && NOT_SENT_CODES.has(code)));
}
