/**
 * The shared plumbing of the provider emulators: a node:http server on 127.0.0.1 port 0 that
 * parses form bodies and Basic headers the way an OAuth server must (RFC 6749 §2.3.1: form-decode
 * id and secret after base64), verifies JWTs with a given public key on its own clock, keeps a
 * request log without secrets, and is bounded (request count, body size) and closed by its tests.
 *
 * The provider rules themselves (paths, parameters, answers) live in ./emulators/<provider>.ts,
 * each citing the documentation it follows.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';

import { attempt, attemptAsync } from '../../protocol';

const MAX_REQUESTS = 1_000;
const MAX_BODY_BYTES = 64 * 1024;

export interface EmulatorRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** The form body (empty for other content types). */
	form: URLSearchParams;
	contentType: string;
	/** The origin the client used (from x-forwarded-host/proto set by the test router), e.g. https://login.salesforce.com. */
	publicOrigin: string;
	/** The full URL the client used, without the query. */
	publicUrl: string;
	/** RFC 6749 §2.3.1 Basic credentials, form-decoded; undefined without a Basic header. */
	basic?: { id: string; secret: string };
}

export interface EmulatorReply {
	status: number;
	/** An object is sent as JSON; a string as is; undefined = empty body. */
	body?: unknown;
	headers?: Record<string, string>;
}

/** What the emulator saw: never a secret, only names and outcomes. */
export interface LoggedRequest {
	method: string;
	path: string;
	publicOrigin: string;
	grantType: string | null;
	auth: 'basic' | 'body' | 'client_assertion' | 'none';
	formKeys: string[];
	queryKeys: string[];
	status: number;
	error: string | null;
	/** The decoded (unverified) client assertion or grant assertion, for claim checks in tests. */
	assertion?: { header: Record<string, unknown>; payload: JWTPayload };
}

export type Handler = (
	request: EmulatorRequest,
	emulator: Emulator,
) => EmulatorReply | Promise<EmulatorReply>;

export interface Emulator {
	readonly name: string;
	readonly baseUrl: string;
	readonly log: LoggedRequest[];
	/** The emulator's clock in epoch ms; shift it with `advance`. */
	now(): number;
	advance(ms: number): void;
	/** Back to the real time (tests call it in beforeEach, so a failed test cannot leave the clock shifted). */
	resetClock(): void;
	/** Assertion jti values already used (single use, as the providers document). */
	readonly usedJti: Set<string>;
	close(): Promise<void>;
}

export function json(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): EmulatorReply {
	return { status, body, headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...headers } };
}

export function oauthError(
	status: number,
	error: string,
	description?: string,
	extra: Record<string, unknown> = {},
): EmulatorReply {
	return json(status, {
		error,
		...(description === undefined ? {} : { error_description: description }),
		...extra,
	});
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
	if (!header || !/^basic /i.test(header)) return undefined;
	const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	const formDecode = (value: string) => {
		const outcome = attempt(() => decodeURIComponent(value.replace(/\+/g, ' ')));
		return outcome.ok ? outcome.value : value;
	};
	return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function authKind(request: EmulatorRequest): LoggedRequest['auth'] {
	if (request.basic) return 'basic';
	if (request.form.has('client_assertion')) return 'client_assertion';
	if (request.form.has('client_secret')) return 'body';
	return 'none';
}

/** Decode a JWT without verifying it (for the log and for routing to the right key). */
export function decodeUnverified(
	token: string | null | undefined,
): { header: Record<string, unknown>; payload: JWTPayload } | undefined {
	if (!token) return undefined;
	const outcome = attempt(() => ({
		header: decodeProtectedHeader(token) as Record<string, unknown>,
		payload: decodeJwt(token),
	}));
	return outcome.ok ? outcome.value : undefined;
}

/** True when the JWS signature verifies with `key` under one of `algorithms`. Claims are checked by the caller on the emulator clock. */
export async function signatureValid(
	token: string,
	key: KeyObject,
	algorithms: string[],
): Promise<boolean> {
	const outcome = await attemptAsync(async () => await compactVerify(token, key, { algorithms }));
	return outcome.ok;
}

export async function startEmulator(name: string, handler: Handler): Promise<Emulator> {
	let offset = 0;
	const log: LoggedRequest[] = [];
	let served = 0;
	let server: Server | undefined;
	let baseUrl = '';
	const emulator: Emulator = {
		name,
		get baseUrl() {
			return baseUrl;
		},
		log,
		now: () => Date.now() + offset,
		advance: (ms: number) => {
			offset += ms;
		},
		resetClock: () => {
			offset = 0;
		},
		usedJti: new Set<string>(),
		close: async () => {
			if (!server) return;
			const closing = server;
			server = undefined;
			closing.closeAllConnections();
			await new Promise<void>((resolve) => closing.close(() => resolve()));
		},
	};
	server = createServer((req, res) => {
		served++;
		if (served > MAX_REQUESTS) {
			res
				.writeHead(503, { 'content-type': 'text/plain' })
				.end(`${name} emulator: request limit reached`);
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.byteLength;
			if (size > MAX_BODY_BYTES) {
				res.writeHead(413).end();
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', async () => {
			if (res.writableEnded) return;
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const contentType = String(req.headers['content-type'] ?? '');
			const raw = Buffer.concat(chunks).toString('utf8');
			const host = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? '127.0.0.1');
			const proto = String(req.headers['x-forwarded-proto'] ?? 'http');
			const publicOrigin = `${proto}://${host}`;
			const request: EmulatorRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				form: contentType.startsWith('application/x-www-form-urlencoded')
					? new URLSearchParams(raw)
					: new URLSearchParams(),
				contentType,
				publicOrigin,
				publicUrl: `${publicOrigin}${url.pathname}`,
				basic: parseBasic(req.headers.authorization),
			};
			const outcome = await attemptAsync(async () => await handler(request, emulator));
			const reply: EmulatorReply = outcome.ok
				? outcome.value
				: {
						status: 500,
						body: `${name} emulator failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
					};
			const body =
				reply.body === undefined
					? ''
					: typeof reply.body === 'string'
						? reply.body
						: JSON.stringify(reply.body);
			const headers: Record<string, string> = {
				...(typeof reply.body === 'object' && reply.body !== null
					? { 'content-type': 'application/json;charset=UTF-8' }
					: {}),
				...reply.headers,
			};
			const replied =
				typeof reply.body === 'object' && reply.body !== null
					? (reply.body as Record<string, unknown>)
					: undefined;
			log.push({
				method: request.method,
				path: request.path,
				publicOrigin,
				grantType: request.form.get('grant_type'),
				auth: authKind(request),
				formKeys: [...request.form.keys()],
				queryKeys: [...request.query.keys()],
				status: reply.status,
				error: typeof replied?.error === 'string' ? replied.error : null,
				assertion: decodeUnverified(
					request.form.get('client_assertion') ?? request.form.get('assertion'),
				),
			});
			res.writeHead(reply.status, headers).end(body);
		});
	});
	await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return emulator;
}

/** Seconds on the emulator clock. */
export function nowSeconds(emulator: Emulator): number {
	return Math.floor(emulator.now() / 1000);
}

/** A random opaque token in the provider's style (made at run time; never a literal). */
export function opaqueToken(prefix: string, bytes = 24): string {
	return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}
