import {
	OAuthTransportError,
	retryAfterMs,
	sendWithRetry,
	type HttpRequest,
	type HttpResponse,
	type RetryPolicy,
} from '../../../protocol';

const request: HttpRequest = {
	method: 'POST',
	url: 'https://as.example/token',
	headers: {},
	body: 'a=b',
};
const answer = (status: number, headers: Record<string, string> = {}): HttpResponse => ({
	status,
	headers,
	body: '{}',
});

function policy(sleeps: number[], overrides: Partial<RetryPolicy> = {}): RetryPolicy {
	let t = 0;
	return {
		maxRetries: 2,
		maxTotalMs: 15_000,
		baseDelayMs: 250,
		maxDelayMs: 5_000,
		now: () => t,
		sleep: async (ms) => {
			sleeps.push(ms);
			t += ms;
		},
		...overrides,
	};
}

describe('bounded retries', () => {
	it('retries a 503 after its Retry-After, rebuilding the request each time', async () => {
		const sleeps: number[] = [];
		const answers = [answer(503, { 'retry-after': '2' }), answer(200)];
		let builds = 0;
		const response = await sendWithRetry(
			async () => (builds++, request),
			async () => answers.shift() as HttpResponse,
			policy(sleeps),
		);
		expect(response.status).toBe(200);
		expect(builds).toBe(2);
		expect(sleeps).toEqual([2000]);
	});

	it('backs off exponentially on 429 without Retry-After and stops after the retry bound', async () => {
		const sleeps: number[] = [];
		let sends = 0;
		const response = await sendWithRetry(
			async () => request,
			async () => (sends++, answer(429)),
			policy(sleeps),
		);
		expect(response.status).toBe(429);
		expect(sends).toBe(3);
		expect(sleeps).toEqual([250, 500]);
	});

	it('does not wait longer than the bound: a long Retry-After returns the answer at once', async () => {
		const sleeps: number[] = [];
		const response = await sendWithRetry(
			async () => request,
			async () => answer(503, { 'retry-after': '120' }),
			policy(sleeps),
		);
		expect(response.status).toBe(503);
		expect(sleeps).toEqual([]);
	});

	it('retries a failure before the request was sent, but never one that may have reached the server', async () => {
		let sends = 0;
		const refused = async () => {
			sends++;
			if (sends === 1) throw new OAuthTransportError('token', 'refused', 'ECONNREFUSED', false);
			return answer(200);
		};
		expect((await sendWithRetry(async () => request, refused, policy([]))).status).toBe(200);
		let resets = 0;
		const reset = async (): Promise<HttpResponse> => {
			resets++;
			throw new OAuthTransportError('token', 'reset', 'ECONNRESET', true);
		};
		await expect(sendWithRetry(async () => request, reset, policy([]))).rejects.toThrow('reset');
		expect(resets).toBe(1);
	});

	it('never retries other statuses', async () => {
		let sends = 0;
		await sendWithRetry(
			async () => request,
			async () => (sends++, answer(500)),
			policy([]),
		);
		expect(sends).toBe(1);
	});

	it('reads Retry-After as seconds or an HTTP date', () => {
		expect(retryAfterMs('3', 0)).toBe(3000);
		expect(retryAfterMs('Sat, 21 Nov 2026 12:00:10 GMT', Date.UTC(2026, 10, 21, 12, 0, 0))).toBe(
			10_000,
		);
		expect(retryAfterMs('soon', 0)).toBeUndefined();
	});
});
