// Small builders for n8n workflow JSON (what import:workflow takes and the editor exports), so the
// test workflows read as a list of nodes and connections.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT_DIR } from './install.mjs';
import { CLIENT_SECRET_TYPE, PRIVATE_KEY_TYPE } from './credentials.mjs';

/** The node as a community package installs it: `<package name>.<node name>`. */
export const OAUTH_TOKEN = 'n8n-nodes-oauth-token-manager.oauthToken';
export const EXAMPLES_DIR = join(ROOT_DIR, 'examples');

/** The URL the examples use for the protected demo API (the demo and editor serve it there). */
export const EXAMPLE_API_URL = 'http://127.0.0.1:5690';

let position = 0;
const nextPosition = () => [(position += 220) % 2200, 300 + Math.floor(position / 2200) * 200];

export function manualTrigger(name = 'Start') {
	return {
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: nextPosition(),
		parameters: {},
	};
}

/** @param {{ id: string, name: string, type: string }} credential */
export function credentialRef(credential) {
	return { [credential.type]: { id: credential.id, name: credential.name } };
}

const kindOf = (credential) =>
	credential.type === PRIVATE_KEY_TYPE ? 'privateKeyJwt' : 'clientSecret';

/**
 * An OAuth Token node.
 * @param {string} name
 * @param {Record<string, unknown>} parameters `operation` and the operation's parameters
 * @param {{ id: string, name: string, type: string } | undefined} credential
 * @param {Record<string, unknown>} [settings] node settings such as `onError`
 */
export function oauthToken(name, parameters, credential, settings = {}) {
	const withCredential =
		credential && parameters.operation !== 'checkExpiry'
			? { authentication: kindOf(credential) }
			: {};
	return {
		name,
		type: OAUTH_TOKEN,
		typeVersion: 1,
		position: nextPosition(),
		parameters: { ...withCredential, ...parameters },
		...(credential ? { credentials: credentialRef(credential) } : {}),
		...settings,
	};
}

/** n8n's HTTP Request node, authenticated by one of the package's credentials. */
export function httpRequestWithCredential(name, url, credential, settings = {}) {
	if (![CLIENT_SECRET_TYPE, PRIVATE_KEY_TYPE].includes(credential.type))
		throw new Error(`not a package credential: ${credential.type}`);
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: nextPosition(),
		parameters: {
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credential.type,
			options: {},
		},
		credentials: credentialRef(credential),
		...settings,
	};
}

export function noOp(name) {
	return {
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: nextPosition(),
		parameters: {},
	};
}

export function codeNode(name, jsCode) {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: nextPosition(),
		parameters: { jsCode },
	};
}

/**
 * @param {string} id at most 21 characters (n8n execute --id)
 * @param {object[]} nodes
 * @param {[string, string, number?][]} edges [from, to, output index]
 */
export function workflow(id, nodes, edges) {
	/** @type {Record<string, { main: { node: string, type: 'main', index: number }[][] }>} */
	const connections = {};
	for (const [from, to, output = 0] of edges) {
		connections[from] ??= { main: [] };
		const outputs = connections[from].main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: 0 });
	}
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * The example workflows, pointed at a running protected API instead of the demo's fixed address.
 * @param {string} [apiUrl]
 * @returns {{ file: string, workflow: any }[]}
 */
export function loadExamples(apiUrl = EXAMPLE_API_URL) {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(
				readFileSync(join(EXAMPLES_DIR, file), 'utf8').replaceAll(EXAMPLE_API_URL, apiUrl),
			),
		}));
}
