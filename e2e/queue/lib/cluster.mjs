// n8n in queue mode: one main (`n8n start`: editor, REST API, webhooks, puts executions on the
// Redis queue) and `n8n worker` processes that run them, all on one Postgres database and one
// Redis. Each process has its own user folder (the package installed in each, as on separate
// machines), its own task-broker port and health port; the encryption key is shared, as queue
// mode requires (workers decrypt the credentials main stored).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { N8N_BIN, NODE24 } from '../../lib/install.mjs';
import { freePort, N8n } from '../../lib/n8n.mjs';
import { killGroup } from '../../lib/processes.mjs';

const SECOND = 1000;

/** Environment every process of the cluster shares: database, queue, key (set by N8n). */
export function queueEnv({ postgres, redis }) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Webhook executions are kept, so a test can read any of them back.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
	};
}

/**
 * One long-running n8n process. Its output is kept (the last 200 kB) and, for a worker, every
 * "Worker started execution N" line is recorded, which is how the suite knows which worker ran
 * which execution.
 */
function startProcess(name, n8n, args, extraEnv) {
	const child = spawn(NODE24, [N8N_BIN, ...args], {
		env: { ...n8n.env, ...extraEnv },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	/** @type {Set<string>} */
	const executions = new Set();
	let partial = '';
	const collect = (chunk) => {
		output = (output + chunk).slice(-200_000);
		const lines = (partial + chunk).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			const started = /Worker started execution (\d+)/.exec(line);
			if (started) executions.add(started[1]);
		}
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = false;
	child.on('exit', () => (exited = true));
	return {
		name,
		pid: child.pid,
		executions,
		output: () => output,
		get exited() {
			return exited;
		},
		/** SIGKILL to its process group (n8n and its task runner): a crash, no clean-up. */
		kill: () =>
			new Promise((resolve) => {
				if (exited) return resolve(undefined);
				child.once('exit', () => resolve(undefined));
				killGroup(child.pid);
			}),
		/** SIGTERM (n8n's graceful shutdown), SIGKILL after 20 s. */
		stop: () =>
			new Promise((resolve) => {
				if (exited) return resolve(undefined);
				const force = setTimeout(() => killGroup(child.pid), 20 * SECOND);
				child.once('exit', () => {
					clearTimeout(force);
					killGroup(child.pid); // the task runner, if it outlived its parent
					resolve(undefined);
				});
				try {
					process.kill(child.pid, 'SIGTERM');
				} catch {
					// gone
				}
			}),
	};
}

/** Polls `url` until it answers 200: n8n's /healthz/readiness is 200 once DB and Redis are up. */
async function waitReady(proc, url, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (proc.exited) throw new Error(`${proc.name} exited before it was ready:\n${proc.output()}`);
		const ready = await fetch(url, { signal: AbortSignal.timeout(5 * SECOND) }).then(
			(response) => response.ok,
			() => false,
		);
		if (ready) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(
		`${proc.name} not ready after ${timeoutMs / 1000} s:\n${proc.output().slice(-5000)}`,
	);
}

/**
 * Per-process user folders: `base` has the packed package installed already (run.mjs), and each
 * worker gets a copy of its nodes folder, so every process loads the same tarball.
 * @param {{ base: N8n, root: string, services: { postgres: any, redis: any }, workers?: number, concurrency?: number, readyTimeoutMs?: number }} options
 */
export async function startCluster({
	base,
	root,
	services,
	workers = 2,
	concurrency = 10,
	readyTimeoutMs = 240 * SECOND,
}) {
	const env = queueEnv(services);
	/** @type {ReturnType<typeof startProcess>[]} */
	const processes = [];
	const close = async () => {
		await Promise.all(processes.map((proc) => proc.stop()));
	};
	try {
		const mainPort = await freePort();
		const url = `http://127.0.0.1:${mainPort}`;
		const main = startProcess('main', base, ['start'], {
			...env,
			N8N_PORT: String(mainPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_EDITOR_BASE_URL: `${url}/`,
			WEBHOOK_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
		});
		processes.push(main);
		// Workers start only after main: main runs the database migrations on a fresh database.
		await waitReady(main, `${url}/healthz/readiness`, readyTimeoutMs);

		const workerProcs = [];
		for (let index = 1; index <= workers; index++) {
			const name = `worker-${index}`;
			const folder = join(root, name);
			mkdirSync(join(folder, '.n8n'), { recursive: true });
			cpSync(join(base.userFolder, '.n8n', 'nodes'), join(folder, '.n8n', 'nodes'), {
				recursive: true,
			});
			const n8n = new N8n({ userFolder: folder, brokerPort: await freePort() });
			n8n.dispose(); // only its env is used
			const healthPort = await freePort();
			const worker = startProcess(name, n8n, ['worker', `--concurrency=${concurrency}`], {
				...env,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
			worker.healthUrl = `http://127.0.0.1:${healthPort}/healthz/readiness`;
			processes.push(worker);
			workerProcs.push(worker);
		}
		await Promise.all(
			workerProcs.map((worker) => waitReady(worker, worker.healthUrl, readyTimeoutMs)),
		);

		return {
			url,
			main,
			workers: workerProcs,
			/** The worker that logged the start of this execution, if any. */
			workerOf: (executionId) =>
				workerProcs.find((worker) => worker.executions.has(String(executionId)))?.name,
			/** POST JSON to a production webhook; resolves with the status and the parsed body. */
			async webhook(path, body, timeoutMs = 180 * SECOND) {
				const response = await fetch(`${url}/webhook/${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body ?? {}),
					signal: AbortSignal.timeout(timeoutMs),
				});
				const text = await response.text();
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				return { status: response.status, body: json, text };
			},
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

/**
 * Why the latest failed execution of a workflow failed, read from Postgres (a webhook that fails
 * answers only "Error in workflow"): the error part of its run data.
 */
export async function lastFailure(postgres, workflowId) {
	const data = await postgres.query(
		`select d.data from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" = '${workflowId}' and e.status = 'error' order by e.id desc limit 1`,
	);
	const at = data.search(/"message"|NodeOperationError|NodeApiError|Error:/);
	return data ? data.slice(Math.max(0, at - 200), at + 1500) : '(no failed execution)';
}
