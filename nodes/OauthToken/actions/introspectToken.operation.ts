import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { introspectToken, toIso, zoneFor } from '../../../protocol';
import { loadClientConfig } from '../../../glue/credentialConfig';
import { nodeSend } from '../../../glue/send';
import { tokenParameters, tokenTypeHint } from './tokenParameters';
import type { SingleOutputOperation } from './types';

const properties: INodeProperties[] = tokenParameters('introspectToken');

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const token = String(this.getNodeParameter('token', itemIndex, '') ?? '');
	const hint = tokenTypeHint(this.getNodeParameter('tokenTypeHint', itemIndex, 'auto'));
	const config = await loadClientConfig(this, itemIndex);
	const result = await introspectToken(config, token, nodeSend(this, 'introspection'), {
		tokenTypeHint: hint,
		sleep,
	});
	const zone = zoneFor(this.getTimezone());
	const { expiresAt, introspectedAt } = result;
	// The server's fields as sent, then the computed ones; an inactive token has no known expiry.
	const json: IDataObject = {
		...(result.response as IDataObject),
		introspected_at: toIso(introspectedAt, zone),
		expires_at: expiresAt === null ? null : toIso(expiresAt, zone),
		expires_at_source: expiresAt === null ? 'unknown' : 'introspection_exp',
		seconds_until_expiry:
			expiresAt === null ? null : Math.floor((expiresAt - introspectedAt) / 1000),
		expired: expiresAt === null ? null : expiresAt <= introspectedAt,
	};
	return { json, pairedItem: { item: itemIndex } };
}

export const introspectTokenOperation: SingleOutputOperation<'introspectToken'> = {
	option: {
		name: 'Introspect Token',
		value: 'introspectToken',
		description: 'Ask the server whether a token is still active, and when it expires',
		action: 'Introspect a token',
	},
	properties,
	execute,
};
