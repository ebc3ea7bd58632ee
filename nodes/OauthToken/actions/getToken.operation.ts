import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SingleOutputOperation } from './types';

import {
	getToken,
	OAuthConfigError,
	withItemTokens,
	type ItemOverrides,
	type ItemTokens,
} from '../../../protocol';
import { loadClientConfig } from '../../../glue/credentialConfig';
import { tokenOutput } from '../helpers/output';
import { nodeSend } from '../../../glue/send';

const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['getToken'] } },
		options: [
			{
				displayName: 'Always Request a New Token',
				name: 'forceNew',
				type: 'boolean',
				default: false,
				description:
					'Whether to skip the still-valid token this n8n process already holds for the same client and parameters, and ask the server for a new one',
			},
			// Per-item values: each replaces the credential's for this item (not added = the credential's),
			// passes the same provider rules, and gets its own cached token.
			{
				displayName: 'Audience',
				name: 'audience',
				type: 'string',
				default: '',
				description:
					'The "audience" request parameter for this item (e.g. an Auth0 API identifier), in place of the credential\'s',
			},
			{
				displayName: 'Client Assertion',
				name: 'clientAssertion',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'A client assertion signed elsewhere (a JWT) for this item, e.g. an expression reading it. Only for a credential whose Client Authentication is "Client Assertion From Elsewhere (No Key in n8n)".',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'string',
				default: '',
				description:
					'The RFC 8707 "resource" parameter for this item (the URL of the API), in place of the credential\'s',
			},
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'string',
				default: '',
				placeholder: 'api:read',
				description:
					"Space-separated scopes for this item, in place of the credential's (with Google, the scope claim)",
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				placeholder: 'alice@example.com',
				description:
					'The JWT bearer assertion\'s "sub" for this item: the mailbox to impersonate with Google domain-wide delegation, or a Salesforce username. Only for the JWT Bearer grant.',
			},
			{
				displayName: 'Tenant',
				name: 'tenant',
				type: 'string',
				default: '',
				placeholder: 'contoso.onmicrosoft.com',
				description:
					"The Microsoft Entra ID tenant (ID or verified domain) for this item, in place of the credential's: the token endpoint and audience follow it (multi-tenant apps, partner access). Only for Entra credentials.",
			},
		],
	},
	// RFC 8693: the tokens to exchange, per item (the token types are the credential's).
	{
		displayName: 'Token Exchange',
		name: 'tokenExchange',
		type: 'collection',
		placeholder: 'Add token to exchange',
		default: {},
		displayOptions: { show: { operation: ['getToken'] } },
		description:
			'Only for a credential whose grant is "Token Exchange (RFC 8693)": the tokens this item exchanges, in place of the credential\'s',
		options: [
			{
				displayName: 'Subject Token',
				name: 'subjectToken',
				type: 'string',
				typeOptions: { password: true },
				default: '={{ $json.access_token }}',
				description:
					'The token to exchange (RFC 8693 subject_token), e.g. the access token of the incoming item. Cleared: the credential\'s "Subject Token"; an expression that gives nothing for an item fails that item. Its type is the credential\'s "Subject Token Type".',
			},
			{
				displayName: 'Actor Token',
				name: 'actorToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'The token of the party acting for the subject (RFC 8693 actor_token, delegation). Cleared: the credential\'s. Needs the credential\'s "Actor Token Type".',
			},
		],
	},
];

/** The options of one of this operation's collections, with the labels the panel shows. */
function optionLabels(collection: string): Array<[string, string]> {
	const field = properties.find((property) => property.name === collection);
	return (field?.options ?? []).flatMap((option) =>
		'displayName' in option ? [[option.name, option.displayName] as [string, string]] : [],
	);
}

/**
 * A per-item value that is set but comes out empty for this item (an expression reading a field
 * the item lacks) would silently fall back to the credential's value: a token for another subject,
 * tenant or mailbox. Such an item fails instead; a cleared option means the credential's value.
 */
function refuseEmptyForItem(
	context: IExecuteFunctions,
	collection: 'options' | 'tokenExchange',
	values: Record<string, unknown>,
): void {
	const raw = context.getNode().parameters[collection];
	if (typeof raw !== 'object' || raw === null) return;
	for (const [name, label] of optionLabels(collection)) {
		const set = (raw as Record<string, unknown>)[name];
		if (typeof set !== 'string' || !set.trim() || set.trim() === '=') continue;
		const value = values[name];
		if (value === undefined || value === null || String(value).trim() === '')
			throw new OAuthConfigError(
				label,
				`"${label}" is empty for this item, so this item would get a token with the credential's value instead.`,
				`Give every item a value for "${label}" (check the field the expression reads), or clear "${label}" to use the credential's value for all items.`,
			);
	}
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		forceNew?: boolean;
	} & ItemOverrides;
	const exchange = this.getNodeParameter('tokenExchange', itemIndex, {}) as ItemTokens;
	refuseEmptyForItem(this, 'options', options as Record<string, unknown>);
	refuseEmptyForItem(this, 'tokenExchange', exchange as Record<string, unknown>);
	const config = withItemTokens(await loadClientConfig(this, itemIndex, options), exchange);
	const result = await getToken(config, nodeSend(this), { forceNew: options.forceNew === true });
	return {
		json: { ...tokenOutput(result, this.getTimezone()), reused_cached_token: result.reused },
		pairedItem: { item: itemIndex },
	};
}

export const getTokenOperation: SingleOutputOperation<'getToken'> = {
	option: {
		name: 'Get Token',
		value: 'getToken',
		description: "Get an access token with the credential's grant, reusing a still-valid one",
		action: 'Get a token',
	},
	properties,
	execute,
};
