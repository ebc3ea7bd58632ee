// A forward proxy on 127.0.0.1 (npm `proxy`, TooTallNate) that alone resolves *.only-proxy.test
// to 127.0.0.1, so an authorization server under such a name is reachable only through the proxy.
// Runs as its own process (the name must not resolve in the process that runs the tests):
//   node e2e/lib/forwardProxy.mjs  →  prints "proxy ready <port>", then one line per request.
import dns from 'node:dns';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

/** The reserved .test TLD (RFC 2606): the name never resolves anywhere else. */
export const PROXY_ONLY_HOST = 'auth.only-proxy.test';

/** Starts the proxy process; resolves with its URL, a count of proxied requests and close(). */
export async function startForwardProxy() {
	const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let proxied = 0;
	const port = await new Promise((resolve, reject) => {
		let buffer = '';
		child.once('exit', (code) => reject(new Error(`the proxy exited (${code})`)));
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			let newline;
			while ((newline = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 1);
				const ready = /^proxy ready (\d+)$/.exec(line);
				if (ready) resolve(Number(ready[1]));
				else if (line.startsWith('proxied ')) proxied++;
			}
		});
	});
	return {
		url: `http://127.0.0.1:${port}`,
		proxied: () => proxied,
		close: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve(undefined);
				child.once('exit', () => resolve(undefined));
				child.kill();
			}),
	};
}

async function serve() {
	const { createProxy } = await import('proxy');
	const realLookup = dns.lookup;
	// `proxy` connects with http.request / net.connect, which call dns.lookup when they connect.
	dns.lookup = function lookup(hostname, options, callback) {
		if (typeof options === 'function') [callback, options] = [options, {}];
		if (typeof options === 'number') options = { family: options };
		if (String(hostname).endsWith('.only-proxy.test'))
			return options?.all
				? process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }])
				: process.nextTick(callback, null, '127.0.0.1', 4);
		return realLookup.call(dns, hostname, options, callback);
	};
	const server = createProxy(http.createServer());
	server.on('request', (req) => console.log(`proxied ${req.method} ${req.url}`));
	server.on('connect', (req) => console.log(`proxied CONNECT ${req.url}`));
	server.listen(0, '127.0.0.1', () => console.log(`proxy ready ${server.address().port}`));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve')
	await serve();
