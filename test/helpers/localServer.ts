/**
 * A tiny HTTP server on 127.0.0.1 (port 0) for provider behaviour the real test server does not
 * have. Each test file gives the handler that reproduces the documented wire behaviour, and closes
 * the server in afterAll.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	/** The form body, decoded. */
	form: URLSearchParams;
}

export type LocalHandler = (request: LocalRequest, res: ServerResponse, socket: Socket) => void;

export interface LocalServer {
	url: (path: string) => string;
	requests: (path?: string) => LocalRequest[];
	close: () => Promise<void>;
}

export async function startLocalServer(handler: LocalHandler): Promise<LocalServer> {
	const seen: LocalRequest[] = [];
	const sockets = new Set<Socket>();
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const request: LocalRequest = {
				method: req.method ?? 'GET',
				path: (req.url ?? '/').split('?')[0],
				headers: req.headers,
				form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
			};
			seen.push(request);
			handler(request, res, req.socket);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		requests: (path) => seen.filter((r) => path === undefined || r.path === path),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export function json(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	res
		.writeHead(status, {
			'content-type': 'application/json',
			'cache-control': 'no-store',
			...headers,
		})
		.end(JSON.stringify(body));
}
