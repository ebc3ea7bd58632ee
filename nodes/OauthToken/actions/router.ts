/** Runs the chosen operation once per item, with paired items and Continue On Fail. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { errorItemJson, toNodeError } from '../helpers/errors';
import * as getToken from './getToken.operation';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData>;

const operations: Record<string, OperationExecute> = {
	getToken: getToken.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = operations[operation];
		try {
			if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, { itemIndex });
			results.push(await run.call(this, itemIndex));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			results.push({ json: errorItemJson(nodeError), error: nodeError, pairedItem: { item: itemIndex } });
		}
	}
	return [results];
}
