/**
 * An HttpSend on node:http / node:https with keep-alive agents: the fastest way Node offers to
 * talk to a token endpoint (fetch costs more per request). Used where n8n's request helper is not
 * available: the credential Test button and preAuthentication paths, the demo, benchmarks and the
 * protocol tests. Redirects are never followed, answers are bounded, every request has a timeout.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

import { attemptAsync } from '../errors/attempt';
import { InvalidResponseError, type OAuthEndpointKind } from '../errors/oauthErrors';
import { DEFAULT_TIMEOUT_MS, tooLarge, transportError } from './transportErrors';
import { MAX_RESPONSE_BYTES, type HttpRequest, type HttpResponse, type HttpSend } from './http';

const agents = {
	'http:': new HttpAgent({ keepAlive: true, maxSockets: 64 }),
	'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

class TimeoutError extends Error {
	readonly code = 'ETIMEDOUT';
}

function exchange(request: HttpRequest): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const url = new URL(request.url);
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
		const headers: Record<string, string | number> = { ...request.headers };
		if (body) headers['content-length'] = body.byteLength;
		const req = send(url, {
			method: request.method,
			headers,
			agent: agents[url.protocol as 'http:' | 'https:'],
		});
		const timeout = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const timer = setTimeout(() => req.destroy(new TimeoutError('timeout')), timeout);
		req.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		req.on('response', (res: IncomingMessage) => {
			const declared = Number(res.headers['content-length'] ?? '0');
			const chunks: Buffer[] = [];
			let size = 0;
			const fail = (error: Error) => {
				clearTimeout(timer);
				res.destroy();
				reject(error);
			};
			if (declared > MAX_RESPONSE_BYTES) return fail(tooLarge(res.statusCode ?? 0));
			res.on('data', (chunk: Buffer) => {
				size += chunk.byteLength;
				if (size > MAX_RESPONSE_BYTES) return fail(tooLarge(res.statusCode ?? 0));
				chunks.push(chunk);
			});
			res.on('error', fail);
			res.on('end', () => {
				clearTimeout(timer);
				const out: Record<string, string | undefined> = {};
				for (const [name, value] of Object.entries(res.headers))
					out[name] = Array.isArray(value) ? value.join(', ') : value;
				resolve({
					status: res.statusCode ?? 0,
					headers: out,
					body: Buffer.concat(chunks).toString('utf8'),
				});
			});
		});
		req.end(body);
	});
}

export function nodeHttpSend(endpoint: OAuthEndpointKind = 'token'): HttpSend {
	return async (request: HttpRequest): Promise<HttpResponse> => {
		const outcome = await attemptAsync(async () => await exchange(request));
		if (outcome.ok) return outcome.value;
		if (outcome.error instanceof InvalidResponseError) throw outcome.error;
		throw transportError(endpoint, request, outcome.error);
	};
}
