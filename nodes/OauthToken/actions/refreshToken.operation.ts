import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SingleOutputOperation } from './types';

import { refreshToken, type RefreshMemo } from '../../../protocol';
import { loadClientConfig } from '../../../glue/credentialConfig';
import { tokenOutput } from '../helpers/output';
import { nodeSend } from '../../../glue/send';

const properties: INodeProperties[] = [
	{
		displayName: 'Refresh Token',
		name: 'refreshToken',
		type: 'string',
		typeOptions: { password: true },
		default: '={{ $json.refresh_token }}',
		required: true,
		displayOptions: { show: { operation: ['refreshToken'] } },
		description:
			'The refresh token to exchange. By default the "refresh_token" field of the incoming item, as Get Token and Refresh output it.',
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'string',
		default: '',
		placeholder: 'api:read',
		displayOptions: { show: { operation: ['refreshToken'] } },
		description:
			'Space-separated scopes to ask for, at most those originally granted. Leave empty to keep the original scopes.',
	},
];

/**
 * One execution's refresh results, per refresh token: items run one after another, so without
 * this the second item would reuse a refresh token the first one just used up (and, on rotating
 * servers, get the whole grant revoked). Concurrent executions share through the protocol's flights.
 */
const memos = new WeakMap<IExecuteFunctions, RefreshMemo>();

function memoFor(context: IExecuteFunctions): RefreshMemo {
	let memo = memos.get(context);
	if (!memo) {
		memo = new Map();
		memos.set(context, memo);
	}
	return memo;
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const oldRefreshToken = String(this.getNodeParameter('refreshToken', itemIndex, '') ?? '');
	const scope = String(this.getNodeParameter('scope', itemIndex, '') ?? '');
	const config = await loadClientConfig(this, itemIndex);
	const result = await refreshToken(config, oldRefreshToken, nodeSend(this), {
		scope,
		memo: memoFor(this),
	});
	return {
		json: {
			...tokenOutput(result, this.getTimezone()),
			refresh_token_rotated: result.rotated,
			shared_refresh: result.shared,
		},
		pairedItem: { item: itemIndex },
	};
}

export const refreshTokenOperation: SingleOutputOperation<'refreshToken'> = {
	option: {
		name: 'Refresh Token',
		value: 'refreshToken',
		description:
			'Exchange a refresh token for a new access token (and a new refresh token, if the server rotates them)',
		action: 'Refresh a token',
	},
	properties,
	execute,
};
