/**
 * Bounded retries for requests that are safe to repeat: 429 and 503 answers (honouring
 * Retry-After) and failures before the request left this machine. Each attempt rebuilds the
 * request, so a retried client assertion carries a new `jti`. Never used for refresh requests,
 * which must not be sent twice once they may have reached the server.
 */
import { OAuthTransportError } from '../errors/oauthErrors';
import type { HttpRequest, HttpResponse, HttpSend, Sleep } from './http';
import { attemptAsync } from '../errors/attempt';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** No retry is started once this much time has passed since the first attempt (ms). */
	maxTotalMs: number;
	/** First backoff (ms); doubled per retry when the server gives no Retry-After. */
	baseDelayMs: number;
	/** The longest Retry-After honoured (ms); longer waits fail instead. */
	maxDelayMs: number;
	/** Overrides the sender's `sleep` (tests). */
	sleep?: Sleep;
	now?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 2,
	maxTotalMs: 15_000,
	baseDelayMs: 250,
	maxDelayMs: 5_000,
};
/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
	if (!value) return undefined;
	if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function retryableStatus(status: number): boolean {
	return status === 429 || status === 503;
}

/** Sends `build()`'s request, retrying within the policy; returns the last response or throws the last error. */
export async function sendWithRetry(
	build: () => Promise<HttpRequest>,
	send: HttpSend,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<HttpResponse> {
	const now = policy.now ?? Date.now;
	// The wait comes from outside (n8n's sleep): shipped code keeps no timers of its own.
	const sleep = policy.sleep ?? send.sleep;
	const started = now();
	for (let attempt = 0; ; attempt++) {
		const outcome = await attemptAsync(async () => await send(await build()));
		const canRetry = attempt < policy.maxRetries;
		let wait: number | undefined;
		if (outcome.ok) {
			if (!retryableStatus(outcome.value.status) || !canRetry) return outcome.value;
			wait =
				retryAfterMs(outcome.value.headers['retry-after'], now()) ??
				policy.baseDelayMs * 2 ** attempt;
		} else {
			const notSent =
				outcome.error instanceof OAuthTransportError && !outcome.error.mayHaveReachedServer;
			if (!notSent || !canRetry) throw outcome.error;
			wait = policy.baseDelayMs * 2 ** attempt;
		}
		if (!sleep || wait > policy.maxDelayMs || now() - started + wait > policy.maxTotalMs) {
			if (outcome.ok) return outcome.value;
			throw outcome.error;
		}
		await sleep(wait);
	}
}
