/** Runs the chosen operation once per item, with paired items, Continue On Fail and the error output. */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { errorItemJson, toNodeError } from '../../../glue/nodeErrors';
import { isBranching, isOperationName, OPERATIONS } from './operations';
import type { Operation } from './types';

/** What n8n puts in the Operation list of nodes whose credentials can authenticate other requests. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function chosenOperation(context: IExecuteFunctions, value: unknown, itemIndex: number): Operation {
	if (isOperationName(value)) return OPERATIONS[value];
	if (value === CUSTOM_API_CALL)
		throw new NodeOperationError(
			context.getNode(),
			'Operation: "Custom API Call" is not an operation of this node.',
			{
				itemIndex,
				description:
					'To call an API with this token, use the HTTP Request node: Authentication → Predefined Credential Type → OAuth Client Secret API or OAuth Private Key JWT API. It gets, reuses and renews the token itself.',
			},
		);
	throw new NodeOperationError(
		context.getNode(),
		`Operation: "${String(value)}" is not an operation of this node.`,
		{ itemIndex, description: 'Choose one of the operations in the Operation list.' },
	);
}

/**
 * A failed item under "Continue": the error text and hint, paired, with the input item's fields so
 * the next node still has, e.g., the token set's name and refresh token.
 *
 * "Continue (using error output)" in n8n 2.41.1 moves an item to Error when `item.error` is set or
 * when its json has no keys but `error`, `message` and `details`, and then lays the paired input
 * item's fields under that json. `item.error` cannot be used: the engine then replaces the json with
 * the message alone. So for the error output the json is `error` plus `details` (the hint and HTTP
 * code) and the engine adds the input fields; for the regular output the node adds them itself.
 */
function failedItem(
	context: IExecuteFunctions,
	input: INodeExecutionData | undefined,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const pairedItem = { item: itemIndex };
	const { error: message, ...details } = errorItemJson(error);
	if (context.getNode().onError === 'continueErrorOutput')
		return {
			json: { error: message, ...(Object.keys(details).length ? { details } : {}) },
			pairedItem,
		};
	return {
		json: { ...(input?.json ?? {}), ...errorItemJson(error) },
		...(input?.binary ? { binary: input.binary } : {}),
		pairedItem,
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	// `operation` takes no expressions, so the first item's is every item's.
	const value = this.getNodeParameter('operation', 0);
	const known = isOperationName(value) ? OPERATIONS[value] : undefined;
	const outputs: INodeExecutionData[][] = Array.from(
		{ length: known?.outputs?.length ?? 1 },
		() => [],
	);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const operation = chosenOperation(this, value, itemIndex);
			if (isBranching(operation)) {
				const routed = await operation.execute.call(this, itemIndex);
				outputs[routed.output].push(routed.item);
			} else {
				outputs[0].push(await operation.execute.call(this, itemIndex));
			}
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const output = known && isBranching(known) ? known.failedItemOutput : 0;
			outputs[output].push(failedItem(this, items[itemIndex], nodeError, itemIndex));
		}
	}
	return outputs;
}
