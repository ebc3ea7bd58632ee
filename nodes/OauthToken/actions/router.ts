/** Runs the chosen operation once per item, with paired items and Continue On Fail. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { errorItemJson, toNodeError } from '../../../glue/nodeErrors';
import * as checkExpiry from './checkExpiry.operation';
import * as getToken from './getToken.operation';
import * as introspectToken from './introspectToken.operation';
import * as refreshToken from './refreshToken.operation';
import * as revokeToken from './revokeToken.operation';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData>;

const operations: Record<string, OperationExecute> = {
	getToken: getToken.execute,
	refreshToken: refreshToken.execute,
	revokeToken: revokeToken.execute,
	introspectToken: introspectToken.execute,
};

/**
 * Operations with several outputs return each item with its output. An item that fails under
 * Continue On Fail goes to `errorOutput`: for Check Expiry that is Needs Refresh, because an item
 * whose expiry could not be checked must never pass as Valid.
 */
interface BranchingOperation {
	outputCount: number;
	errorOutput: number;
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<checkExpiry.RoutedItem>;
}

const branchingOperations: Record<string, BranchingOperation> = {
	checkExpiry: {
		outputCount: 2,
		errorOutput: checkExpiry.NEEDS_REFRESH_OUTPUT,
		execute: checkExpiry.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	// `operation` takes no expressions, so the first item's is every item's.
	const branching = branchingOperations[this.getNodeParameter('operation', 0) as string];
	const outputs: INodeExecutionData[][] = Array.from(
		{ length: branching?.outputCount ?? 1 },
		() => [],
	);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = operations[operation];
		try {
			if (branching) {
				const routed = await branching.execute.call(this, itemIndex);
				outputs[routed.output].push(routed.item);
				continue;
			}
			if (!run)
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" is not supported`,
					{ itemIndex },
				);
			outputs[0].push(await run.call(this, itemIndex));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			outputs[branching?.errorOutput ?? 0].push({
				json: errorItemJson(nodeError),
				pairedItem: { item: itemIndex },
			});
		}
	}
	return outputs;
}
