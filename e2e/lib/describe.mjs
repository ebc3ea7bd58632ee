// Turns an n8n execution into lines a person can read: each node in the order it ran, what it
// sent to each output, the interesting fields of each item, and every token masked.

const TOKEN_FIELDS = new Set(['access_token', 'refresh_token', 'id_token', 'token']);
const SHOWN = [
	'name',
	'access_token',
	'refresh_token',
	'expires_at',
	'reused_cached_token',
	'refresh_token_rotated',
	'revoked',
	'token_masked',
	'active',
	'still_active',
	'ok',
	'client_id',
	'sub',
	'stored_at',
	'error',
];

/** The first and last 4 characters: enough to tell tokens apart, useless to an attacker. */
export const mask = (value) =>
	typeof value === 'string' && value.length > 12
		? `${value.slice(0, 4)}…${value.slice(-4)}`
		: '****';

function describeItem(json) {
	// Check Expiry passes the token set through: its verdict is the news.
	const expiry = json.expiry;
	if (expiry?.access_token) {
		const verdict = expiry.needs_refresh ? `needs refresh (${expiry.reason})` : 'valid';
		return `${json.name ?? 'token set'}: ${verdict}; access token expires ${expiry.access_token.human} [${expiry.access_token.source}]`;
	}
	const parts = [];
	for (const key of SHOWN) {
		if (!(key in json) || json[key] === null || json[key] === undefined) continue;
		const value = TOKEN_FIELDS.has(key) ? mask(json[key]) : json[key];
		parts.push(`${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`);
	}
	if (parts.length) return parts.join('  ');
	return Object.keys(json).length ? `{${Object.keys(json).join(', ')}}` : '(empty item)';
}

/**
 * @param {import('./n8n.mjs').Execution} execution
 * @param {{ nodes: { name: string, type: string, parameters?: Record<string, unknown> }[] }} workflow
 * @returns {string[]}
 */
/** Check Expiry's outputs by their names; the last one of a node set to "Continue (using error output)" is its error output. */
function outputName(node, index, count) {
	if (node?.onError === 'continueErrorOutput' && index === count - 1) return '"Error"';
	if (node?.parameters?.operation === 'checkExpiry')
		return ['"Valid"', '"Needs Refresh"'][index] ?? index;
	return index;
}

export function describeExecution(execution, workflow) {
	const lines = [];
	const runData = execution.data.resultData.runData;
	const ordered = Object.entries(runData).sort(
		([, a], [, b]) =>
			(a[0].executionIndex ?? a[0].startTime) - (b[0].executionIndex ?? b[0].startTime),
	);
	for (const [name, runs] of ordered) {
		const node = workflow.nodes.find((candidate) => candidate.name === name);
		const type = node?.type.split('.').pop() ?? '?';
		const operation = node?.parameters?.operation ? ` · ${node.parameters.operation}` : '';
		lines.push(`▶ ${name}  (${type}${operation}, ${runs[0].executionTime ?? 0} ms)`);
		const run = runs[runs.length - 1];
		if (run.error) {
			lines.push(`    ✘ ${run.error.message}`);
			continue;
		}
		const outputs = run.data?.main ?? [];
		outputs.forEach((items, index) => {
			const label = outputs.length > 1 ? `output ${outputName(node, index, outputs.length)}: ` : '';
			if (!items?.length) {
				if (label) lines.push(`    ${label}(no items)`);
				return;
			}
			for (const item of items) lines.push(`    ${label}${describeItem(item.json)}`);
		});
	}
	return lines;
}
