// Demo: start the local authorization server (oidc-provider) and get a token through the built
// OAuth Token node with each client authentication method and grant. Secrets and tokens are masked.
import { createRequire } from 'node:module';

import { startAuthServer } from '../test/server/authServer.mjs';
import { executeContext } from './executeContext.mjs';

const require = createRequire(import.meta.url);
const { OauthToken } = require('../dist/nodes/OauthToken/OauthToken.node.js');

const mask = (value) => (typeof value === 'string' && value.length > 12 ? `${value.slice(0, 4)}…${value.slice(-4)}` : '****');

const server = await startAuthServer();
const { clients, users } = server.fixtures;
const base = { endpointMode: 'manual', tokenUrl: server.tokenEndpoint, scope: 'api:read', grantType: 'clientCredentials' };
const rs = clients.privateKeyJwt.RS256;
const cases = [
	['client_secret_basic, client credentials', 'clientSecret', { ...base, clientId: clients.basic.client_id, clientSecret: clients.basic.client_secret, clientAuthentication: 'client_secret_basic' }],
	['client_secret_post, client credentials', 'clientSecret', { ...base, clientId: clients.post.client_id, clientSecret: clients.post.client_secret, clientAuthentication: 'client_secret_post' }],
	['client_secret_jwt (HS256), client credentials', 'clientSecret', { ...base, clientId: clients.secretJwt.client_id, clientSecret: clients.secretJwt.client_secret, clientAuthentication: 'client_secret_jwt' }],
	['private_key_jwt (ES256), client credentials', 'privateKeyJwt', { ...base, clientId: clients.privateKeyJwt.ES256.client_id, privateKey: clients.privateKeyJwt.ES256.pkcs8Pem, algorithm: 'auto' }],
	['JWT bearer grant (RS256), no client auth', 'privateKeyJwt', { ...base, clientId: rs.client_id, privateKey: rs.pkcs8Pem, grantType: 'jwtBearer', clientAuthentication: 'none', subject: users.alice.username }],
	['password grant, client_secret_basic', 'clientSecret', { ...base, clientId: clients.basic.client_id, clientSecret: clients.basic.client_secret, clientAuthentication: 'client_secret_basic', grantType: 'password', username: users.alice.username, password: users.alice.password }],
];

let failed = 0;
try {
	console.log(`Local authorization server: ${server.issuer}\n`);
	for (const [label, kind, credential] of cases) {
		try {
			const [[item]] = await new OauthToken().execute.call(executeContext({ kind, credential, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }));
			const { access_token, refresh_token, token_type, expires_in, expires_at, expires_at_source } = item.json;
			console.log(`✔ ${label}`);
			console.log(`    ${token_type} ${mask(access_token)}  expires_in=${expires_in}s  expires_at=${expires_at} (${expires_at_source})${refresh_token ? `  refresh_token=${mask(refresh_token)}` : ''}`);
		} catch (error) {
			failed++;
			console.log(`✘ ${label}: ${error.message}`);
		}
	}
} finally {
	await server.close();
}
console.log(`\n${cases.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
