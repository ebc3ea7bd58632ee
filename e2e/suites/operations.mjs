// Every operation of the OAuth Token node in real n8n, with both credential types and every client
// authentication method; Check Expiry's two outputs and the outputs following the operation.
import assert from 'node:assert/strict';

import { executeOk, now, tokenRequests } from '../lib/checks.mjs';
import {
	CLIENT_SECRET_TYPE,
	discoveredEndpoints,
	manualEndpoints,
	PRIVATE_KEY_TYPE,
} from '../lib/credentials.mjs';
import { outputCount, outputItems, ranNodes } from '../lib/n8n.mjs';
import { codeNode, manualTrigger, noOp, oauthToken, workflow } from '../lib/workflows.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** One credential per client authentication method and grant, with what the server must see. */
function getTokenMatrix(server) {
	const { clients, users } = server.fixtures;
	const secret = (id, client, data) => ({
		id,
		name: id,
		type: CLIENT_SECRET_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: client.client_id,
			clientSecret: client.client_secret,
			grantType: 'clientCredentials',
			scope: 'api:read',
			...data,
		},
	});
	const key = (id, client, data) => ({
		id,
		name: id,
		type: PRIVATE_KEY_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: client.client_id,
			privateKey: client.pkcs8Pem,
			grantType: 'clientCredentials',
			scope: 'api:read',
			...data,
		},
	});
	const { ES256, PS256, EdDSA, RS256 } = clients.privateKeyJwt;
	return [
		{
			credential: secret('e2eBasic', clients.basic, {
				clientAuthentication: 'client_secret_basic',
			}),
			seen: (r) => r.authorization === 'basic' && r.grantType === 'client_credentials',
		},
		{
			credential: secret('e2ePost', clients.post, { clientAuthentication: 'client_secret_post' }),
			seen: (r) => r.authorization === 'none' && r.bodyKeys.includes('client_secret'),
		},
		{
			credential: secret('e2eSecretJwt', clients.secretJwt, {
				clientAuthentication: 'client_secret_jwt',
			}),
			seen: (r) => r.clientAssertion?.header.alg === 'HS256',
		},
		{
			credential: secret('e2ePassword', clients.basic, {
				clientAuthentication: 'client_secret_basic',
				grantType: 'password',
				username: users.alice.username,
				password: users.alice.password,
			}),
			seen: (r) => r.grantType === 'password' && r.authorization === 'basic',
		},
		{
			credential: key('e2eKeyEs256', ES256, { ...discoveredEndpoints(server) }),
			seen: (r) => r.clientAssertion?.header.alg === 'ES256',
		},
		{
			credential: key('e2eKeyPs256', PS256, { algorithm: 'PS256' }),
			seen: (r) => r.clientAssertion?.header.alg === 'PS256',
		},
		{
			credential: key('e2eKeyEdDsa', EdDSA, {}),
			seen: (r) => r.clientAssertion?.header.alg === 'EdDSA',
		},
		{
			credential: key('e2eJwtBearer', RS256, {
				grantType: 'jwtBearer',
				clientAuthentication: 'none',
				subject: users.alice.username,
			}),
			seen: (r) =>
				r.grantType === JWT_BEARER &&
				r.assertion?.payload.sub === users.alice.username &&
				r.clientAssertion === null &&
				r.authorization === 'none',
		},
	];
}

/** Credentials that get refresh tokens (password and JWT bearer grants), one of each type. */
function lifecycleCredentials(server) {
	const { clients, users } = server.fixtures;
	const rs256 = clients.privateKeyJwt.RS256;
	return {
		clientSecret: {
			id: 'e2eLifeSecret',
			name: 'e2eLifeSecret',
			type: CLIENT_SECRET_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: clients.secretJwt.client_id,
				clientSecret: clients.secretJwt.client_secret,
				clientAuthentication: 'client_secret_jwt',
				grantType: 'password',
				username: users.alice.username,
				password: users.alice.password,
				scope: 'api:read',
			},
		},
		privateKeyJwt: {
			id: 'e2eLifeKey',
			name: 'e2eLifeKey',
			type: PRIVATE_KEY_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: rs256.client_id,
				privateKey: rs256.pkcs8Pem,
				grantType: 'jwtBearer',
				clientAuthentication: 'private_key_jwt',
				subject: users.alice.username,
				scope: 'api:read',
			},
		},
	};
}

const lifecycleNodes = (kind, credential) => {
	const refreshed = `={{ $('Refresh ${kind}').item.json.access_token }}`;
	return {
		nodes: [
			oauthToken(`Get ${kind}`, { operation: 'getToken' }, credential),
			// A 2-hour margin: the fresh 1-hour token must go to Needs Refresh.
			oauthToken(
				`Check ${kind}`,
				{ operation: 'checkExpiry', authentication: kind, refreshMargin: 7200 },
				credential,
			),
			noOp(`Valid ${kind}`),
			oauthToken(`Refresh ${kind}`, { operation: 'refreshToken' }, credential),
			oauthToken(
				`Introspect ${kind}`,
				{ operation: 'introspectToken', token: refreshed, tokenTypeHint: 'access_token' },
				credential,
			),
			oauthToken(
				`Revoke ${kind}`,
				{ operation: 'revokeToken', token: refreshed, tokenTypeHint: 'access_token' },
				credential,
			),
			oauthToken(
				`Introspect Revoked ${kind}`,
				{ operation: 'introspectToken', token: refreshed },
				credential,
			),
		],
		edges: [
			['Start', `Get ${kind}`],
			[`Get ${kind}`, `Check ${kind}`],
			[`Check ${kind}`, `Valid ${kind}`, 0],
			[`Check ${kind}`, `Refresh ${kind}`, 1],
			[`Refresh ${kind}`, `Introspect ${kind}`],
			[`Introspect ${kind}`, `Revoke ${kind}`],
			[`Revoke ${kind}`, `Introspect Revoked ${kind}`],
		],
	};
};

const TOKEN_SETS = `
const at = (seconds) => new Date(Date.now() + seconds * 1000).toISOString();
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = [b64({ alg: 'none' }), b64({ exp: Math.floor(Date.now() / 1000) + 3600 }), 'x'].join('.');
return [
  { json: { name: 'fresh', access_token: 'opaque-fresh', expires_at: at(3600) } },
  { json: { name: 'soon', access_token: 'opaque-soon', expires_at: at(120) } },
  { json: { name: 'expired', access_token: 'opaque-expired', expires_at: at(-60) } },
  { json: { name: 'unknown', access_token: 'opaque-unknown' } },
  { json: { name: 'jwt', access_token: jwt } },
];`;

export async function operationsSuite({ env, test }) {
	const { n8n, server } = env;
	const matrix = getTokenMatrix(server);
	const lifecycle = lifecycleCredentials(server);
	await n8n.importCredentials([
		...matrix.map((entry) => entry.credential),
		...Object.values(lifecycle),
	]);

	const life = [
		lifecycleNodes('clientSecret', lifecycle.clientSecret),
		lifecycleNodes('privateKeyJwt', lifecycle.privateKeyJwt),
	];
	await n8n.importWorkflows([
		workflow(
			'opsGetToken',
			[
				manualTrigger(),
				...matrix.map(({ credential }) =>
					oauthToken(`Get ${credential.id}`, { operation: 'getToken' }, credential),
				),
			],
			matrix.map(({ credential }) => ['Start', `Get ${credential.id}`]),
		),
		workflow(
			'opsLifecycle',
			[manualTrigger(), ...life.flatMap((l) => l.nodes)],
			life.flatMap((l) => l.edges),
		),
		workflow(
			'opsExpiryRouting',
			[
				manualTrigger(),
				codeNode('Token Sets', TOKEN_SETS),
				oauthToken('Check Expiry', { operation: 'checkExpiry', refreshMargin: 300 }),
				oauthToken('Check Unknown As Valid', {
					operation: 'checkExpiry',
					refreshMargin: 300,
					treatUnknownAs: 'valid',
				}),
			],
			[
				['Start', 'Token Sets'],
				['Token Sets', 'Check Expiry'],
				['Token Sets', 'Check Unknown As Valid'],
			],
		),
	]);

	await test('Get Token with every client authentication method and grant (both credential types)', async () => {
		const since = now();
		const run = await executeOk(n8n, 'opsGetToken');
		const requests = await tokenRequests(server, since);
		for (const { credential, seen } of matrix) {
			const [item] = outputItems(run, `Get ${credential.id}`);
			assert.equal(item.token_type, 'Bearer', credential.id);
			assert.ok(
				item.access_token && item.expires_at && item.expires_at_source === 'expires_in',
				`${credential.id}: ${JSON.stringify(item)}`,
			);
			const clientId = credential.data.clientId;
			const mine = requests.filter(
				(request) => request.clientId === clientId && seen(request) && request.status === 200,
			);
			assert.ok(mine.length >= 1, `${credential.id}: the server saw no matching token request`);
		}
	});

	/** @type {import('../lib/n8n.mjs').Execution | undefined} */
	let lifecycleRun;
	await test('Get → Check Expiry → Refresh → Introspect → Revoke → Introspect, per credential type', async () => {
		const run = (lifecycleRun = await executeOk(n8n, 'opsLifecycle'));
		for (const kind of ['clientSecret', 'privateKeyJwt']) {
			const [got] = outputItems(run, `Get ${kind}`);
			assert.ok(got.refresh_token, `${kind}: Get Token returned no refresh token`);
			assert.deepEqual(
				outputItems(run, `Check ${kind}`, 0),
				[],
				`${kind}: a 1-hour token with a 2-hour margin went to Valid`,
			);
			const [checked] = outputItems(run, `Check ${kind}`, 1);
			assert.equal(checked.expiry.needs_refresh, true);
			assert.equal(checked.expiry.reason, 'access_token_expires_within_margin');
			assert.ok(!ranNodes(run).includes(`Valid ${kind}`), `${kind}: the Valid branch ran`);
			const [refreshed] = outputItems(run, `Refresh ${kind}`);
			assert.ok(
				refreshed.access_token && refreshed.access_token !== got.access_token,
				`${kind}: no new access token`,
			);
			assert.equal(
				refreshed.refresh_token_rotated,
				true,
				`${kind}: the test server rotates refresh tokens`,
			);
			const [introspected] = outputItems(run, `Introspect ${kind}`);
			assert.equal(introspected.active, true, `${kind}: refreshed token not active`);
			assert.equal(introspected.client_id, lifecycle[kind].data.clientId);
			const [revoked] = outputItems(run, `Revoke ${kind}`);
			assert.equal(revoked.revoked, true);
			assert.ok(
				!JSON.stringify(revoked).includes(refreshed.access_token),
				`${kind}: Revoke echoed the token`,
			);
			const [after] = outputItems(run, `Introspect Revoked ${kind}`);
			assert.equal(after.active, false, `${kind}: token still active after Revoke`);
		}
	});

	await test('Check Expiry routes each token set to Valid or Needs Refresh; the operation sets the outputs', async () => {
		const run = await executeOk(n8n, 'opsExpiryRouting');
		const names = (node, output) => outputItems(run, node, output).map((item) => item.name);
		assert.deepEqual(names('Check Expiry', 0), ['fresh', 'jwt']);
		assert.deepEqual(names('Check Expiry', 1), ['soon', 'expired', 'unknown']);
		const reasons = Object.fromEntries(
			outputItems(run, 'Check Expiry', 1).map((item) => [item.name, item.expiry.reason]),
		);
		assert.deepEqual(reasons, {
			soon: 'access_token_expires_within_margin',
			expired: 'access_token_expired',
			unknown: 'access_token_expiry_unknown',
		});
		const [jwt] = outputItems(run, 'Check Expiry', 0).filter((item) => item.name === 'jwt');
		assert.equal(
			jwt.expiry.access_token.source,
			'jwt_exp_unverified',
			'a JWT exp must be labelled unverified',
		);
		assert.deepEqual(names('Check Unknown As Valid', 0), ['fresh', 'unknown', 'jwt']);
		// Same node type: two outputs for Check Expiry, one for the other operations (opsLifecycle).
		assert.equal(outputCount(run, 'Check Expiry'), 2);
		assert.ok(lifecycleRun, 'needs the lifecycle run above');
		for (const node of [
			'Get clientSecret',
			'Refresh clientSecret',
			'Introspect clientSecret',
			'Revoke clientSecret',
		])
			assert.equal(outputCount(lifecycleRun, node), 1, node);
	});
}
