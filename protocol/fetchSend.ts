/**
 * An HttpSend on Node's fetch, for where n8n's request helper is not available: the credential
 * Test button, the demo, benchmarks and protocol tests. Redirects are not followed, so client
 * credentials are never re-sent to another host.
 */
import { attemptAsync, errorCode } from './attempt';
import { InvalidResponseError, OAuthTransportError, type OAuthEndpointKind } from './errors';
import { MAX_RESPONSE_BYTES, type HttpRequest, type HttpResponse, type HttpSend } from './http';

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
			return { response, text: await readBounded(response) };
		});
		if (!outcome.ok) {
			if (outcome.error instanceof InvalidResponseError) throw outcome.error;
			throw transportError(endpoint, request, outcome.error);
		}
		const { response, text } = outcome.value;
		const headers: Record<string, string | undefined> = {};
		response.headers.forEach((value, name) => {
			headers[name.toLowerCase()] = value;
		});
		return { status: response.status, headers, body: text };
	};
}

/** Reads the body as text, refusing more than MAX_RESPONSE_BYTES. */
async function readBounded(response: Response): Promise<string> {
	const declared = Number(response.headers.get('content-length') ?? '0');
	if (declared > MAX_RESPONSE_BYTES) {
		await response.body?.cancel();
		throw tooLarge(response.status);
	}
	if (!response.body) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		size += chunk.byteLength;
		if (size > MAX_RESPONSE_BYTES) throw tooLarge(response.status);
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export function tooLarge(status: number): InvalidResponseError {
	return new InvalidResponseError('token', status, `The server sent more than ${MAX_RESPONSE_BYTES / 1024} KiB, which no OAuth endpoint answer needs; the response was not read.`);
}

/** Codes that mean the request never left this machine, so it is safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

const TIMEOUT_CODES = new Set(['TimeoutError', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Words for a failure code; the code itself stays out of the message (n8n would replace the message by its generic text). */
function failureInWords(code: string | undefined): string {
	if (code === undefined) return 'failed';
	if (TIMEOUT_CODES.has(code)) return 'timed out: no answer came within the timeout';
	if (code === 'ECONNREFUSED') return 'failed: the server refused the connection';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'failed: the host name could not be resolved';
	if (code === 'ECONNRESET' || code.startsWith('UND_ERR_SOCKET') || code === 'EPIPE') return 'failed: the connection was closed before an answer came';
	return 'failed';
}

/** A transport error that keeps only the failure code: the original error may hold the request body. */
export function transportError(endpoint: OAuthEndpointKind, request: HttpRequest, error: unknown): OAuthTransportError {
	const code = errorCode(error);
	return new OAuthTransportError(endpoint, `The request to ${new URL(request.url).origin} ${failureInWords(code)}.`, code, !(code !== undefined && NOT_SENT_CODES.has(code)));
}
