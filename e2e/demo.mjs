// `npm run demo`: the token-rotation example (examples/token-rotation.json) in a real n8n 2.41.1,
// headless, against the local authorization server: build the package, install it into a fresh
// n8n user folder as a community package, run the workflow with `n8n execute`, and print what each
// node did, tokens masked. The first run also installs n8n and Node 24 into e2e/node_modules.
import { performance } from 'node:perf_hooks';

import { describeExecution } from './lib/describe.mjs';
import { startEnvironment } from './lib/environment.mjs';
import { seconds } from './lib/harness.mjs';
import { loadExamples } from './lib/workflows.mjs';

const EXAMPLE = 'token-rotation.json';

const start = performance.now();
const env = await startEnvironment();
let ok = false;
try {
	const { workflow } = loadExamples(env.api.url).find((example) => example.file === EXAMPLE);
	await env.n8n.importWorkflows([workflow]);
	const result = await env.n8n.execute(workflow.id);

	console.log(
		`\nn8n 2.41.1 (headless) · package ${env.packageDir.split('/').pop()} · authorization server ${env.server.issuer}`,
	);
	console.log(`Workflow "${workflow.name}" (examples/${EXAMPLE})\n`);
	if (!result.run) {
		console.log(result.stdout.slice(-3000), result.stderr.slice(-3000));
	} else {
		for (const line of describeExecution(result.run, workflow)) console.log(line);
		const error = result.run.data.resultData.error;
		if (error)
			console.log(`\n✘ ${error.message}${error.description ? `\n  ${error.description}` : ''}`);
	}
	ok = result.code === 0;
	console.log(
		`\n${ok ? '✔ The workflow ran successfully' : `✘ The workflow failed (n8n exit code ${result.code})`}: n8n execute took ${seconds(result.ms)}.`,
	);
	console.log(
		`Setup: ${Object.entries(env.timings)
			.map(([step, ms]) => `${step} ${seconds(ms)}`)
			.join(', ')}; total ${seconds(performance.now() - start)}.`,
	);
	console.log('Open it in the editor: npm run editor');
} finally {
	await env.close();
}
process.exitCode = ok ? 0 : 1;
