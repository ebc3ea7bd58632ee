// Child processes with a hard timeout: every npm and n8n call in the e2e suite goes through here,
// so a hung n8n can never hang CI. The child gets its own process group, killed as a whole.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * @typedef {{ code: number | null, signal: string | null, stdout: string, stderr: string, ms: number, timedOut: boolean }} RunResult
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs: number, echo?: boolean, uid?: number, gid?: number }} options
 *   uid/gid: run as that user (Postgres refuses to run as root)
 * @returns {Promise<RunResult>}
 */
export function run(command, args, { cwd, env, timeoutMs, echo = false, uid, gid }) {
	const start = performance.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd,
			env,
			uid,
			gid,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (echo) process.stdout.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (echo) process.stderr.write(chunk);
		});
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid);
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr, ms: performance.now() - start, timedOut });
		});
	});
}

/** Like run(), but a non-zero exit or a timeout is an error that shows the command's output. */
export async function runChecked(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const what = result.timedOut
			? `timed out after ${options.timeoutMs / 1000} s`
			: `exited with ${result.code ?? result.signal}`;
		throw new Error(
			`${command} ${args.join(' ')} ${what}\n${tail(result.stdout)}\n${tail(result.stderr)}`,
		);
	}
	return result;
}

/** @param {number | undefined} pid */
export function killGroup(pid) {
	if (pid === undefined) return;
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

export const tail = (text, lines = 40) => text.split('\n').slice(-lines).join('\n');
