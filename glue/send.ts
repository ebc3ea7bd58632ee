/**
 * The package's HTTP caller inside n8n: adapts n8n's request helper to the protocol core's HttpSend.
 * It takes any holder of `helpers.httpRequest` (IHttpRequestHelper), so the node and the
 * credentials' preAuthentication (which gets only that helper) share it.
 * Client authentication is added by the protocol core (it signs a fresh assertion per request),
 * so requests go out through `httpRequest` with the body already authenticated. Redirects are
 * not followed, so client credentials never reach another host.
 */
import type { IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import {
	attemptAsync,
	DEFAULT_TIMEOUT_MS,
	MAX_RESPONSE_BYTES,
	tooLarge,
	lowerCaseHeaders,
	transportError,
	type HttpRequest,
	type HttpResponse,
	type HttpSend,
	type OAuthEndpointKind,
} from '../protocol';

export function n8nSend(
	context: IHttpRequestHelper,
	endpoint: OAuthEndpointKind = 'token',
): HttpSend {
	return async (request: HttpRequest): Promise<HttpResponse> => {
		const outcome = await attemptAsync(
			async () =>
				(await context.helpers.httpRequest({
					method: request.method,
					url: request.url,
					headers: request.headers,
					body: request.body,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					encoding: 'text',
					json: false,
					timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				})) as IN8nHttpFullResponse,
		);
		if (!outcome.ok) throw transportError(endpoint, request, outcome.error);
		const response = outcome.value;
		const body = response.body;
		if (typeof body === 'string' && Buffer.byteLength(body, 'utf8') > MAX_RESPONSE_BYTES)
			throw tooLarge(response.statusCode);
		return {
			status: response.statusCode,
			headers: lowerCaseHeaders(response.headers ?? {}),
			body:
				typeof body === 'string' ||
				(typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !('pipe' in body))
					? (body as string | Record<string, unknown>)
					: Buffer.isBuffer(body)
						? body.toString('utf8')
						: undefined,
		};
	};
}
