/**
 * Run something that may throw and get the outcome as a value, so callers translate failures
 * into their own typed errors outside a catch block (and never re-throw foreign errors that may
 * carry request bodies).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function attempt<T>(run: () => T): Outcome<T> {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		return { ok: false, error };
	}
}

export async function attemptAsync<T>(run: () => Promise<T>): Promise<Outcome<T>> {
	try {
		return { ok: true, value: await run() };
	} catch (error) {
		return { ok: false, error };
	}
}

/** The `code` of a Node.js network error, wherever the HTTP client put it. */
export function errorCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
	// DOMException carries a numeric `code`; its `name` (TimeoutError, AbortError) is what tells.
	return [e?.cause?.code, e?.code, e?.name].find(
		(value): value is string => typeof value === 'string' && value !== 'Error',
	);
}
