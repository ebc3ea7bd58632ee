/**
 * The fault matrix for Get Token, through the node: every misbehaviour of the server ends in a
 * bounded retry that succeeds, or in a clear NodeApiError; nothing hangs past the timeout, and no
 * secret appears in any error.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { NodeApiError, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	attemptAsync,
	clientConfigFromCredential,
	getToken,
	sharedTokenCache,
} from '../../protocol';
import { realSend } from '../helpers/realSend';
import { runNode } from '../helpers/executeContext';
import { expectNoSecrets } from '../helpers/secrets';
import { startFaultServer, type Fault, type FaultServer } from '../server/faultServer';

let faults: FaultServer;
const clientValue = `fault-secret-${randomUUID()}`;

beforeAll(async () => {
	faults = await startFaultServer();
});
afterAll(async () => await faults.close());
beforeEach(() => sharedTokenCache.clear());

function credential(tokenUrl: string): ICredentialDataDecryptedObject {
	return {
		endpointMode: 'manual',
		tokenUrl,
		clientId: 'fault-client',
		clientSecret: clientValue,
		clientAuthentication: 'client_secret_post',
		grantType: 'clientCredentials',
		timeout: 1,
	};
}

async function getTokenFrom(tokenUrl: string) {
	return await attemptAsync(
		async () =>
			await runNode({
				parameters: { authentication: 'clientSecret', operation: 'getToken', options: {} },
				credentials: { oauthClientSecretApi: credential(tokenUrl) },
			}),
	);
}

function path(url: string): string {
	return new URL(url).pathname;
}

describe('Get Token against a misbehaving server', () => {
	it.each([
		['http500', /HTTP 500 with a body that is neither JSON nor form-encoded/, 1],
		['http502', /HTTP 502 with an HTML page/, 1],
		['http503', /HTTP 503/, 3],
		['http429-retry-after', /slow_down/, 3],
		['reset-before-read', /request to http:\/\/127\.0\.0\.1:\d+ failed/, 1],
		['reset-after-read', /request to http:\/\/127\.0\.0\.1:\d+ failed/, 1],
		['no-answer', /timed out/, 1],
		['truncated-json', /neither JSON nor form-encoded/, 1],
		['html-200', /HTML page .* sleeping instance/, 1],
		['empty-body', /empty body/, 1],
		['wrong-content-type', /neither JSON nor form-encoded/, 1],
		['error-on-200', /invalid_client/, 1],
		['huge-body', /more than 1024 KiB/, 1],
		['huge-64mib', /more than 1024 KiB/, 1],
		['gzip-bomb', /more than 1024 KiB/, 1],
		['deflate-bomb', /more than 1024 KiB/, 1],
		['drip', /timed out/, 1],
		['redirect', /HTTP 302/, 1],
	] as const)('%s → a clear NodeApiError after %#', async (fault, message, expectedRequests) => {
		const url = faults.url(fault, randomUUID());
		const outcome = await getTokenFrom(url);
		expect(outcome.ok).toBe(false);
		const error = (outcome as { error: unknown }).error;
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(message);
		expectNoSecrets(error, [clientValue]);
		// Retries only for 429/503; a request that may have reached the server is sent once.
		expect(faults.count(path(url))).toBe(expectedRequests);
	});

	it.each(['http503-retry-after', 'http429-retry-after', 'http503'] as const)(
		'%s once, then a token: one bounded retry succeeds',
		async (fault) => {
			const url = faults.url(`${fault}-then-ok`, randomUUID());
			const outcome = await getTokenFrom(url);
			expect(outcome.ok).toBe(true);
			expect(faults.count(path(url))).toBe(2);
		},
	);

	it('Continue On Fail: the failing item is a paired error item, the other item gets its token', async () => {
		const { output } = await runNode({
			parameters: { operation: 'getToken', options: {} },
			itemParameters: [{ authentication: 'clientSecret' }, { authentication: 'privateKeyJwt' }],
			credentials: {
				oauthClientSecretApi: credential(faults.url('html-200', randomUUID())),
				oauthPrivateKeyJwtApi: {
					endpointMode: 'manual',
					tokenUrl: faults.url('ok'),
					clientId: 'c',
					privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
						type: 'pkcs8',
						format: 'pem',
					}) as string,
					grantType: 'clientCredentials',
				},
			},
			items: [{ json: { n: 0 } }, { json: { n: 1 } }],
			continueOnFail: true,
		});
		expect(output[0]).toHaveLength(2);
		expect(output[0][0]).toMatchObject({
			json: { error: expect.stringMatching(/HTML page/) },
			pairedItem: { item: 0 },
		});
		expect(output[0][1]).toMatchObject({ json: { token_type: 'Bearer' }, pairedItem: { item: 1 } });
		expectNoSecrets(output, [clientValue]);
	});
});

describe("inside n8n: bounds and deadline of n8n's real request helper", () => {
	const config = (tokenUrl: string) =>
		clientConfigFromCredential('clientSecret', { ...credential(tokenUrl), timeout: 2 });
	const MiB = 1024 * 1024;

	/** Peak RSS growth while `run` runs, sampled every 5 ms. */
	async function peakGrowth(run: () => Promise<unknown>): Promise<number> {
		global.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
		try {
			await run();
		} finally {
			clearInterval(sampler);
		}
		return Math.max(peak, process.memoryUsage().rss) - before;
	}

	it.each(['huge-64mib', 'gzip-bomb', 'deflate-bomb'] as const)(
		'%s is refused within the 1 MiB bound, with process memory growth under 10 MiB',
		async (fault) => {
			await getToken(config(faults.url('ok')), realSend(), { forceNew: true }); // warm up
			let error: unknown;
			const growth = await peakGrowth(async () => {
				const outcome = await attemptAsync(
					async () =>
						await getToken(config(faults.url(fault, randomUUID())), realSend(), {
							forceNew: true,
						}),
				);
				error = outcome.ok ? undefined : outcome.error;
			});
			expect(String(error)).toMatch(/more than 1024 KiB/);
			expect(growth).toBeLessThan(10 * MiB);
		},
	);

	it('a body dripping one byte every 300 ms ends within the timeout plus 100 ms', async () => {
		const started = Date.now();
		await expect(
			getToken(config(faults.url('drip', randomUUID())), realSend(), { forceNew: true }),
		).rejects.toThrow(/timed out: no answer came within the timeout/);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(2000);
		expect(elapsed).toBeLessThan(2100);
	});

	it('stalled headers end at the timeout', async () => {
		const started = Date.now();
		await expect(
			getToken(config(faults.url('no-answer', randomUUID())), realSend(), { forceNew: true }),
		).rejects.toThrow(/timed out/);
		expect(Date.now() - started).toBeLessThan(2100);
	});

	it("the execution's cancel signal ends a request at once", async () => {
		const cancel = new AbortController();
		setTimeout(() => cancel.abort(), 200);
		const started = Date.now();
		await expect(
			getToken(
				config(faults.url('drip', randomUUID())),
				realSend('token', { cancelSignal: cancel.signal }),
				{
					forceNew: true,
				},
			),
		).rejects.toThrow(/was cancelled: the execution was stopped/);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('a redirect is not followed: the credentials stay with the token endpoint', async () => {
		const url = faults.url('redirect', randomUUID());
		await expect(getToken(config(url), realSend(), { forceNew: true })).rejects.toThrow(/HTTP 302/);
		expect(faults.count('/ok/redirected/token')).toBe(0);
	});

	it("requests spaced at the server's keep-alive timeout all succeed (n8n opens a connection per request)", async () => {
		const server = await startFaultServer({ keepAliveTimeoutMs: 300 });
		try {
			for (let i = 0; i < 6; i++) {
				await getToken(config(server.url('ok')), realSend(), { forceNew: true });
				await new Promise((resolve) => setTimeout(resolve, 300));
			}
			expect(server.count(path(server.url('ok')))).toBe(6);
		} finally {
			await server.close();
		}
	});
});

describe("the package's sender over n8n's real helper, directly", () => {
	const config = (tokenUrl: string) =>
		clientConfigFromCredential('clientSecret', credential(tokenUrl));

	it.each([
		['no-answer', /timed out/],
		['reset-after-read', /connection was closed before an answer came/],
		['huge-body', /more than 1024 KiB/],
		['html-200', /HTML page/],
	] as const)('%s → a clear error, no hang', async (fault, message) => {
		await expect(
			getToken(config(faults.url(fault, randomUUID())), realSend(), { forceNew: true }),
		).rejects.toThrow(message);
	});

	it('a refused connection is retried (it never reached a server) and then reported', async () => {
		const closed = await startFaultServer();
		const url = closed.url('ok');
		await closed.close();
		await expect(getToken(config(url), realSend(), { forceNew: true })).rejects.toThrow(
			/refused the connection/,
		);
	});
});

/**
 * The same matrix for Refresh, Revoke and Introspect. Refresh is never retried (the server may
 * have used the refresh token); Revoke and Introspect retry 429/503 within the bound. RFC 7009
 * §2.2 ignores the body of a 200 revocation answer, unless it carries an explicit error.
 */
describe('Refresh, Revoke and Introspect against a misbehaving server', () => {
	const refreshValue = `rt-${randomUUID()}-${randomUUID()}`;
	const tokenValue = `at-${randomUUID()}-${randomUUID()}`;
	type Expectation = [RegExp | 'ok', number];
	const matrix: Record<
		'refreshToken' | 'revokeToken' | 'introspectToken',
		Partial<Record<string, Expectation>>
	> = {
		refreshToken: {
			http500: [/HTTP 500/, 1],
			http502: [/HTML page/, 1],
			http503: [/HTTP 503/, 1],
			'http503-retry-after': [/HTTP 503/, 1],
			'http429-retry-after': [/slow_down/, 1],
			'reset-before-read': [/not repeated/, 1],
			'reset-after-read': [/not repeated/, 1],
			'no-answer': [/timed out.*not repeated/, 1],
			'truncated-json': [/neither JSON/, 1],
			'html-200': [/HTML page/, 1],
			'empty-body': [/empty body/, 1],
			'wrong-content-type': [/neither JSON/, 1],
			'error-on-200': [/invalid_client/, 1],
			'huge-body': [/more than 1024 KiB/, 1],
			'http503-then-ok': [/HTTP 503/, 1],
			'http429-retry-after-then-ok': [/slow_down/, 1],
		},
		revokeToken: {
			http500: [/HTTP 500/, 1],
			http502: [/HTML page/, 1],
			http503: [/unavailable.*after 3 attempts.*may still be valid/, 3],
			'http503-retry-after': [/unavailable.*after 3 attempts/, 3],
			'http429-retry-after': [/slow_down/, 3],
			'reset-before-read': [/closed before an answer/, 1],
			'reset-after-read': [/closed before an answer/, 1],
			'no-answer': [/timed out/, 1],
			// RFC 7009 §2.2: a 200 needs no content; a body that is not empty or JSON was not written by a revocation endpoint.
			'truncated-json': [/neither JSON.*not an empty or JSON body.*may still be valid/, 1],
			'html-200': [/HTML page.*not an empty or JSON body.*may still be valid/, 1],
			'empty-body': ['ok', 1],
			'wrong-content-type': [/neither JSON.*not an empty or JSON body/, 1],
			'error-on-200': [/invalid_client/, 1],
			'huge-body': [/more than 1024 KiB/, 1],
			'http503-then-ok': ['ok', 2],
			'http503-retry-after-then-ok': ['ok', 2],
			'http429-retry-after-then-ok': ['ok', 2],
		},
		introspectToken: {
			http500: [/HTTP 500/, 1],
			http502: [/HTML page/, 1],
			http503: [/HTTP 503/, 3],
			'http503-retry-after': [/HTTP 503/, 3],
			'http429-retry-after': [/slow_down/, 3],
			'reset-before-read': [/closed before an answer/, 1],
			'reset-after-read': [/closed before an answer/, 1],
			'no-answer': [/timed out/, 1],
			'truncated-json': [/neither JSON/, 1],
			'html-200': [/HTML page/, 1],
			'empty-body': [/empty body/, 1],
			'wrong-content-type': [/neither JSON/, 1],
			'error-on-200': [/invalid_client/, 1],
			'huge-body': [/more than 1024 KiB/, 1],
			'http503-then-ok': ['ok', 2],
			'http429-retry-after-then-ok': ['ok', 2],
		},
	};
	const cases = Object.entries(matrix).flatMap(([operation, faultsOf]) =>
		Object.entries(faultsOf).map(
			([fault, expected]) => [operation, fault, ...(expected as Expectation)] as const,
		),
	);

	it.each(cases)(
		'%s, %s → %s after %i request(s)',
		async (operation, fault, expected, requests) => {
			const url = faults.url(fault as Fault, randomUUID());
			const outcome = await attemptAsync(
				async () =>
					await runNode({
						parameters: {
							authentication: 'clientSecret',
							operation,
							refreshToken: refreshValue,
							token: tokenValue,
							tokenTypeHint: 'auto',
							scope: '',
							options: {},
						},
						credentials: {
							oauthClientSecretApi: {
								...credential(url),
								revocationUrl: url,
								introspectionUrl: url,
							},
						},
					}),
			);
			if (expected === 'ok') {
				expect(outcome.ok).toBe(true);
				// The output only: the recorded HTTP calls hold the request bodies, secrets included, by design.
				expectNoSecrets((outcome as { value: { output: unknown } }).value.output, [
					clientValue,
					refreshValue,
					tokenValue,
				]);
			} else {
				expect(outcome.ok).toBe(false);
				const error = (outcome as { error: unknown }).error;
				expect(error).toBeInstanceOf(NodeApiError);
				expect((error as NodeApiError).message).toMatch(expected);
				expectNoSecrets(error, [clientValue, refreshValue, tokenValue]);
			}
			expect(faults.count(path(url))).toBe(requests);
		},
	);

	it('Continue On Fail on Revoke: one paired error item per failing input, the other items revoked', async () => {
		const good = faults.url('ok');
		const bad = faults.url('http500', randomUUID());
		const { output } = await runNode({
			parameters: { operation: 'revokeToken', tokenTypeHint: 'auto', options: {} },
			itemParameters: [
				{ authentication: 'clientSecret', token: tokenValue },
				{ authentication: 'privateKeyJwt', token: tokenValue },
				{ authentication: 'clientSecret', token: tokenValue },
			],
			credentials: {
				oauthClientSecretApi: { ...credential(good), revocationUrl: good },
				oauthPrivateKeyJwtApi: {
					endpointMode: 'manual',
					tokenUrl: good,
					revocationUrl: bad,
					clientId: 'c',
					privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
						type: 'pkcs8',
						format: 'pem',
					}) as string,
					grantType: 'clientCredentials',
				},
			},
			items: [{ json: {} }, { json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(
			output[0].map((item) => [
				item.pairedItem,
				item.json.revoked ?? item.json.error !== undefined,
			]),
		).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, true],
			[{ item: 2 }, true],
		]);
		expect(output[0][1].json.error).toMatch(/HTTP 500/);
		expectNoSecrets(output, [clientValue, tokenValue]);
	});
});
