/**
 * Looks for leaked secrets anywhere in a value: error messages, descriptions, stacks, causes,
 * every property, the serialised (JSON) error, outputs, and captured console output. A secret is
 * found in any form it could take on the way out: raw, JSON-escaped, URL-encoded, form-encoded
 * (RFC 6749 Appendix B, as a Basic header encodes it), base64 / base64url (so inside a Basic
 * header whatever the client ID), a fragment of a PEM body, or a private JWK member of a PEM key.
 */
import { createPrivateKey } from 'node:crypto';

import { formUrlEncode } from '../../protocol/clientAuth/formEncode';

export function collectText(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	// An n8n error's `node` is the workflow's node as the user wrote it (its raw parameters, which
	// n8n stores with the workflow anyway); what the package adds to an error is everything else.
	const ownNode = value instanceof Error && 'node' in value;
	if (value instanceof Error) parts.push(value.message, value.stack ?? '');
	for (const key of Object.getOwnPropertyNames(value)) {
		if (ownNode && key === 'node') continue;
		parts.push(key, collectText((value as Record<string, unknown>)[key], seen));
	}
	// What a logger or n8n's execution store would write: the serialised form (toJSON included).
	try {
		parts.push(
			JSON.stringify(value, (key, member: unknown) =>
				ownNode && key === 'node' ? undefined : member,
			) ?? '',
		);
	} catch {
		// circular values are covered property by property above
	}
	return parts.join('\n');
}

const MIN_FRAGMENT = 16;

/** The private JWK members of a PEM or JWK secret, the lines of a PEM body, a JWS signature. */
function keyFragments(secret: string): string[] {
	const fragments: string[] = [];
	const pem = /-----BEGIN [A-Z ]+-----([\s\S]*?)-----END/.exec(secret.replace(/\\n/g, '\n'));
	if (pem) {
		for (const line of pem[1].split(/\s+/)) if (line.length >= MIN_FRAGMENT) fragments.push(line);
		try {
			const jwk = createPrivateKey(secret).export({ format: 'jwk' }) as Record<string, unknown>;
			for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
				if (typeof jwk[member] === 'string') fragments.push(jwk[member]);
		} catch {
			// an encrypted or unparseable PEM: its body lines are still searched
		}
	}
	if (secret.trim().startsWith('{')) {
		try {
			const jwk = JSON.parse(secret) as Record<string, unknown>;
			for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'private_key'])
				if (typeof jwk[member] === 'string') fragments.push(...forms(jwk[member]));
		} catch {
			// not JSON after all
		}
	}
	// A bearer JWT (a client assertion from elsewhere): its signature alone, with a known payload, is the token.
	const jws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]{16,})$/.exec(secret.trim());
	if (jws) fragments.push(jws[1]);
	return fragments;
}

/** The textual forms of one secret. */
function forms(secret: string): string[] {
	return [
		secret,
		JSON.stringify(secret).slice(1, -1),
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		formUrlEncode(secret),
	];
}

/** Runs of base64 / base64url text, decoded, so a Basic header or an encoded body gives up its content. */
function decodedRuns(text: string): string {
	const out: string[] = [];
	for (const run of text.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) {
		out.push(Buffer.from(run, 'base64').toString('utf8'));
		out.push(Buffer.from(run, 'base64url').toString('utf8'));
	}
	return out.join('\n');
}

/** Every form of every secret this helper searches for (exported for its own test). */
export function secretForms(secret: string): string[] {
	const all = [...forms(secret), ...keyFragments(secret)];
	const base64 = Buffer.from(secret, 'utf8').toString('base64');
	if (secret.length >= 6)
		all.push(base64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'));
	return [...new Set(all)].filter((form) => form.length >= 6);
}

export function findSecret(value: unknown, secrets: string[]): string | undefined {
	const text = collectText(value);
	const decoded = decodedRuns(text);
	for (const secret of secrets.filter((s) => s.length >= 6)) {
		for (const form of secretForms(secret)) {
			if (text.includes(form) || decoded.includes(form))
				return `${secret.slice(0, 3)}… as "${form.slice(0, 3)}…"`;
		}
	}
	return undefined;
}

export function expectNoSecrets(value: unknown, secrets: string[]): void {
	const found = findSecret(value, secrets);
	if (found)
		throw new Error(`A secret leaked (${found}) into: ${collectText(value).slice(0, 300)}`);
}

/** Runs `task` with console and stdout/stderr output captured (and silenced), returning what was written. */
export async function captureConsole<T>(
	task: () => Promise<T>,
): Promise<{ result: T | undefined; error: unknown; output: string }> {
	const written: string[] = [];
	const terminal = globalThis.console;
	const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const originals = methods.map((name) => terminal[name]);
	const streams = [process.stdout, process.stderr];
	const writes = streams.map((stream) => stream.write);
	for (const name of methods)
		terminal[name] = (...args: unknown[]) =>
			void written.push(args.map((arg) => collectText(arg)).join(' '));
	for (const stream of streams)
		stream.write = ((chunk: unknown) => written.push(String(chunk)) > 0) as typeof stream.write;
	try {
		return { result: await task(), error: undefined, output: written.join('\n') };
	} catch (error) {
		return { result: undefined, error, output: written.join('\n') };
	} finally {
		methods.forEach((name, index) => (terminal[name] = originals[index]));
		streams.forEach((stream, index) => (stream.write = writes[index]));
	}
}
