/**
 * Check Expiry: reads a stored token set, works out when its tokens expire (protocol/expiry/checkExpiry.ts)
 * and sends the item to "Valid" (output 0) or "Needs Refresh" (output 1). No credential needed;
 * one, when chosen, lends its lifespan defaults and its introspection endpoint.
 *
 * Over 300 lines mostly for its parameter declarations (each with a description a non-expert can
 * follow); the execute part is short and pairs with them, as every operation file does.
 */
import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	asTokenSet,
	checkExpiry,
	expiryReport,
	introspectToken,
	OAuthConfigError,
	toNumber,
	wouldIntrospect,
	zoneFor,
	DEFAULT_MARGIN_SECONDS,
	type CheckExpiryOptions,
	type ClientConfig,
	type JsonObject,
	type TreatUnknownAs,
} from '../../../protocol';
import { loadClientConfig } from '../../../glue/credentialConfig';
import { nodeSend } from '../../../glue/send';
import type { BranchingOperation, RoutedItem } from './types';

const show = { operation: ['checkExpiry'] };

const VALID_OUTPUT = 0;
const NEEDS_REFRESH_OUTPUT = 1;

/** Named-field parameters and the token-set member each one fills. */
const NAMED_FIELDS: ReadonlyArray<readonly [string, string]> = [
	['accessToken', 'access_token'],
	['expiresAt', 'expires_at'],
	['expiresIn', 'expires_in'],
	['obtainedAt', 'obtained_at'],
	['issuedAt', 'issued_at'],
	['refreshToken', 'refresh_token'],
	['refreshTokenExpiresAt', 'refresh_token_expires_at'],
	['refreshTokenExpiresIn', 'refresh_expires_in'],
];

function namedField(
	displayName: string,
	name: string,
	member: string,
	description: string,
	secret = false,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		...(secret ? { typeOptions: { password: true } } : {}),
		default: `={{ $json.${member} }}`,
		displayOptions: { show: { ...show, tokenInput: ['fields'] } },
		description,
	};
}

const properties: INodeProperties[] = [
	{
		displayName: 'Credential Type',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Client Secret',
				value: 'clientSecret',
				description:
					'Use the lifespans and introspection endpoint of an OAuth Client Secret API credential',
			},
			{ name: 'None', value: 'none', description: 'Check the token set alone' },
			{
				name: 'Private Key JWT',
				value: 'privateKeyJwt',
				description:
					'Use the lifespans and introspection endpoint of an OAuth Private Key JWT API credential',
			},
		],
		default: 'none',
		displayOptions: { show },
		description:
			'Checking expiry needs no credential. Choose one to use its lifespan defaults (e.g. the ServiceNow preset\'s 1800 s / 100 days) and, with "Introspect When Expiry Is Unknown", its introspection endpoint.',
	},
	// Places the credential selector right under Credential Type; renders nothing itself.
	{
		displayName: 'Credential',
		name: 'checkExpiryCredential',
		type: 'credentials',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Token Set From',
		name: 'tokenInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Whole Item',
				value: 'item',
				description: 'The incoming item is the token set, as Get Token and Refresh output it',
			},
			{
				name: 'One Field',
				value: 'field',
				description:
					'A field of the item holds the token set (an object, or JSON text such as a database column)',
			},
			{ name: 'Separate Fields', value: 'fields', description: 'Map each figure yourself' },
		],
		default: 'item',
		displayOptions: { show },
		description: 'Where the token set to check is',
	},
	{
		displayName: 'Field Name',
		name: 'inputField',
		type: 'string',
		default: 'token',
		required: true,
		placeholder: 'token',
		displayOptions: { show: { ...show, tokenInput: ['field'] } },
		description: 'The field holding the token set; use dots for nested fields, e.g. data.token',
	},
	namedField(
		'Access Token',
		'accessToken',
		'access_token',
		'The access token. A JWT\'s "exp" is read (unverified) when nothing else says when it expires.',
		true,
	),
	namedField(
		'Expires At',
		'expiresAt',
		'expires_at',
		'When the access token expires: epoch seconds, epoch milliseconds or an ISO 8601 date',
	),
	namedField(
		'Expires In (Seconds)',
		'expiresIn',
		'expires_in',
		'The access token lifetime the server gave, counted from Obtained At',
	),
	namedField(
		'Obtained At',
		'obtainedAt',
		'obtained_at',
		'When the token was received; the start for Expires In and the lifespans',
	),
	namedField(
		'Issued At',
		'issuedAt',
		'issued_at',
		"Salesforce's issued_at (epoch milliseconds); used with the access token lifespan",
	),
	namedField(
		'Refresh Token',
		'refreshToken',
		'refresh_token',
		'The refresh token, if there is one',
		true,
	),
	namedField(
		'Refresh Token Expires At',
		'refreshTokenExpiresAt',
		'refresh_token_expires_at',
		'When the refresh token expires: epoch seconds, epoch milliseconds or an ISO 8601 date',
	),
	namedField(
		'Refresh Token Expires In (Seconds)',
		'refreshTokenExpiresIn',
		'refresh_expires_in',
		'The refresh token lifetime, counted from Obtained At; 0 means it does not expire (Keycloak offline tokens)',
	),
	{
		displayName: 'Refresh Margin (Seconds)',
		name: 'refreshMargin',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 300,
		displayOptions: { show },
		description:
			"Send the item to Needs Refresh when its token expires within this many seconds (or already has). The default, 300, shrinks for short-lived tokens to a fifth of the token's lifetime (a 300-second token is refreshed in its last 60 seconds); any other value is used as it is.",
	},
	{
		displayName: 'Treat Unknown As',
		name: 'treatUnknownAs',
		type: 'options',
		options: [
			{
				name: 'Needs Refresh',
				value: 'needsRefresh',
				description: 'Safe: a token whose expiry cannot be known is refreshed',
			},
			{
				name: 'Valid',
				value: 'valid',
				description:
					'Pass tokens with an unknown expiry as valid (they are still reported as unknown)',
			},
		],
		default: 'needsRefresh',
		displayOptions: { show },
		description: 'Where an item goes when nothing tells when its access token expires',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Access Token Lifespan (Seconds)',
				name: 'accessTokenLifespan',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					"Assumed when the token set does not say; overrides the credential's. 0 means unknown. ServiceNow: 1800; Salesforce: the session timeout (often 7200).",
			},
			{
				displayName: 'Assume Just Received',
				name: 'assumeJustReceived',
				type: 'boolean',
				default: false,
				description:
					'Whether to count expires_in and the lifespans from now when the token set has no obtained_at or issued_at. Only right for a token response fresh from the server.',
			},
			{
				displayName: 'Introspect When Expiry Is Unknown',
				name: 'introspectWhenUnknown',
				type: 'boolean',
				default: false,
				description:
					"Whether to ask the credential's introspection endpoint (RFC 7662) when the token set states no expiry and the access token is opaque (e.g. Salesforce). Needs a credential. An inactive answer goes to Needs Refresh.",
			},
			{
				displayName: 'Put Result In Field',
				name: 'outputField',
				type: 'string',
				default: 'expiry',
				description: 'The field of the output item that receives the figures',
			},
			{
				displayName: 'Refresh Token Lifespan (Seconds)',
				name: 'refreshTokenLifespan',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					"Assumed when the token set does not say; overrides the credential's. 0 means unknown. ServiceNow: 8640000 (100 days).",
			},
		],
	},
];

interface CheckExpiryParameters {
	accessTokenLifespan?: number;
	refreshTokenLifespan?: number;
	assumeJustReceived?: boolean;
	introspectWhenUnknown?: boolean;
	outputField?: string;
}

function readPath(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function readTokenSet(
	context: IExecuteFunctions,
	itemIndex: number,
	json: IDataObject,
): JsonObject {
	const mode = context.getNodeParameter('tokenInput', itemIndex, 'item') as string;
	if (mode === 'field') {
		const path = String(context.getNodeParameter('inputField', itemIndex, '') ?? '').trim();
		if (!path)
			throw new OAuthConfigError(
				'Field Name',
				'No field is named.',
				'Enter the field holding the token set, e.g. token.',
			);
		const value = readPath(json, path);
		if (value === undefined)
			throw new OAuthConfigError('Field Name', `The item has no field "${path}".`);
		return asTokenSet(value, 'Field Name');
	}
	if (mode === 'fields') {
		const token: JsonObject = {};
		for (const [parameter, member] of NAMED_FIELDS)
			token[member] = context.getNodeParameter(parameter, itemIndex, '');
		return token;
	}
	return json;
}

/** A node option overrides the credential's lifespan; 0 (unset) falls through to it. */
function lifespan(option: unknown, fromCredential: number | undefined): number | undefined {
	if (option === undefined || option === null || option === '' || option === 0)
		return fromCredential;
	return toNumber(option) ?? (option as number);
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<RoutedItem> {
	const item = this.getInputData()[itemIndex];
	const token = readTokenSet(this, itemIndex, item.json);
	const parameters = this.getNodeParameter('options', itemIndex, {}) as CheckExpiryParameters;
	const kind = this.getNodeParameter('authentication', itemIndex, 'none') as string;
	const config: ClientConfig | undefined =
		kind === 'none' ? undefined : await loadClientConfig(this, itemIndex);
	const margin = this.getNodeParameter('refreshMargin', itemIndex, DEFAULT_MARGIN_SECONDS);
	const marginSeconds = (toNumber(margin) ?? margin) as number;
	const options: CheckExpiryOptions = {
		now: Date.now(),
		// The parameter's default stands for the adaptive default (saved workflows store no default).
		marginSeconds: marginSeconds === DEFAULT_MARGIN_SECONDS ? undefined : marginSeconds,
		defaults: {
			accessTokenSeconds: lifespan(
				parameters.accessTokenLifespan,
				config?.lifespans.accessTokenSeconds,
			),
			refreshTokenSeconds: lifespan(
				parameters.refreshTokenLifespan,
				config?.lifespans.refreshTokenSeconds,
			),
		},
		treatUnknownAs: this.getNodeParameter(
			'treatUnknownAs',
			itemIndex,
			'needsRefresh',
		) as TreatUnknownAs,
		assumeJustReceived: parameters.assumeJustReceived === true,
	};
	if (parameters.introspectWhenUnknown === true) {
		if (!config) {
			throw new OAuthConfigError(
				'Credential Type',
				'Introspection needs a credential, and none is chosen.',
				'Choose the credential of the client the token was issued to, or turn off "Introspect When Expiry Is Unknown".',
			);
		}
		if (wouldIntrospect(token, options)) {
			const result = await introspectToken(
				config,
				String(token.access_token),
				nodeSend(this, 'introspection'),
				{ tokenTypeHint: 'access_token', sleep },
			);
			options.introspection = { active: result.response.active, expiresAt: result.expiresAt };
		}
	}
	const check = checkExpiry(token, options);
	const field = parameters.outputField?.trim() || 'expiry';
	return {
		output: check.needsRefresh ? NEEDS_REFRESH_OUTPUT : VALID_OUTPUT,
		item: {
			json: {
				...item.json,
				[field]: expiryReport(check, zoneFor(this.getTimezone())) as IDataObject,
			},
			...(item.binary ? { binary: item.binary } : {}),
			pairedItem: { item: itemIndex },
		},
	};
}

export const checkExpiryOperation: BranchingOperation<'checkExpiry'> = {
	option: {
		name: 'Check Expiry',
		value: 'checkExpiry',
		description: 'Work out when a stored token set expires and route it to Valid or Needs Refresh',
		action: 'Check token expiry',
	},
	properties,
	outputs: ['Valid', 'Needs Refresh'],
	// An item whose expiry could not be checked must never pass as Valid.
	failedItemOutput: NEEDS_REFRESH_OUTPUT,
	execute,
};
