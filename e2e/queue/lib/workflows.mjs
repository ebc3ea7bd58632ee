// Workflows the queue suite triggers through production webhooks (queue mode runs webhook
// executions on the workers), built from the e2e builders, and their import as active workflows.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { httpRequestWithCredential, oauthToken, workflow } from '../../lib/workflows.mjs';

export const QUEUE_WORKFLOWS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'workflows');

let webhookCount = 0;

/** A production webhook that answers with the first item of the last node once the run ends. */
export function webhookTrigger(name, path) {
	webhookCount += 1;
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 300],
		webhookId: `00000000-0000-4000-8000-${String(webhookCount).padStart(12, '0')}`,
		parameters: {
			httpMethod: 'POST',
			path,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	};
}

/** A Set node: name → expression, or name → [expression, type]. */
export function setFields(name, fields) {
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [900, 300],
		parameters: {
			assignments: {
				assignments: Object.entries(fields).map(([field, spec], index) => {
					const [value, type = 'string'] = Array.isArray(spec) ? spec : [spec];
					return { id: `${name}-${index}`, name: field, value, type };
				}),
			},
			options: {},
		},
	};
}

/** Webhook → HTTP Request with each credential → the execution id and both answers. */
export function httpWorkflow(id, path, apiUrl, credentials) {
	return {
		...workflow(
			id,
			[
				webhookTrigger('Webhook', path),
				httpRequestWithCredential('API secret', `${apiUrl}/api/secret`, credentials.clientSecret),
				httpRequestWithCredential('API key', `${apiUrl}/api/key`, credentials.privateKeyJwt),
				setFields('Result', {
					execution: '={{ $execution.id }}',
					secret: ["={{ $('API secret').item.json.ok }}", 'boolean'],
					key: ["={{ $('API key').item.json.ok }}", 'boolean'],
				}),
			],
			[
				['Webhook', 'API secret'],
				['API secret', 'API key'],
				['API key', 'Result'],
			],
		),
	};
}

/**
 * Webhook `{ count }` → that many items → Get Token on each → one summary item: how many items
 * got a token, how many distinct tokens, how many came from the process's cache.
 */
export function getTokenWorkflow(id, path, credential) {
	const code = (name, jsCode) => ({
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [400, 300],
		parameters: { jsCode },
	});
	return {
		...workflow(
			id,
			[
				webhookTrigger('Webhook', path),
				code(
					'Items',
					'const count = $input.first().json.body.count;\nreturn Array.from({ length: count }, (_, i) => ({ json: { i } }));',
				),
				oauthToken('Get Token', { operation: 'getToken' }, credential),
				code(
					'Summary',
					"const items = $input.all().map((item) => item.json);\nreturn [{ json: {\n  execution: $execution.id,\n  items: items.length,\n  withToken: items.filter((t) => typeof t.access_token === 'string' && t.access_token.length > 0).length,\n  distinctTokens: new Set(items.map((t) => t.access_token)).size,\n  fromCache: items.filter((t) => t.reused_cached_token === true).length,\n} }];",
				),
			],
			[
				['Webhook', 'Items'],
				['Items', 'Get Token'],
				['Get Token', 'Summary'],
			],
		),
	};
}

/** A workflow file from e2e/queue/workflows/. */
export function loadQueueWorkflow(file) {
	return JSON.parse(readFileSync(join(QUEUE_WORKFLOWS_DIR, file), 'utf8'));
}

/**
 * Publishes workflows in a running main, as the editor's "Publish" / activate toggle does (the
 * CLI's import --activeState=fromJson did not register webhooks in 2.41.1 before main started).
 * @param {{ call: (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }> }} session
 * @param {string[]} ids
 */
export async function activate(session, ids) {
	for (const id of ids) {
		const current = await session.call('GET', `/rest/workflows/${id}`);
		if (current.status !== 200)
			throw new Error(`GET workflow ${id}: ${current.status} ${JSON.stringify(current.body)}`);
		const { versionId } = current.body.data;
		const answer = await session.call('POST', `/rest/workflows/${id}/activate`, { versionId });
		if (answer.status !== 200)
			throw new Error(`activate ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
	}
}
