// Running a workflow inside `n8n start`, headless, as the editor's "Execute workflow" button does
// (POST /rest/workflows/:id/run from a trigger, then the execution from GET /rest/executions/:id).
// Needed for workflows with n8n's Data Table node: `n8n execute` does not load n8n's modules, so
// there the node fails with "the module is disabled"; the server loads them.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { E2E_DIR } from './install.mjs';

// n8n sends execution data in `flatted` form (it may hold cycles); n8n's own copy reads it.
const { parse: parseFlatted } = createRequire(join(E2E_DIR, 'package.json'))('flatted');

const SECOND = 1000;

/**
 * @param {{ call: (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }> }} session
 *   a logged-in owner session (editor.mjs ownerSession)
 * @param {string} workflowId
 * @param {string} trigger the name of the trigger node to start from
 * @returns {Promise<import('./n8n.mjs').Execution & { status: string }>} the shape `n8n execute --rawOutput` prints
 */
export async function runInServer(session, workflowId, trigger, timeoutMs = 120 * SECOND) {
	const started = await session.call('POST', `/rest/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: trigger },
	});
	const executionId = started.body?.data?.executionId;
	if (started.status !== 200 || !executionId)
		throw new Error(
			`POST /rest/workflows/${workflowId}/run answered ${started.status}: ${JSON.stringify(started.body)}`,
		);
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const { status, body } = await session.call('GET', `/rest/executions/${executionId}`);
		if (status !== 200) throw new Error(`GET /rest/executions/${executionId} answered ${status}`);
		const execution = body.data;
		if (execution.finished || !['new', 'running', 'waiting'].includes(execution.status))
			return { ...execution, data: parseFlatted(execution.data) };
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(
		`execution ${executionId} of ${workflowId} did not finish in ${timeoutMs / 1000} s`,
	);
}

/**
 * Waits for n8n's readiness probe (database connected and migrated, server fully started): under
 * load `n8n start` answers /rest/settings, which startEditor waits for, while other routes still
 * say "n8n is starting up".
 * @param {string} url the server's base URL
 */
export async function waitUntilReady(url, timeoutMs = 120 * SECOND) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const ready = await fetch(`${url}/healthz/readiness`).then(
			(response) => response.ok,
			() => false,
		);
		if (ready) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url}/healthz/readiness did not answer 200 in ${timeoutMs / 1000} s`);
}
