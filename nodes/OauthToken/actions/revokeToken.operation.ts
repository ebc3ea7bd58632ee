import {
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { revokeToken, toIso, zoneFor } from '../../../protocol';
import { loadClientConfig } from '../../../glue/credentialConfig';
import { nodeSend } from '../../../glue/send';
import { tokenParameters, tokenTypeHint } from './tokenParameters';
import type { SingleOutputOperation } from './types';

const properties: INodeProperties[] = [
	...tokenParameters('revokeToken'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['revokeToken'] } },
		options: [
			{
				displayName: 'Treat Invalid Token as Already Revoked',
				name: 'invalidTokenMeansRevoked',
				type: 'boolean',
				default: false,
				description:
					'Whether an "invalid_token" answer counts as success, because the token can no longer be used. Salesforce answers this way for tokens that are already revoked or expired; its preset always does this.',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const token = String(this.getNodeParameter('token', itemIndex, '') ?? '');
	const hint = tokenTypeHint(this.getNodeParameter('tokenTypeHint', itemIndex, 'auto'));
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		invalidTokenMeansRevoked?: boolean;
	};
	const config = await loadClientConfig(this, itemIndex);
	const result = await revokeToken(config, token, nodeSend(this, 'revocation'), {
		tokenTypeHint: hint,
		invalidTokenMeansRevoked: options.invalidTokenMeansRevoked === true,
		sleep,
	});
	// The token itself is never output: only a masked form that tells which one it was.
	return {
		json: {
			revoked: true,
			token_masked: result.tokenMasked ?? null,
			token_type_hint: result.tokenTypeHint ?? null,
			already_invalid: result.alreadyInvalid,
			revoked_at: toIso(result.revokedAt, zoneFor(this.getTimezone())),
			revocation_endpoint: result.revocationEndpoint,
			http_status: result.status,
			attempts: result.attempts,
		},
		pairedItem: { item: itemIndex },
	};
}

export const revokeTokenOperation: SingleOutputOperation<'revokeToken'> = {
	option: {
		name: 'Revoke Token',
		value: 'revokeToken',
		description: 'Make an access or refresh token unusable',
		action: 'Revoke a token',
	},
	properties,
	execute,
};
