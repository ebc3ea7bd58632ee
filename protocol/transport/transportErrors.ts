/** Transport failures turned into the package's errors, keeping only a failure code (never the request). */
import { errorCode } from '../errors/attempt';
import {
	InvalidResponseError,
	OAuthTransportError,
	type OAuthEndpointKind,
} from '../errors/oauthErrors';
import { MAX_RESPONSE_BYTES, type HttpRequest } from './http';

export const DEFAULT_TIMEOUT_MS = 30_000;

export function tooLarge(status: number): InvalidResponseError {
	return new InvalidResponseError(
		'token',
		status,
		`The server sent more than ${MAX_RESPONSE_BYTES / 1024} KiB, which no OAuth endpoint answer needs; the rest of the response was not read.`,
	);
}

/** Codes that mean the request never left this machine, so it is safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

const TIMEOUT_CODES = new Set([
	'TimeoutError',
	'ETIMEDOUT',
	'ECONNABORTED',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

/** Codes the send adapter gives failures that have no system error code. */
export const FAILURE_CODES = {
	/** The deadline over the whole exchange passed (headers or body). */
	deadline: 'DEADLINE',
	/** The execution was stopped. */
	cancelled: 'CANCELLED',
	/** n8n's SSRF protection refused the address. */
	ssrf: 'SSRF_BLOCKED',
	/** The credential's Allowed Domains do not include the host. */
	domain: 'DOMAIN_NOT_ALLOWED',
} as const;

/** Words for a failure code; the code itself stays out of the message (n8n would replace the message by its generic text). */
function failureInWords(code: string | undefined): string {
	if (code === undefined) return 'failed';
	if (code === FAILURE_CODES.deadline) return 'timed out: no answer came within the timeout';
	if (code === FAILURE_CODES.cancelled) return 'was cancelled: the execution was stopped';
	if (code === FAILURE_CODES.ssrf)
		return "was blocked by n8n's SSRF protection (the address is in a restricted range)";
	if (code === FAILURE_CODES.domain)
		return "was refused: the credential's Allowed Domains do not include this host";
	if (TIMEOUT_CODES.has(code)) return 'timed out: no answer came within the timeout';
	if (code === 'ECONNREFUSED') return 'failed: the server refused the connection';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
		return 'failed: the host name could not be resolved';
	if (code === 'ECONNRESET' || code.startsWith('UND_ERR_SOCKET') || code === 'EPIPE')
		return 'failed: the connection was closed before an answer came';
	return 'failed';
}

/** A transport error that keeps only the failure code: the original error may hold the request body. */
export function transportError(
	endpoint: OAuthEndpointKind,
	request: HttpRequest,
	error: unknown,
): OAuthTransportError {
	const code = errorCode(error);
	return new OAuthTransportError(
		endpoint,
		`The request to ${new URL(request.url).origin} ${failureInWords(code)}.`,
		code,
		!(code !== undefined && NOT_SENT_CODES.has(code)),
	);
}
