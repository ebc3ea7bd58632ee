// Get Token throughput over n8n 2.41.1's real request helper (what the node uses inside n8n):
// this package (protocol core through glue/send.js, and the node's execute path) against the
// floor of the same helper with a request built once outside the loop, and against
// openid-client v6 (the peer, on fetch), in one run, against the same local oidc-provider in a
// separate process. Every measured call makes one real token request (the reuse cache is
// bypassed), so the figures compare request paths.
import { createPrivateKey, webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import * as oidc from 'openid-client';

import { startServerProcess } from './serverProcess.mjs';
import { benchmarkInterleaved, fmt } from './stats.mjs';

const require = createRequire(import.meta.url);
const protocol = require('../dist/protocol/index.js');
const { OauthToken } = require('../dist/nodes/OauthToken/OauthToken.node.js');
const { n8nSend } = require('../dist/glue/send.js');
const { createExecuteContext, n8nHttpHelper } = require('../test/helpers/n8nContext.js');

const CREDENTIAL_TYPES = {
	clientSecret: 'oauthClientSecretApi',
	privateKeyJwt: 'oauthPrivateKeyJwtApi',
};
export async function runGetTokenBench(options = {}) {
	const { info, stop } = await startServerProcess();
	const { clients } = info.fixtures;
	const helper = n8nHttpHelper();
	const send = n8nSend(helper);
	const metadata = { issuer: info.issuer, token_endpoint: info.tokenEndpoint };
	const base = {
		endpointMode: 'manual',
		tokenUrl: info.tokenEndpoint,
		grantType: 'clientCredentials',
		scope: 'api:read',
	};
	const flows = [
		{
			name: 'client_secret_basic',
			kind: 'clientSecret',
			credential: {
				...base,
				clientId: clients.basic.client_id,
				clientSecret: clients.basic.client_secret,
				clientAuthentication: 'client_secret_basic',
			},
			peerAuth: () => oidc.ClientSecretBasic(clients.basic.client_secret),
			clientId: clients.basic.client_id,
		},
		{
			name: 'client_secret_jwt HS256',
			kind: 'clientSecret',
			credential: {
				...base,
				clientId: clients.secretJwt.client_id,
				clientSecret: clients.secretJwt.client_secret,
				clientAuthentication: 'client_secret_jwt',
			},
			peerAuth: () => oidc.ClientSecretJwt(clients.secretJwt.client_secret),
			clientId: clients.secretJwt.client_id,
		},
		...['ES256', 'RS256'].map((alg) => {
			const c = clients.privateKeyJwt[alg];
			return {
				name: `private_key_jwt ${alg}`,
				kind: 'privateKeyJwt',
				credential: {
					...base,
					clientId: c.client_id,
					privateKey: c.pkcs8Pem,
					algorithm: alg,
					keyId: c.kid,
				},
				peerAuth: () => oidc.PrivateKeyJwt({ key: createPrivateKey(c.pkcs8Pem), kid: c.kid }),
				peerAuthAsync: async () =>
					oidc.PrivateKeyJwt({
						key: await webcrypto.subtle.importKey(
							'pkcs8',
							createPrivateKey(c.pkcs8Pem).export({ type: 'pkcs8', format: 'der' }),
							alg === 'ES256'
								? { name: 'ECDSA', namedCurve: 'P-256' }
								: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
							false,
							['sign'],
						),
						kid: c.kid,
					}),
				clientId: c.client_id,
			};
		}),
	];
	const rows = [];
	try {
		for (const flow of flows) {
			const config = protocol.clientConfigFromCredential(flow.kind, flow.credential);
			const node = new OauthToken();
			const { context: ctx } = createExecuteContext({
				parameters: {
					authentication: flow.kind,
					operation: 'getToken',
					options: { forceNew: true },
				},
				credentials: { [CREDENTIAL_TYPES[flow.kind]]: flow.credential },
			});
			const auth = flow.peerAuthAsync ? await flow.peerAuthAsync() : flow.peerAuth();
			const peerConfig = new oidc.Configuration(metadata, flow.clientId, {}, auth);
			oidc.allowInsecureRequests(peerConfig);
			const contenders = {
				core: async () => await protocol.getToken(config, send, { forceNew: true }),
				viaNode: async () => await node.execute.call(ctx),
				peer: async () => await oidc.clientCredentialsGrant(peerConfig, { scope: 'api:read' }),
			};
			if (flow.name === 'client_secret_basic') {
				// The floor: n8n's same helper with the request built once, outside the loop.
				const headers = {
					authorization: protocol.basicAuthorization(
						clients.basic.client_id,
						clients.basic.client_secret,
					),
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'application/json',
				};
				const body = 'grant_type=client_credentials&scope=api%3Aread';
				const request = { method: 'POST', url: info.tokenEndpoint, headers, body, json: true };
				contenders.floor = async () => await helper.helpers.httpRequest(request);
			}
			const { core, viaNode, peer, floor } = await benchmarkInterleaved(contenders, options);
			rows.push({ flow: flow.name, core, viaNode, peer, floor });
		}
	} finally {
		stop();
	}
	return rows;
}

export function getTokenTable(rows) {
	const lines = [
		'| flow | ours: core req/s (median ms) | ours: node execute req/s | openid-client (fetch) req/s (median ms) | n8n helper floor req/s | core / openid-client | core / floor | node / floor |',
		'|---|---|---|---|---|---|---|---|',
	];
	for (const r of rows) {
		lines.push(
			`| ${r.flow} | ${fmt(r.core.perSecond)} (${fmt(r.core.medianMs, 2)}) | ${fmt(r.viaNode.perSecond)} | ${fmt(r.peer.perSecond)} (${fmt(r.peer.medianMs, 2)}) | ${r.floor ? fmt(r.floor.perSecond) : '—'} | ${fmt(r.core.perSecond / r.peer.perSecond, 2)}× | ${r.floor ? `${fmt(r.core.perSecond / r.floor.perSecond, 2)}×` : '—'} | ${r.floor ? `${fmt(r.viaNode.perSecond / r.floor.perSecond, 2)}×` : '—'} |`,
		);
	}
	return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const rows = await runGetTokenBench();
	const table = getTokenTable(rows);
	console.log(table);
	await writeFile(new URL('./results/getToken.md', import.meta.url), `${table}\n`);
}
