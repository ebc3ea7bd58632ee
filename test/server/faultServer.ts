/**
 * A fault-injecting OAuth endpoint on 127.0.0.1 for the failure paths. The first path segment
 * picks the fault: POST /{fault}/token. `{fault}-then-ok` answers the fault once per run key and
 * a valid token response afterwards. Requests are counted per path; the server answers at most
 * a bounded number of requests and closes itself after its tests.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { createDeflate, createGzip } from 'node:zlib';

/** 200 MiB of zeros, compressed once (about 200 KiB): what a decompression bomb sends. */
const BOMB_INFLATED_MIB = 200;
let bombs: Promise<Record<'gzip' | 'deflate', Buffer>> | undefined;

/** Compressed chunk by chunk, so building the bomb never holds its inflated size in memory. */
async function compress(kind: 'gzip' | 'deflate'): Promise<Buffer> {
	const zip = kind === 'gzip' ? createGzip({ level: 9 }) : createDeflate({ level: 9 });
	const out: Buffer[] = [];
	zip.on('data', (chunk: Buffer) => out.push(chunk));
	const chunk = Buffer.alloc(1024 * 1024, 0x30);
	for (let i = 0; i < BOMB_INFLATED_MIB; i++) if (!zip.write(chunk)) await once(zip, 'drain');
	zip.end();
	await once(zip, 'end');
	return Buffer.concat(out);
}

async function prepareBombs(): Promise<Record<'gzip' | 'deflate', Buffer>> {
	bombs ??= Promise.all([compress('gzip'), compress('deflate')]).then(([gzip, deflate]) => ({
		gzip,
		deflate,
	}));
	return await bombs;
}

/** Writes `total` bytes in 64 KiB chunks, respecting back pressure, until the client goes away. */
function stream(res: ServerResponse, total: number): void {
	const chunk = Buffer.alloc(64 * 1024, 0x78);
	let sent = 0;
	const more = (): void => {
		while (sent < total && !res.destroyed) {
			sent += chunk.byteLength;
			if (!res.write(chunk)) return void res.once('drain', more);
		}
		res.end();
	};
	more();
}

export const FAULTS = [
	'http500',
	'http502',
	'http503',
	'http503-retry-after',
	'http429-retry-after',
	'reset-before-read',
	'reset-after-read',
	'no-answer',
	'truncated-json',
	'html-200',
	'empty-body',
	'wrong-content-type',
	'error-on-200',
	'huge-body',
	'huge-64mib',
	'gzip-bomb',
	'deflate-bomb',
	'drip',
	'redirect',
] as const;
export type Fault = (typeof FAULTS)[number];

const MAX_REQUESTS = 5_000;

export interface FaultServer {
	url: (fault: Fault | `${Fault}-then-ok` | 'ok', runKey?: string) => string;
	count: (path: string) => number;
	bodies: () => string[];
	close: () => Promise<void>;
}

function token(res: ServerResponse): void {
	res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	// Also a valid RFC 7662 answer ("active"), so the same success serves token and introspection requests.
	res.end(
		JSON.stringify({
			access_token: `fault-server-token-${Date.now()}`,
			token_type: 'Bearer',
			expires_in: 3600,
			active: true,
			exp: Math.floor(Date.now() / 1000) + 3600,
		}),
	);
}

function answerFault(
	fault: string,
	res: ServerResponse,
	socket: Socket,
	ready: Record<'gzip' | 'deflate', Buffer>,
): void {
	switch (fault) {
		case 'http500':
			res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
			return;
		case 'http502':
			res
				.writeHead(502, { 'content-type': 'text/html' })
				.end('<html><body>Bad Gateway</body></html>');
			return;
		case 'http503':
			res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
			return;
		case 'http503-retry-after':
			res
				.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' })
				.end('Service Unavailable');
			return;
		case 'http429-retry-after':
			res
				.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' })
				.end('{"error":"slow_down","error_description":"Too many requests"}');
			return;
		case 'reset-before-read':
		case 'reset-after-read':
			socket.resetAndDestroy();
			return;
		case 'no-answer':
			return; // keep the socket open; the client's timeout must end it
		case 'truncated-json':
			res
				.writeHead(200, { 'content-type': 'application/json' })
				.end('{"access_token":"abc","token_ty');
			return;
		case 'html-200':
			res
				.writeHead(200, { 'content-type': 'text/html' })
				.end(
					'<!DOCTYPE html><html><head><title>Instance Hibernating</title></head><body>Your instance is hibernating.</body></html>',
				);
			return;
		case 'empty-body':
			res.writeHead(200, { 'content-type': 'application/json' }).end('');
			return;
		case 'wrong-content-type':
			res
				.writeHead(200, { 'content-type': 'application/octet-stream' })
				.end(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]));
			return;
		case 'error-on-200':
			res
				.writeHead(200, { 'content-type': 'application/json' })
				.end('{"error":"invalid_client","error_description":"Client authentication failed"}');
			return;
		case 'huge-body':
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(`{"access_token":"${'x'.repeat(10 * 1024 * 1024)}","token_type":"Bearer"}`);
			return;
		case 'huge-64mib':
			// No content-length: the client only learns the size by reading.
			res.writeHead(200, { 'content-type': 'application/json' });
			return stream(res, 64 * 1024 * 1024);
		case 'gzip-bomb':
		case 'deflate-bomb': {
			const kind = fault === 'gzip-bomb' ? 'gzip' : 'deflate';
			// Sent compressed whatever the client asked for (accept-encoding: identity).
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': kind });
			res.end(ready[kind]);
			return;
		}
		case 'drip': {
			// Headers at once, then one byte every 300 ms: an idle timeout never fires.
			res.writeHead(200, { 'content-type': 'application/json' });
			const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 300);
			res.on('close', () => clearInterval(timer));
			return;
		}
		case 'redirect':
			// Following it would send the client's credentials to another URL.
			res.writeHead(302, { location: '/ok/redirected/token' }).end('moved');
			return;
		default:
			res.writeHead(404).end();
	}
}

export async function startFaultServer(
	options: { keepAliveTimeoutMs?: number } = {},
): Promise<FaultServer> {
	const ready = await prepareBombs();
	const counts = new Map<string, number>();
	const answeredOnce = new Set<string>();
	const bodies: string[] = [];
	const sockets = new Set<Socket>();
	let total = 0;
	const server: Server = createServer((req, res) => {
		total++;
		const path = (req.url ?? '/').split('?')[0];
		counts.set(path, (counts.get(path) ?? 0) + 1);
		const [, spec = '', runKey = ''] = path.split('/');
		if (total > MAX_REQUESTS) {
			res.writeHead(503).end();
			return;
		}
		if (spec === 'reset-before-read') {
			req.socket.resetAndDestroy();
			return;
		}
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			bodies.push(Buffer.concat(chunks).toString('utf8'));
			if (spec === 'ok') return token(res);
			const thenOk = spec.endsWith('-then-ok');
			const fault = thenOk ? spec.slice(0, -'-then-ok'.length) : spec;
			const key = `${spec}/${runKey}`;
			if (thenOk && answeredOnce.has(key)) return token(res);
			answeredOnce.add(key);
			answerFault(fault, res, req.socket, ready);
		});
	});
	if (options.keepAliveTimeoutMs !== undefined)
		server.keepAliveTimeout = options.keepAliveTimeoutMs;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (fault, runKey = 'default') => `http://127.0.0.1:${port}/${fault}/${runKey}/token`,
		count: (path) => counts.get(path) ?? 0,
		bodies: () => [...bodies],
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
