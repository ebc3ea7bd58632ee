/**
 * The package's only way out: adapts n8n's request helper to the protocol core's HttpSend. The
 * node, preAuthentication and the Test button (through preAuthentication) all send through it, so
 * n8n's proxy settings, SSRF protection and the credential's Allowed Domains apply to every request.
 *
 * - The body is read as a stream and counted while it arrives; past MAX_RESPONSE_BYTES the stream
 *   is destroyed (closing the socket) and the answer refused. n8n's axios inflates gzip, deflate and
 *   brotli before the stream, so compressed answers are bounded by their inflated size; asking for
 *   `identity` only saves the work.
 * - The timeout is a deadline over the whole exchange: axios's own `timeout` is an idle timer that
 *   a body dripping one byte at a time never trips, so an AbortSignal.timeout (combined with the
 *   execution's cancel signal in the node) aborts headers and body alike.
 * - Redirects are not followed, so client credentials never reach another host.
 * Use it with plain `helpers.httpRequest` only: `httpRequestWithAuthentication` replaces the signal.
 */

import {
	sleep,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	DEFAULT_TIMEOUT_MS,
	FAILURE_CODES,
	InvalidResponseError,
	MAX_RESPONSE_BYTES,
	lowerCaseHeaders,
	tooLarge,
	transportError,
	type HttpRequest,
	type HttpResponse,
	type HttpSend,
	type OAuthEndpointKind,
} from '../protocol';

export interface SendOptions {
	/** The execution's cancel signal (`this.getExecutionCancelSignal()`), so Stop ends a request. */
	cancelSignal?: AbortSignal;
	endpoint?: OAuthEndpointKind;
}

/** What the package needs of n8n's response stream (typed here: n8n Cloud allows no node:stream import). */
interface BodyStream extends AsyncIterable<Buffer | string> {
	destroy(error?: Error): void;
}

function isReadable(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as BodyStream).destroy === 'function' &&
		Symbol.asyncIterator in body
	);
}

/** Why a request failed, as one of the core's failure codes where the cause is ours or n8n's. */
function failureCause(error: unknown, deadline: AbortSignal, cancel?: AbortSignal): unknown {
	if (deadline.aborted) return { code: FAILURE_CODES.deadline };
	if (cancel?.aborted) return { code: FAILURE_CODES.cancelled };
	const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
	if (name === 'SsrfBlockedIpError' || name === 'SsrfBlockedHostnameError')
		return { code: FAILURE_CODES.ssrf };
	if (typeof message === 'string' && message.startsWith('Domain not allowed'))
		return { code: FAILURE_CODES.domain };
	return error;
}

async function readBounded(body: BodyStream, status: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += buffer.byteLength;
			if (size > MAX_RESPONSE_BYTES) throw tooLarge(status);
			chunks.push(buffer);
		}
	} finally {
		// Destroying closes the socket, so the server stops sending what is not read.
		body.destroy();
	}
	return Buffer.concat(chunks);
}

export function n8nSend(context: IHttpRequestHelper, options: SendOptions = {}): HttpSend {
	const { cancelSignal, endpoint = 'token' } = options;
	const send = async (request: HttpRequest): Promise<HttpResponse> => {
		const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const deadline = AbortSignal.timeout(timeoutMs);
		const signal = cancelSignal ? AbortSignal.any([deadline, cancelSignal]) : deadline;
		try {
			// axios drops an aborted signal's reason and still starts connecting on some paths.
			if (cancelSignal?.aborted) throw new Error('cancelled');
			const response = (await context.helpers.httpRequest({
				method: request.method,
				url: request.url,
				headers: { 'accept-encoding': 'identity', ...request.headers },
				body: request.body,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				encoding: 'stream',
				json: false,
				// Also bounds connecting and waiting for headers; the signal is the real deadline.
				timeout: timeoutMs,
				abortSignal: signal,
			})) as IN8nHttpFullResponse;
			const status = response.statusCode;
			const headers = lowerCaseHeaders(response.headers ?? {});
			const body: unknown = response.body;
			if (!isReadable(body)) {
				// Not a stream (a stand-in helper): still never hand on more than the bound.
				const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString() : '';
				if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES) throw tooLarge(status);
				return { status, headers, body: text };
			}
			// A declared length over the bound is refused before anything is read.
			if (Number(headers['content-length'] ?? 0) > MAX_RESPONSE_BYTES) {
				body.destroy();
				throw tooLarge(status);
			}
			return { status, headers, body: (await readBounded(body, status)).toString('utf8') };
		} catch (error) {
			// The core's own "too large" stays as it is; everything else keeps only a failure code.
			const failure =
				error instanceof InvalidResponseError
					? error
					: transportError(endpoint, request, failureCause(error, deadline, cancelSignal));
			throw failure;
		}
	};
	// Retry backoff waits through n8n's own sleep (no timers in the package).
	return Object.assign(send, { sleep });
}

/** The node's sender: the execution's cancel signal joins the deadline, so Stop ends the request. */
export function nodeSend(context: IExecuteFunctions, endpoint?: OAuthEndpointKind): HttpSend {
	return n8nSend(context, { endpoint, cancelSignal: context.getExecutionCancelSignal() });
}
