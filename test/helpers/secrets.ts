/** Asserts that no secret appears anywhere in a value: message, description, cause, context, output JSON. */
export function collectText(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	if (value instanceof Error) parts.push(value.message, value.stack ?? '');
	for (const key of Object.getOwnPropertyNames(value)) {
		parts.push(key, collectText((value as Record<string, unknown>)[key], seen));
	}
	return parts.join('\n');
}

export function expectNoSecrets(value: unknown, secrets: string[]): void {
	const text = collectText(value);
	for (const secret of secrets.filter((s) => s.length >= 6)) {
		if (text.includes(secret))
			throw new Error(`A secret leaked (${secret.slice(0, 3)}…) into: ${text.slice(0, 300)}`);
		const encoded = encodeURIComponent(secret);
		if (text.includes(encoded))
			throw new Error(`A form-encoded secret leaked (${secret.slice(0, 3)}…)`);
	}
}
