// A protected API on 127.0.0.1 for the HTTP Request node tests. It accepts only Bearer tokens the
// local authorization server says are active (RFC 7662 introspection, with a client of its own),
// answers 401 otherwise (a revoked token forces n8n to re-run the credential's preAuthentication),
// and records every request it sees, so tests can assert that no client secret, private key,
// password or assertion ever reached the API host.
import { createServer } from 'node:http';

/**
 * @typedef {{ at: number, method: string, path: string, authorization: string | null, headers: Record<string, string | string[] | undefined>, body: string, status: number, token: string | null }} ApiRequest
 *
 * @param {{ introspectionEndpoint: string, clientId: string, clientSecret: string, port?: number }} options
 *   the introspecting client authenticates with client_secret_post
 */
export async function startProtectedApi({
	introspectionEndpoint,
	clientId,
	clientSecret,
	port = 0,
}) {
	/** @type {ApiRequest[]} */
	const requests = [];

	async function isActive(token) {
		const response = await fetch(introspectionEndpoint, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token, client_id: clientId, client_secret: clientSecret }),
		});
		if (!response.ok) throw new Error(`introspection answered ${response.status}`);
		const answer = await response.json();
		return answer.active === true ? answer : undefined;
	}

	const server = createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const authorization = req.headers.authorization ?? null;
		const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? null;
		/** @type {ApiRequest} */
		const entry = {
			at: Date.now(),
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			authorization,
			headers: req.headers,
			body: Buffer.concat(chunks).toString('utf8'),
			status: 0,
			token,
		};
		requests.push(entry);
		const reply = (status, body, headers = {}) => {
			entry.status = status;
			res
				.writeHead(status, { 'content-type': 'application/json', ...headers })
				.end(JSON.stringify(body));
		};
		// An API having a bad moment: 500 whatever the token (n8n's HTTP Request node then calls
		// the credential's preAuthentication again, as after any error).
		if (entry.path.startsWith('/always500/')) return reply(500, { error: 'internal' });
		try {
			const claims = token === null ? undefined : await isActive(token);
			if (!claims) {
				// Refusals on /api/slow… take a second, so that all items of an execution have sent
				// their request before n8n's retry of the first one renews the token.
				if (entry.path.startsWith('/api/slow')) await new Promise((r) => setTimeout(r, 1000));
				reply(
					401,
					{ error: 'invalid_token' },
					{ 'www-authenticate': `Bearer error="invalid_token"` },
				);
				return;
			}
			reply(200, {
				ok: true,
				path: entry.path,
				client_id: claims.client_id,
				sub: claims.sub ?? null,
				scope: claims.scope ?? null,
			});
		} catch (error) {
			reply(502, { error: 'introspection_failed', message: String(error) });
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const { port: actualPort } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${actualPort}`,
		requests,
		/** Requests that arrived at or after `since` (epoch ms). */
		since: (since) => requests.filter((request) => request.at >= since),
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}
