// `npm run editor`: the n8n editor on http://127.0.0.1:5678 with the package freshly built and
// installed, the local authorization server (127.0.0.1:5689), the demo API (127.0.0.1:5690), the
// demo credentials and every workflow in examples/ loaded, for trying the nodes by hand.
// The user folder (.e2e-work/editor) is kept between runs, so your own workflows stay; the package,
// the demo credentials and the examples are refreshed at every start. Ctrl+C stops everything.
//
// Ports: EDITOR_PORT (5678), DEMO_AUTH_PORT (5689); the demo API's port is fixed in the examples.
import { join } from 'node:path';

import { DEMO_OWNER, ownerSession, startEditor } from './lib/editor.mjs';
import { startEnvironment } from './lib/environment.mjs';
import { ROOT_DIR } from './lib/install.mjs';
import { waitUntilReady } from './lib/serverRun.mjs';
import { importTokenStoreWorkflows, seedTokenStore } from './lib/tokenStore.mjs';
import { EXAMPLE_API_URL, loadExamples } from './lib/workflows.mjs';

const editorPort = Number(process.env.EDITOR_PORT ?? 5678);
const authPort = Number(process.env.DEMO_AUTH_PORT ?? 5689);
const apiPort = Number(new URL(EXAMPLE_API_URL).port);

const env = await startEnvironment({
	userFolder: join(ROOT_DIR, '.e2e-work', 'editor'),
	authPort,
	apiPort,
});
/** @type {Awaited<ReturnType<typeof startEditor>> | undefined} */
let editor;
const shutdown = async () => {
	await editor?.stop();
	await env.close();
	process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
	const examples = loadExamples();
	await env.n8n.importWorkflows(examples.map((example) => example.workflow));
	await importTokenStoreWorkflows(env);
	console.log('Starting the n8n editor…');
	editor = await startEditor(env.n8n, { port: editorPort });
	await waitUntilReady(editor.url);
	// The token-rotation example reads its token sets from this Data Table.
	await seedTokenStore(await ownerSession(editor.url));
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	await editor?.stop();
	await env.close();
	process.exit(1);
}

console.log(`
n8n editor:            ${editor.url}   (log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}; local only)
authorization server:  ${env.server.issuer}   (discovery: ${env.server.discoveryUrl})
demo API:              ${env.api.url}/api/…   (accepts only Bearer tokens of that server)

Credentials:  ${Object.values(env.credentials)
	.map((credential) => credential.name)
	.join('\n              ')}
Workflows:    ${loadExamples()
	.map((example) => `${example.workflow.name}  (examples/${example.file})`)
	.join('\n              ')}

In the HTTP Request node, choose Authentication "Predefined Credential Type" and one of the
credentials above to let the credential fetch, reuse and renew its own token.
The demo server's secrets and keys change at every start. Press Ctrl+C to stop.`);
