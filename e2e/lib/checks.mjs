// Shared checks for the suites: a successful execution, the authorization server's request log,
// and "no secret anywhere in this text".
import assert from 'node:assert/strict';

/** Runs a workflow and asserts n8n reported success; returns the execution. */
export async function executeOk(n8n, id) {
	const result = await n8n.execute(id);
	const error = result.run?.data.resultData.error;
	// `n8n execute` now and then dies by a signal (SIGSEGV, under load) while shutting down, after
	// it printed the whole finished execution. The execution is judged by what it printed; the
	// signal is reported, not hidden.
	if (result.code === null && result.signal && result.run && !error) {
		console.warn(`  (n8n execute ${id} printed its execution, then exited by ${result.signal})`);
		return result.run;
	}
	assert.equal(
		result.code,
		0,
		`execute ${id} exited ${result.code ?? `by signal ${result.signal}`}: ${error?.message ?? result.stdout.slice(-2000)}`,
	);
	assert.ok(result.run, `execute ${id}: no execution JSON in n8n's output`);
	return result.run;
}

/** Token endpoint requests (not revocation or introspection) since `since`, from the server's log. */
export async function tokenRequests(server, since, clientId) {
	const response = await fetch(`${server.requestLogUrl}?since=${since}`);
	const entries = await response.json();
	return entries.filter(
		(entry) => entry.path === '/token' && (clientId === undefined || entry.clientId === clientId),
	);
}

/** @param {string} text @param {string[]} secrets @param {string} where */
export function assertNoSecrets(text, secrets, where) {
	for (const secret of secrets)
		assert.ok(!text.includes(secret), `${where} contains a secret (${secret.slice(0, 3)}…)`);
}

/** Clock time of the local machine, for request log windows (the servers run in this process). */
export const now = () => Date.now();

/** An HttpSend over fetch for the suites' own admin calls (revoking a token as an admin would). */
export async function fetchSend(request) {
	const response = await fetch(request.url, {
		method: request.method,
		headers: request.headers,
		body: request.body,
		redirect: 'manual',
	});
	return {
		status: response.status,
		headers: Object.fromEntries(response.headers),
		body: await response.text(),
	};
}
