/** The shape every operation file exports: its Operation option, its parameters and its execute. */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

export type OperationName =
	'checkExpiry' | 'getToken' | 'introspectToken' | 'refreshToken' | 'revokeToken';

/** An output item and the output it goes to. */
export interface RoutedItem {
	output: number;
	item: INodeExecutionData;
}

interface OperationBase<Name extends OperationName> {
	/** The Operation dropdown's entry; `action` is the label n8n's nodes panel lists. */
	option: INodePropertyOptions & { value: Name; action: string };
	/** The operation's own parameters, each shown only for it. */
	properties: INodeProperties[];
}

/** One output: each item gives one item. */
export interface SingleOutputOperation<Name extends OperationName> extends OperationBase<Name> {
	outputs?: undefined;
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData>;
}

/** Several named outputs: each item goes to one of them. */
export interface BranchingOperation<Name extends OperationName> extends OperationBase<Name> {
	outputs: readonly string[];
	/** Where a failed item goes under "Continue" (regular output). */
	failedItemOutput: number;
	execute(this: IExecuteFunctions, itemIndex: number): Promise<RoutedItem>;
}

export type Operation<Name extends OperationName = OperationName> =
	SingleOutputOperation<Name> | BranchingOperation<Name>;

/** Every operation under its value: adding one to OperationName without its file fails to compile. */
export type OperationMap = { [Name in OperationName]: Operation<Name> };
