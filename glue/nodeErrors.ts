/**
 * Protocol errors to n8n errors, in one place: configuration problems become NodeOperationError
 * (raised before any request), what the server said becomes NodeApiError with status, `error`,
 * `error_description`, vendor fields and a hint. Only these safe fields are passed on.
 */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import {
	InvalidResponseError,
	OAuthConfigError,
	OAuthResponseError,
	OAuthTransportError,
} from '../protocol';

export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof OAuthConfigError) {
		return new NodeOperationError(node, `${error.field}: ${error.message}`, {
			itemIndex,
			description: error.hint,
		});
	}
	if (error instanceof OAuthResponseError) {
		const response: JsonObject = {
			status: error.status,
			error: error.error,
			...(error.errorDescription ? { error_description: error.errorDescription } : {}),
			...(error.errorUri ? { error_uri: error.errorUri } : {}),
			...(error.vendorFields as JsonObject),
		};
		const where = `${error.endpoint} endpoint`;
		return new NodeApiError(node, response, {
			message: `The ${where} refused the request: ${error.error}${error.errorDescription ? ` (${error.errorDescription})` : ''}`,
			description: error.hint ?? `HTTP ${error.status}. See the server's error description above.`,
			httpCode: String(error.status),
			itemIndex,
		});
	}
	if (error instanceof InvalidResponseError) {
		return new NodeApiError(
			node,
			{ status: error.status, error: 'invalid_response' },
			{
				message: error.message,
				description:
					error.hint ??
					'Check that the URL is the OAuth endpoint itself (not a login page), and that the server is up.',
				httpCode: error.status ? String(error.status) : undefined,
				itemIndex,
			},
		);
	}
	if (error instanceof OAuthTransportError) {
		return new NodeApiError(
			node,
			{ error: 'request_failed', failure: error.code ?? 'unknown' },
			{
				message: error.message,
				description: `Check the URL, the network path from n8n to the server, and any proxy or firewall in between.${error.code ? ` (${error.code})` : ''}`,
				itemIndex,
			},
		);
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}

/** The JSON of a Continue-On-Fail error item: the message and the hint, nothing else. */
export function errorItemJson(error: NodeApiError | NodeOperationError): JsonObject {
	return {
		error: error.message,
		...(error.description ? { description: error.description } : {}),
		...(error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {}),
	};
}

/** A protocol failure in words, with the hint; shared with the credentials' own token fetch. */
export function failureMessage(error: unknown): string {
	if (error instanceof OAuthConfigError)
		return `${error.field}: ${error.message}${error.hint ? ` ${error.hint}` : ''}`;
	if (error instanceof OAuthResponseError)
		return `${error.message}${error.hint ? `. ${error.hint}` : ''}`;
	if (error instanceof InvalidResponseError || error instanceof OAuthTransportError)
		return error.message;
	return 'The token request failed.';
}
