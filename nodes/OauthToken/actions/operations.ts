/** The node's operations under their values, in the order the Operation dropdown lists them. */
import { checkExpiryOperation } from './checkExpiry.operation';
import { getTokenOperation } from './getToken.operation';
import { introspectTokenOperation } from './introspectToken.operation';
import { refreshTokenOperation } from './refreshToken.operation';
import { revokeTokenOperation } from './revokeToken.operation';
import type { BranchingOperation, Operation, OperationMap, OperationName } from './types';

export const OPERATIONS: OperationMap = {
	checkExpiry: checkExpiryOperation,
	getToken: getTokenOperation,
	introspectToken: introspectTokenOperation,
	refreshToken: refreshTokenOperation,
	revokeToken: revokeTokenOperation,
};

export function isOperationName(value: unknown): value is OperationName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OPERATIONS, value);
}

export function isBranching(operation: Operation): operation is BranchingOperation<OperationName> {
	return operation.outputs !== undefined;
}
