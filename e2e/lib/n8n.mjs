// n8n's CLI against one user folder (its SQLite database, config and community nodes), with a
// fixed encryption key so imported credentials decrypt, and a timeout on every call.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8N_BIN, NODE24, node24Env } from './install.mjs';
import { run, runChecked, tail } from './processes.mjs';

/** Test-only: the credentials it protects are generated per run by the local server. */
export const ENCRYPTION_KEY = 'e2e-oauth-token-manager-0123456789';

const SECOND = 1000;

/** A free TCP port on 127.0.0.1 (n8n's task broker and editor need fixed numbers). */
export async function freePort() {
	const server = createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export class N8n {
	/** @param {{ userFolder: string, brokerPort: number, extraEnv?: Record<string, string> }} options */
	constructor({ userFolder, brokerPort, extraEnv = {} }) {
		this.userFolder = userFolder;
		// Import/export files (plain credential data) live in a private temp dir, removed by dispose().
		this.scratch = mkdtempSync(join(tmpdir(), 'n8n-e2e-io-'));
		this.env = {
			...node24Env(),
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			// Several n8n processes (parallel CI jobs, an open editor) must not share the broker port.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			GENERIC_TIMEZONE: 'UTC',
			...extraEnv,
		};
	}

	dispose() {
		rmSync(this.scratch, { recursive: true, force: true });
	}

	/** @param {string[]} args @param {number} [timeoutMs] */
	cli(args, timeoutMs = 120 * SECOND) {
		return run(NODE24, [N8N_BIN, ...args], { env: this.env, timeoutMs });
	}

	/** @param {string[]} args @param {number} [timeoutMs] */
	cliChecked(args, timeoutMs = 120 * SECOND) {
		return runChecked(NODE24, [N8N_BIN, ...args], { env: this.env, timeoutMs });
	}

	/**
	 * import:credentials exits 0 even for an unknown credential type: callers assert on executions.
	 * @param {object[]} credentials `{ id, name, type, data }` with plain `data`; n8n encrypts it
	 */
	async importCredentials(credentials) {
		const file = join(this.scratch, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		try {
			return await this.cliChecked(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** @param {object[]} workflows */
	async importWorkflows(workflows) {
		const file = join(this.scratch, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows));
		return await this.cliChecked(['import:workflow', `--input=${file}`]);
	}

	/** The stored (decrypted) data of one credential: what preAuthentication persisted. */
	async credentialData(id) {
		const file = join(this.scratch, `credential-${id}.json`);
		try {
			await this.cliChecked([
				'export:credentials',
				`--id=${id}`,
				'--decrypted',
				`--output=${file}`,
			]);
			const [credential] = JSON.parse(readFileSync(file, 'utf8'));
			return credential.data;
		} finally {
			rmSync(file, { force: true });
		}
	}

	/**
	 * `n8n execute --id --rawOutput`: exit code 0 on success, 1 when a node failed.
	 * @param {string} id
	 * @returns {Promise<{ code: number | null, signal: string | null, ms: number, run: Execution | undefined, stdout: string, stderr: string }>}
	 */
	async execute(id, timeoutMs = 120 * SECOND) {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], timeoutMs);
		if (result.timedOut)
			throw new Error(
				`n8n execute --id=${id} timed out after ${timeoutMs / 1000} s\n${tail(result.stdout)}\n${tail(result.stderr)}`,
			);
		return {
			code: result.code,
			signal: result.signal,
			ms: result.ms,
			run: parseExecution(result.stdout),
			stdout: result.stdout,
			stderr: result.stderr,
		};
	}
}

/**
 * @typedef {{ status?: string, finished?: boolean, data: { resultData: { runData: Record<string, NodeRun[]>, error?: { message: string, description?: string } } } }} Execution
 * @typedef {{ data?: { main: ({ json: Record<string, any>, error?: { message: string, description?: string } }[] | null)[] }, error?: { message: string, description?: string } }} NodeRun
 */

/**
 * The execution JSON in n8n's stdout. Log lines come first (task broker, license SDK), and on
 * failure the JSON is printed by the logger among other lines: parse from the first line that
 * starts with "{" to the first closing line that makes it valid JSON.
 * @param {string} stdout
 * @returns {Execution | undefined}
 */
export function parseExecution(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	for (let end = start; end < lines.length; end++) {
		if (!lines[end].startsWith('}')) continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// not the outermost brace yet
		}
	}
	return undefined;
}

/**
 * Items a node sent to one output in the last run of that node.
 * @param {Execution | undefined} execution @param {string} node @param {number} [output]
 */
export function outputItems(execution, node, output = 0) {
	return outputEntries(execution, node, output).map((item) => item.json);
}

/** Whole items (json, error, pairedItem) a node sent to one output in its last run. */
export function outputEntries(execution, node, output = 0) {
	const runs = execution?.data.resultData.runData[node];
	if (!runs) throw new Error(`Node "${node}" did not run`);
	return runs[runs.length - 1].data?.main[output] ?? [];
}

/** How many outputs a node produced in its last run. */
export function outputCount(execution, node) {
	const runs = execution?.data.resultData.runData[node];
	if (!runs) throw new Error(`Node "${node}" did not run`);
	return runs[runs.length - 1].data?.main.length ?? 0;
}

export function ranNodes(execution) {
	return Object.keys(execution?.data.resultData.runData ?? {});
}
