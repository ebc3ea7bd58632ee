// The token store of examples/token-rotation.json: an n8n Data Table (n8n-nodes-base.dataTable,
// rows kept in n8n's own database). Created, seeded, read and aged headless with n8n's own Data
// Table node in small workflows, run inside `n8n start` (serverRun.mjs): the node a user would use.
import { ownerSession, startEditor } from './editor.mjs';
import { freePort, outputItems } from './n8n.mjs';
import { runInServer, waitUntilReady } from './serverRun.mjs';
import { credentialRef } from './workflows.mjs';

export const TOKEN_TABLE = 'oauth_token_sets';

/** The table's columns: the token set Check Expiry reads and Refresh writes back, by name. */
export const TOKEN_COLUMNS = [
	['name', 'string'],
	['access_token', 'string'],
	['refresh_token', 'string'],
	['token_type', 'string'],
	['obtained_at', 'string'],
	['expires_at', 'string'],
	['refresh_token_rotated', 'boolean'],
	['refreshed_at', 'string'],
];

const byName = { __rl: true, mode: 'name', value: TOKEN_TABLE };
const manual = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

/** @param {{ id: string, name: string }} workflow @param {object[]} nodes, in a chain */
function chain(workflow, nodes) {
	const placed = [manual, ...nodes].map((node, index) => ({
		id: `${workflow.id}-${index}`,
		position: [index * 240, 0],
		...node,
	}));
	const connections = Object.fromEntries(
		placed
			.slice(0, -1)
			.map((node, index) => [
				node.name,
				{ main: [[{ node: placed[index + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	return { ...workflow, active: false, nodes: placed, connections, settings: {} };
}

const minutesFromNow = (minutes) =>
	`={{ new Date(Date.now() + ${minutes} * 60000).toISOString() }}`;

/**
 * Creates the table (reused if it exists) and stores two token sets from one fresh password-grant
 * token: "reporting" saved just now, "crm-sync" saved 58 minutes ago (2 minutes left), so the
 * rotation workflow uses both outputs of Check Expiry.
 * @param {{ id: string, name: string, type: string }} credential a credential with the password grant
 */
export function seedWorkflow(credential) {
	return chain({ id: 'e2eSeedTokenTable', name: 'e2e: create and seed the token table' }, [
		{
			name: 'Create Table',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: {
				resource: 'table',
				operation: 'create',
				tableName: TOKEN_TABLE,
				columns: { column: TOKEN_COLUMNS.map(([name, type]) => ({ name, type })) },
				options: { createIfNotExists: true },
			},
		},
		{
			name: 'Get Token',
			type: 'n8n-nodes-oauth-token-manager.oauthToken',
			typeVersion: 1,
			parameters: {
				authentication: 'clientSecret',
				operation: 'getToken',
				options: { forceNew: true },
			},
			credentials: credentialRef(credential),
		},
		{
			name: 'Two Token Sets',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: [
					'const t = $input.first().json;',
					'const at = (minutes) => new Date(Date.now() + minutes * 60000).toISOString();',
					'const set = (name, obtained, expires) => ({ json: { name, access_token: t.access_token, refresh_token: t.refresh_token, token_type: t.token_type, obtained_at: obtained, expires_at: expires, refresh_token_rotated: false, refreshed_at: at(0) } });',
					"return [set('reporting', t.obtained_at, t.expires_at), set('crm-sync', at(-58), at(2))];",
				].join('\n'),
			},
		},
		{
			// Upsert by name: seeding again (every `npm run editor` start) replaces the demo rows.
			name: 'Store Rows',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: {
				resource: 'row',
				operation: 'upsert',
				dataTableId: byName,
				matchType: 'anyCondition',
				filters: {
					conditions: [{ keyName: 'name', condition: 'eq', keyValue: '={{ $json.name }}' }],
				},
				columns: { mappingMode: 'autoMapInputData', value: null },
				options: {},
			},
		},
	]);
}

/** Every row of the table, as the Data Table node returns them. */
export function readWorkflow() {
	return chain({ id: 'e2eReadTokenTable', name: 'e2e: read the token table' }, [
		{
			name: 'Read Rows',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: { resource: 'row', operation: 'get', dataTableId: byName, returnAll: true },
		},
	]);
}

/**
 * Moves one row's clock on, as if 58 minutes had passed since its tokens were stored: the demo's
 * stand-in for waiting until the next scheduled run finds it about to expire.
 * @param {string} name the row's `name`
 */
export function ageWorkflow(name) {
	return chain({ id: 'e2eAgeTokenRow', name: `e2e: age the token set "${name}"` }, [
		{
			name: 'Age Row',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: {
				resource: 'row',
				operation: 'update',
				dataTableId: byName,
				matchType: 'anyCondition',
				filters: { conditions: [{ keyName: 'name', condition: 'eq', keyValue: name }] },
				columns: {
					mappingMode: 'defineBelow',
					value: { obtained_at: minutesFromNow(-58), expires_at: minutesFromNow(2) },
				},
				options: {},
			},
		},
	]);
}

/**
 * Gives "reporting" a refresh token the server never issued and makes it due (an hour-long token
 * with one minute left, so Check Expiry's default margin, the smaller of 300 s and a fifth of the
 * lifetime, sends it to Needs Refresh): the next rotation run must alert about it and leave the row
 * as it was.
 */
export function breakWorkflow() {
	return chain({ id: 'e2eBreakTokenRow', name: 'e2e: break the token set "reporting"' }, [
		{
			name: 'Break Row',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: {
				resource: 'row',
				operation: 'update',
				dataTableId: byName,
				matchType: 'anyCondition',
				filters: { conditions: [{ keyName: 'name', condition: 'eq', keyValue: 'reporting' }] },
				columns: {
					mappingMode: 'defineBelow',
					value: {
						refresh_token: BROKEN_REFRESH_TOKEN,
						obtained_at: minutesFromNow(-59),
						expires_at: minutesFromNow(1),
					},
				},
				options: {},
			},
		},
	]);
}

export const BROKEN_REFRESH_TOKEN = 'not-a-refresh-token-of-this-server';

/** Imports the workflows that create, read and age the table: before `n8n start` (the CLI and the server do not share the SQLite file while both run). */
export async function importTokenStoreWorkflows(env) {
	await env.n8n.importWorkflows([
		seedWorkflow(env.credentials.password),
		readWorkflow(),
		ageWorkflow('crm-sync'),
		breakWorkflow(),
	]);
}

/**
 * Creates (or reuses) and seeds the table in a running n8n, through a logged-in owner session.
 * @param {Parameters<typeof runInServer>[0]} session
 */
export async function seedTokenStore(session) {
	const run = (id, trigger = 'Start') => runInServer(session, id, trigger);
	const ok = async (id, trigger) => {
		const execution = await run(id, trigger);
		const error = execution.data.resultData.error;
		if (execution.status !== 'success')
			throw new Error(
				`workflow ${id} ended "${execution.status}"${error ? `: ${error.message}` : ''}`,
			);
		return execution;
	};
	const seeded = await ok('e2eSeedTokenTable');
	return {
		/** The Create Table node's output: the table n8n created (id, name, project, columns). */
		table: outputItems(seeded, 'Create Table')[0],
		/** Runs a workflow in the server from a trigger; the execution, whatever its status. */
		run,
		/** Every row of the table, in id order. */
		rows: async () =>
			outputItems(await ok('e2eReadTokenTable'), 'Read Rows').sort((a, b) => a.id - b.id),
		/** Makes "crm-sync" due for a refresh again (58 minutes on). */
		ageCrmSync: () => ok('e2eAgeTokenRow'),
		/** Gives "reporting" a refresh token the server rejects, due now. */
		breakReporting: () => ok('e2eBreakTokenRow'),
	};
}

/**
 * `n8n start` on the environment's user folder with the token table created and seeded. Import
 * the workflows it is to run before calling this.
 * @param {{ n8n: import('./n8n.mjs').N8n, credentials: Record<string, { id: string, name: string, type: string }> }} env
 */
export async function startTokenStore(env) {
	await importTokenStoreWorkflows(env);
	const editor = await startEditor(env.n8n, { port: await freePort() });
	try {
		await waitUntilReady(editor.url);
		const store = await seedTokenStore(await ownerSession(editor.url));
		return { ...store, url: editor.url, stop: editor.stop };
	} catch (error) {
		await editor.stop();
		throw error;
	}
}
