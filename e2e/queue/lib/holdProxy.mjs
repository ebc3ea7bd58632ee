// A pass-through in front of the authorization server's token endpoint that can hold
// `grant_type=refresh_token` requests: a slow server, so two executions really race for one
// refresh, and a refresh that is "in flight" long enough to kill the worker that sent it. A held
// request whose client goes away before release is dropped, never forwarded: the server did not
// process it (the case a crashed worker can recover from; see README, Queue mode).
import { createServer, request as httpRequest } from 'node:http';

/** @param {string} target the authorization server's base URL */
export async function startHoldProxy(target) {
	const upstream = new URL(target);
	/** @type {{ at: number, grantType: string | null, outcome: 'forwarded' | 'dropped', status?: number }[]} */
	const log = [];
	let holding = false;
	/** @type {Set<() => void>} */
	const held = new Set();
	/** @type {((count: number) => void)[]} */
	const heldWaiters = [];

	const server = createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const body = Buffer.concat(chunks);
		const grantType = new URLSearchParams(body.toString('utf8')).get('grant_type');
		const entry = { at: Date.now(), grantType, outcome: /** @type {const} */ ('forwarded') };
		log.push(entry);
		if (holding && grantType === 'refresh_token') {
			const gone = await new Promise((resolve) => {
				const release = () => {
					held.delete(release);
					resolve(false);
				};
				held.add(release);
				res.once('close', () => {
					if (held.delete(release)) resolve(true);
				});
				for (const waiter of heldWaiters.splice(0)) waiter(held.size);
			});
			if (gone) {
				entry.outcome = 'dropped';
				return;
			}
		}
		const forwarded = httpRequest(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: upstream.host },
			},
			(answer) => {
				entry.status = answer.statusCode;
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forwarded.on('error', () => res.destroy());
		forwarded.end(body);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		tokenEndpoint: `http://127.0.0.1:${port}/token`,
		log,
		/** From now on refresh requests wait for release() (or their client's disconnect). */
		hold() {
			holding = true;
		},
		/** Forwards every held request and stops holding. */
		release() {
			holding = false;
			for (const release of [...held]) release();
		},
		/** Resolves when at least one refresh request is being held. */
		whenHeld(timeoutMs = 120_000) {
			if (held.size) return Promise.resolve(held.size);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no refresh request arrived')), timeoutMs);
				heldWaiters.push((count) => {
					clearTimeout(timer);
					resolve(count);
				});
			});
		},
		close: () =>
			new Promise((resolve) => {
				holding = false;
				for (const release of [...held]) release();
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}
