/**
 * Runs the node's real code against real HTTP through n8n 2.41.1's own request implementation
 * (test/helpers/n8nContext.js, shared with the demo and benchmarks).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';
import { createExecuteContext, type ContextOptions, type RecordedHttpCall } from './n8nContext';

export { createExecuteContext, type ContextOptions, type RecordedHttpCall };

export async function runNode(
	options: ContextOptions,
): Promise<{ output: INodeExecutionData[][]; httpCalls: RecordedHttpCall[] }> {
	const { context, httpCalls } = createExecuteContext(options);
	const output = await new OauthToken().execute.call(context);
	return { output, httpCalls };
}
