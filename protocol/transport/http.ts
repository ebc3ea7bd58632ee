/**
 * The minimal HTTP shape the protocol core speaks. The package has no HTTP client of its own:
 * glue/send.ts adapts n8n's `helpers.httpRequest` to it (tests use the same adapter over n8n's
 * real request implementation). Keeping it this small keeps the core free of n8n.
 */
export type HttpMethod = 'GET' | 'POST';

export interface HttpRequest {
	method: HttpMethod;
	url: string;
	headers: Record<string, string>;
	/** An `application/x-www-form-urlencoded` body, already encoded. */
	body?: string;
	timeoutMs?: number;
}

export interface HttpResponse {
	status: number;
	/** Lower-case header names. */
	headers: Record<string, string | undefined>;
	/** Raw text; some transports hand over an already parsed JSON object. */
	body: string | Record<string, unknown> | undefined;
}

/** Waits `ms`; the core has no timer of its own (inside n8n it is n8n-workflow's `sleep`). */
export type Sleep = (ms: number) => Promise<void>;

/**
 * Sends one request. A sender that can wait carries `sleep`, which retries use for their backoff;
 * without it a retry that would need a wait is not made.
 */
export type HttpSend = ((request: HttpRequest) => Promise<HttpResponse>) & { sleep?: Sleep };

/** OAuth endpoint answers are small; anything larger is refused rather than held in memory. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

export function lowerCaseHeaders(
	headers: Record<string, unknown>,
): Record<string, string | undefined> {
	const out: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(headers)) {
		out[name.toLowerCase()] = Array.isArray(value)
			? value.join(', ')
			: value === undefined
				? undefined
				: String(value);
	}
	return out;
}
