import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	INode,
	INodeExecutionData,
	IHttpRequestOptions,
} from 'n8n-workflow';

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
	/** What `getExecutionCancelSignal()` returns (n8n aborts it when the execution is stopped). */
	cancelSignal?: AbortSignal;
}

export interface RecordedHttpCall {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
}

/** The subset of n8n-core's request helpers the tests use. */
export interface N8nRequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
}

export function n8nRequestHelpers(credentialsHelper?: object, node?: INode): N8nRequestHelpers;
export function n8nHttpHelper(calls?: RecordedHttpCall[]): IHttpRequestHelper;
export function createExecuteContext(options: ContextOptions): {
	context: IExecuteFunctions;
	httpCalls: RecordedHttpCall[];
};
