// A tiny sequential test runner: each case prints one line, the run ends with "N passed, N failed".
// node:test would run the n8n processes concurrently or hide their timings; these cases share one
// n8n user folder and must run one after another.
import { performance } from 'node:perf_hooks';

/** @type {{ name: string, status: 'pass' | 'fail', ms: number, detail?: string }[]} */
const results = [];

/** @param {string} name @param {() => Promise<void>} run */
export async function test(name, run) {
	const start = performance.now();
	try {
		await run();
		results.push({ name, status: 'pass', ms: performance.now() - start });
		console.log(`✔ ${name} (${seconds(performance.now() - start)})`);
	} catch (error) {
		const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
		results.push({ name, status: 'fail', ms: performance.now() - start, detail });
		console.log(`✘ ${name} (${seconds(performance.now() - start)})\n${indent(detail)}`);
	}
}

/** Prints the summary and returns the number of failures. */
export function summary() {
	const count = (status) => results.filter((result) => result.status === status).length;
	const failed = count('fail');
	if (failed) {
		console.log('\nFailed:');
		for (const result of results.filter((r) => r.status === 'fail'))
			console.log(`  ✘ ${result.name}`);
	}
	console.log(`\n${count('pass')} passed, ${failed} failed`);
	return failed;
}

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const indent = (text) =>
	text
		.split('\n')
		.map((line) => `    ${line}`)
		.join('\n');
