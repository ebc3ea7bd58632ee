/**
 * Check Expiry through the node's real code (router + operation) with a stand-in execute context:
 * items reach Valid (output 0) or Needs Refresh (output 1), no credential is needed, and bad input
 * is a NodeOperationError naming the field.
 */
import { randomUUID } from 'node:crypto';

import {
	NodeHelpers,
	NodeOperationError,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeTypes,
} from 'n8n-workflow';

import { OauthToken } from '../../nodes/OauthToken/OauthToken.node';
import { attemptAsync, toIso, zoneFor } from '../../protocol';
import { runNode, type ContextOptions } from '../helpers/executeContext';

const opaque = () => `opaque-${randomUUID()}`;
const isoIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

async function check(
	items: IDataObject[],
	parameters: IDataObject = {},
	extra: Partial<ContextOptions> = {},
) {
	const { output } = await runNode({
		parameters: {
			operation: 'checkExpiry',
			authentication: 'none',
			tokenInput: 'item',
			refreshMargin: 300,
			treatUnknownAs: 'needsRefresh',
			options: {},
			...parameters,
		},
		credentials: {},
		items: items.map((json): INodeExecutionData => ({ json })),
		...extra,
	});
	return output;
}

const expiryOf = (item: INodeExecutionData) =>
	item.json.expiry as IDataObject & { access_token: IDataObject; refresh_token?: IDataObject };

describe('Check Expiry in the node: two outputs', () => {
	it('routes each item to Valid or Needs Refresh, keeping its fields and pairing', async () => {
		const output = await check([
			{ id: 'fresh', access_token: opaque(), expires_at: isoIn(3030) },
			{ id: 'soon', access_token: opaque(), expires_at: isoIn(120) },
			{ id: 'gone', access_token: opaque(), expires_at: isoIn(-60) },
			{ id: 'unknown', access_token: opaque() },
		]);
		expect(output).toHaveLength(2);
		const [valid, needsRefresh] = output;
		expect(valid.map((i) => i.json.id)).toEqual(['fresh']);
		expect(needsRefresh.map((i) => i.json.id)).toEqual(['soon', 'gone', 'unknown']);
		expect(needsRefresh.map((i) => expiryOf(i).reason)).toEqual([
			'access_token_expires_within_margin',
			'access_token_expired',
			'access_token_expiry_unknown',
		]);
		expect(valid[0].pairedItem).toEqual({ item: 0 });
		expect(needsRefresh.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
		expect(expiryOf(valid[0]).access_token).toMatchObject({
			source: 'expires_at',
			expired: false,
			needs_refresh: false,
			human: 'in 50 minutes',
		});
		expect(expiryOf(needsRefresh[2]).access_token).toMatchObject({
			expires_at: null,
			seconds_left: null,
			expired: null,
			needs_refresh: true,
			human: 'unknown',
			source: 'unknown',
		});
	});

	it('passes unknown expiries as Valid only when told to, still reporting them as unknown', async () => {
		const [valid, needsRefresh] = await check([{ access_token: opaque() }], {
			treatUnknownAs: 'valid',
		});
		expect(needsRefresh).toHaveLength(0);
		expect(expiryOf(valid[0]).access_token).toMatchObject({
			source: 'unknown',
			expired: null,
			needs_refresh: false,
		});
		expect(expiryOf(valid[0]).needs_refresh).toBe(false);
	});

	it('has two outputs for Check Expiry and one for the other operations, as n8n itself computes them', () => {
		const nodeType = new OauthToken();
		const nodeTypes: INodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
		const outputsFor = (parameters: INodeParameters) => {
			const workflow = new Workflow({
				nodes: [
					{
						id: 'n1',
						name: 'OAuth Token',
						type: 'n8n-nodes-oauth-token-manager.oauthToken',
						typeVersion: 1,
						position: [0, 0],
						parameters,
					},
				],
				connections: {},
				active: false,
				nodeTypes,
			});
			return NodeHelpers.getNodeOutputs(
				workflow,
				workflow.getNode('OAuth Token') as INode,
				nodeType.description,
			);
		};
		expect(typeof nodeType.description.outputs).toBe('string');
		expect(outputsFor({ operation: 'checkExpiry' })).toEqual([
			{ type: 'main', displayName: 'Valid' },
			{ type: 'main', displayName: 'Needs Refresh' },
		]);
		for (const operation of ['getToken', 'refreshToken', 'revokeToken', 'introspectToken'])
			expect(outputsFor({ operation })).toEqual([{ type: 'main' }]);
		// No operation stored: the default (Get Token).
		expect(outputsFor({})).toEqual([{ type: 'main' }]);
	});

	it('needs no credential for Check Expiry, and still offers one; the other operations keep requiring theirs', () => {
		const nodeType = new OauthToken();
		const nodeTypes: INodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
		const activeCredentials = (parameters: INodeParameters) => {
			// Workflow resolves the stored parameters with their defaults, as n8n does before running.
			const workflow = new Workflow({
				nodes: [
					{
						id: 'n1',
						name: 'OAuth Token',
						type: 'n8n-nodes-oauth-token-manager.oauthToken',
						typeVersion: 1,
						position: [0, 0],
						parameters,
					},
				],
				connections: {},
				active: false,
				nodeTypes,
			});
			return [
				...(NodeHelpers.getActiveCredentialTypes(
					workflow.getNode('OAuth Token') as INode,
					nodeType.description,
				) ?? []),
			];
		};
		expect(activeCredentials({ operation: 'checkExpiry' })).toEqual([]);
		expect(
			activeCredentials({ operation: 'checkExpiry', authentication: 'privateKeyJwt' }),
		).toEqual(['oauthPrivateKeyJwtApi']);
		expect(activeCredentials({ operation: 'getToken' })).toEqual(['oauthClientSecretApi']);
		expect(activeCredentials({})).toEqual(['oauthClientSecretApi']);
		expect(
			activeCredentials({ operation: 'refreshToken', authentication: 'privateKeyJwt' }),
		).toEqual(['oauthPrivateKeyJwtApi']);
	});

	it('formats times in the workflow time zone', async () => {
		const expiresAt = Date.now() + 7_200_000;
		const [valid] = await check(
			[{ access_token: opaque(), expires_at: Math.floor(expiresAt / 1000) }],
			{},
			{ timezone: 'Asia/Tokyo' },
		);
		const expiry = expiryOf(valid[0]);
		expect(expiry.access_token.expires_at).toBe(
			toIso(Math.floor(expiresAt / 1000) * 1000, zoneFor('Asia/Tokyo')),
		);
		expect(String(expiry.access_token.expires_at)).toMatch(/\+09:00$/);
		expect(String(expiry.checked_at)).toMatch(/\+09:00$/);
	});

	it('reads the token set from one field (an object or JSON text) or from separate fields', async () => {
		const stored = { access_token: opaque(), expires_at: isoIn(3600), obtained_at: isoIn(-10) };
		const [fromObject] = await check([{ row: { token: stored } }], {
			tokenInput: 'field',
			inputField: 'row.token',
		});
		expect(expiryOf(fromObject[0]).access_token.source).toBe('expires_at');
		const [fromText] = await check([{ token: JSON.stringify(stored) }], {
			tokenInput: 'field',
			inputField: 'token',
		});
		expect(expiryOf(fromText[0]).access_token.source).toBe('expires_at');
		const [, fromFields] = await check([{}], {
			tokenInput: 'fields',
			accessToken: opaque(),
			expiresIn: '100',
			// 10 s left of 100: within the default margin, a fifth of the lifetime (20 s).
			obtainedAt: isoIn(-90),
			refreshToken: opaque(),
			refreshTokenExpiresIn: 0,
		});
		expect(expiryOf(fromFields[0]).access_token).toMatchObject({
			source: 'expires_in',
			needs_refresh: true,
		});
		expect(expiryOf(fromFields[0]).refresh_token).toMatchObject({
			source: 'no_expiry',
			human: 'never expires',
			expired: false,
		});
	});

	it('puts the figures in the field the user names', async () => {
		const [valid] = await check([{ access_token: opaque(), expires_at: isoIn(3600) }], {
			options: { outputField: 'tokenStatus' },
		});
		expect(valid[0].json.tokenStatus).toMatchObject({ needs_refresh: false });
		expect(valid[0].json.expiry).toBeUndefined();
	});

	it('uses lifespan parameters when the set does not say', async () => {
		const [valid] = await check([{ access_token: opaque(), obtained_at: isoIn(-60) }], {
			options: { accessTokenLifespan: 1800 },
		});
		expect(expiryOf(valid[0]).access_token).toMatchObject({
			source: 'default_lifespan',
			seconds_left: 1740,
		});
	});
});

describe('Check Expiry in the node: errors', () => {
	it('a negative margin is a NodeOperationError naming the field', async () => {
		const outcome = await attemptAsync(
			async () =>
				await check([{ access_token: opaque(), expires_at: isoIn(3600) }], { refreshMargin: -1 }),
		);
		expect(outcome.ok).toBe(false);
		const error = (outcome as { error: unknown }).error;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/^Refresh Margin \(Seconds\): /);
	});

	it('a malformed expiry is a NodeOperationError naming the field; under Continue On Fail it goes to Needs Refresh, never Valid', async () => {
		const outcome = await attemptAsync(
			async () => await check([{ access_token: opaque(), expires_at: 'soon' }]),
		);
		expect((outcome as { error: Error }).error).toBeInstanceOf(NodeOperationError);
		expect((outcome as { error: Error }).error.message).toMatch(
			/^expires_at: "soon" is not a usable date/,
		);

		const [valid, needsRefresh] = await check(
			[
				{ id: 1, access_token: opaque(), expires_at: 'soon' },
				{ id: 2, access_token: opaque(), expires_at: isoIn(3600) },
			],
			{},
			{ continueOnFail: true },
		);
		expect(valid.map((i) => i.json.id)).toEqual([2]);
		expect(needsRefresh).toHaveLength(1);
		expect(needsRefresh[0].json.error).toMatch(/^expires_at: /);
		expect(needsRefresh[0].pairedItem).toEqual({ item: 0 });
		// The failing token set stays whole for the next node.
		expect(needsRefresh[0].json).toMatchObject({ id: 1, expires_at: 'soon' });
	});

	it('introspection without a credential is a NodeOperationError naming Credential Type', async () => {
		const outcome = await attemptAsync(
			async () =>
				await check([{ access_token: opaque() }], { options: { introspectWhenUnknown: true } }),
		);
		expect((outcome as { error: Error }).error.message).toMatch(/^Credential Type: /);
	});

	it('a missing field is a NodeOperationError naming Field Name', async () => {
		const outcome = await attemptAsync(
			async () => await check([{ other: 1 }], { tokenInput: 'field', inputField: 'token' }),
		);
		expect((outcome as { error: Error }).error.message).toMatch(
			/^Field Name: The item has no field "token"/,
		);
	});
});

describe('Check Expiry in the node: the default margin adapts to short lifetimes', () => {
	const fresh300 = () => ({
		access_token: opaque(),
		obtained_at: isoIn(-1),
		expires_at: isoIn(299),
	});

	it('a fresh 300-second token is Valid with the default margin (a fifth of its lifetime, 60 s)', async () => {
		const [valid, needsRefresh] = await check([fresh300()]);
		expect(needsRefresh).toHaveLength(0);
		expect(expiryOf(valid[0]).margin_seconds).toBe(60);
	});

	it('goes to Needs Refresh in its last fifth', async () => {
		const [valid, needsRefresh] = await check([
			{ access_token: opaque(), obtained_at: isoIn(-250), expires_at: isoIn(50) },
		]);
		expect(valid).toHaveLength(0);
		expect(expiryOf(needsRefresh[0]).reason).toBe('access_token_expires_within_margin');
	});

	it('long-lived tokens keep 300 s, and so do tokens whose lifetime is unknown', async () => {
		const [long] = await check([
			{ access_token: opaque(), obtained_at: isoIn(-3000), expires_at: isoIn(600) },
		]);
		expect(expiryOf(long[0]).margin_seconds).toBe(300);
		const [, unknownStart] = await check([{ access_token: opaque(), expires_at: isoIn(200) }]);
		expect(expiryOf(unknownStart[0]).margin_seconds).toBe(300);
	});

	it('a margin the user sets always wins', async () => {
		const [, needsRefresh] = await check([fresh300()], { refreshMargin: 299 });
		expect(expiryOf(needsRefresh[0]).margin_seconds).toBe(299);
		const [valid] = await check([fresh300()], { refreshMargin: 0 });
		expect(expiryOf(valid[0]).margin_seconds).toBe(0);
	});
});
