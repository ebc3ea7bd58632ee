/**
 * A stand-in for n8n's IExecuteFunctions that runs the node's real code against real HTTP.
 * `helpers.httpRequest` follows n8n's documented semantics for the options the node uses
 * (returnFullResponse, ignoreHttpStatusErrors, encoding 'text', disableFollowRedirect, timeout)
 * and goes over the wire with fetch; everything else is plain data.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';

export interface ContextOptions {
	parameters: IDataObject;
	/** Per-item parameter overrides. */
	itemParameters?: IDataObject[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The node's On Error setting, e.g. 'continueErrorOutput' (implies continueOnFail). */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	timezone?: string;
}

export interface RecordedHttpCall {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
}

const node: INode = {
	id: 'oauth-token-node',
	name: 'OAuth Token',
	type: 'n8n-nodes-oauth-token-manager.oauthToken',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

async function httpRequest(
	options: IHttpRequestOptions,
	calls: RecordedHttpCall[],
): Promise<unknown> {
	const headers = Object.fromEntries(
		Object.entries(options.headers ?? {}).map(([k, v]) => [k, String(v)]),
	);
	calls.push({
		method: options.method ?? 'GET',
		url: options.url,
		headers,
		body: typeof options.body === 'string' ? options.body : undefined,
	});
	const response = await fetch(options.url, {
		method: options.method ?? 'GET',
		headers,
		body: typeof options.body === 'string' ? options.body : undefined,
		redirect: options.disableFollowRedirect ? 'manual' : 'follow',
		signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
	});
	const text = await response.text();
	if (!options.ignoreHttpStatusErrors && response.status >= 400) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
			httpCode: String(response.status),
		});
	}
	const body =
		options.encoding === 'text' || options.json === false
			? text
			: text
				? JSON.parse(text)
				: undefined;
	if (!options.returnFullResponse) return body;
	const responseHeaders: IDataObject = {};
	response.headers.forEach((value, name) => {
		responseHeaders[name] = value;
	});
	return {
		body,
		headers: responseHeaders,
		statusCode: response.status,
		statusMessage: response.statusText,
	};
}

export function createExecuteContext(options: ContextOptions): {
	context: IExecuteFunctions;
	httpCalls: RecordedHttpCall[];
} {
	const items = options.items ?? [{ json: {} }];
	const httpCalls: RecordedHttpCall[] = [];
	const context = {
		getInputData: () => items,
		getNode: () => (options.onError ? { ...node, onError: options.onError } : node),
		getTimezone: () => options.timezone ?? 'UTC',
		continueOnFail: () => options.continueOnFail === true || options.onError !== undefined,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const perItem = options.itemParameters?.[itemIndex];
			if (perItem && name in perItem) return perItem[name];
			if (name in options.parameters) return options.parameters[name];
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCredentials: async (type: string) => {
			const data = options.credentials[type];
			if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
			return data;
		},
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) =>
				await httpRequest(requestOptions, httpCalls),
		},
	} as unknown as IExecuteFunctions;
	return { context, httpCalls };
}

export async function runNode(
	options: ContextOptions,
): Promise<{ output: INodeExecutionData[][]; httpCalls: RecordedHttpCall[] }> {
	const { context, httpCalls } = createExecuteContext(options);
	const output = await new OauthToken().execute.call(context);
	return { output, httpCalls };
}
