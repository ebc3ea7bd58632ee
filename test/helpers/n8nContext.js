'use strict';
// n8n 2.41.1's real request implementation outside n8n: n8n-core's own helper factory (the one
// every node's `this.helpers` comes from: @n8n/backend-network with its pinned axios, n8n's agents,
// proxy variables, SSRF protection), and just enough of IExecuteFunctions around it to run the
// node. The one stand-in context for tests (through executeContext.ts), the demo and benchmarks.
const {
	getRequestHelperFunctions,
} = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers');

const NODE = {
	id: 'oauth-token-node',
	name: 'OAuth Token',
	type: 'n8n-nodes-oauth-token-manager.oauthToken',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** n8n's helpers (httpRequest, httpRequestWithAuthentication, requestWithAuthentication, …). */
function n8nRequestHelpers(credentialsHelper = {}, node = NODE) {
	return getRequestHelperFunctions({}, node, { credentialsHelper });
}

function recordCall(options, calls) {
	calls.push({
		method: options.method ?? 'GET',
		url: options.url,
		headers: Object.fromEntries(
			Object.entries(options.headers ?? {}).map(([name, value]) => [name, String(value)]),
		),
		body: typeof options.body === 'string' ? options.body : undefined,
	});
}

/** What preAuthentication's `this` is in n8n: a holder of the real `helpers.httpRequest`. */
function n8nHttpHelper(calls = []) {
	const { httpRequest } = n8nRequestHelpers();
	return {
		helpers: {
			httpRequest: async (options) => {
				recordCall(options, calls);
				return await httpRequest(options);
			},
		},
	};
}

/**
 * n8n-core's own file helpers (what the Read/Write Files node uses: N8N_RESTRICT_FILE_ACCESS_TO,
 * blocked n8n folders, symlink checks), loaded on first use: they read n8n's config from the
 * environment, so a test sets N8N_RESTRICT_FILE_ACCESS_TO and N8N_USER_FOLDER before.
 */
let fileSystem;
function n8nFileSystemHelpers() {
	fileSystem ??=
		require('n8n-core/dist/execution-engine/node-execution-context/utils/file-system-helper-functions').getFileSystemHelperFunctions(
			NODE,
		);
	return fileSystem;
}
const fileHelpers = {
	resolvePath: async (path) => await n8nFileSystemHelpers().resolvePath(path),
	isFilePathBlocked: (path) => n8nFileSystemHelpers().isFilePathBlocked(path),
	createReadStream: async (path) => await n8nFileSystemHelpers().createReadStream(path),
};

function createExecuteContext(options) {
	const items = options.items ?? [{ json: {} }];
	const httpCalls = [];
	const context = {
		getInputData: () => items,
		// As in n8n, the node's parameters are the raw ones (expressions unevaluated).
		getNode: () => ({
			...NODE,
			parameters: options.parameters,
			...(options.onError ? { onError: options.onError } : {}),
		}),
		getTimezone: () => options.timezone ?? 'UTC',
		continueOnFail: () => options.continueOnFail === true || options.onError !== undefined,
		getExecutionCancelSignal: () => options.cancelSignal,
		getNodeParameter: (name, itemIndex, fallback) => {
			const perItem = options.itemParameters?.[itemIndex];
			if (perItem && name in perItem) return perItem[name];
			if (name in options.parameters) return options.parameters[name];
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCredentials: async (type) => {
			const data = options.credentials[type];
			if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
			return data;
		},
		helpers: { ...n8nHttpHelper(httpCalls).helpers, ...fileHelpers },
	};
	return { context, httpCalls };
}

module.exports = { createExecuteContext, n8nHttpHelper, n8nRequestHelpers };
