// Credentials for the local authorization server (test/server/authServer.mjs), in the shape
// `n8n import:credentials` takes: plain `data`, encrypted by n8n on import. Its client secrets and
// keys are generated at every server start, so these are re-imported every time.
//
// The DEMO_* ids are the ones the workflows in examples/ refer to: importing these makes every
// example runnable as is, in the e2e suite, the demo and the editor.

export const CLIENT_SECRET_TYPE = 'oauthClientSecretApi';
export const PRIVATE_KEY_TYPE = 'oauthPrivateKeyJwtApi';

export const DEMO = {
	clientSecret: {
		id: 'demoClientSecret',
		name: 'Demo: client secret, client credentials (local server)',
	},
	password: { id: 'demoPassword', name: 'Demo: password grant (local server)' },
	privateKey: {
		id: 'demoPrivateKey',
		name: 'Demo: private key JWT, client credentials (local server)',
	},
	jwtBearer: { id: 'demoJwtBearer', name: 'Demo: JWT bearer grant (local server)' },
};

/** Endpoints typed in, as most users do. */
export function manualEndpoints(server) {
	return {
		provider: 'generic',
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		revocationUrl: server.revocationEndpoint,
		introspectionUrl: server.introspectionEndpoint,
	};
}

/** Endpoints from RFC 8414 discovery. */
export function discoveredEndpoints(server) {
	return { provider: 'generic', endpointMode: 'discovery', issuerUrl: server.issuer };
}

/**
 * @param {import('../../test/server/authServer.mjs').AuthServerInfo} server
 * @returns {Record<keyof typeof DEMO, { id: string, name: string, type: string, data: Record<string, unknown> }>}
 */
export function demoCredentials(server) {
	const { clients, users } = server.fixtures;
	const es256 = clients.privateKeyJwt.ES256;
	const rs256 = clients.privateKeyJwt.RS256;
	return {
		clientSecret: {
			...DEMO.clientSecret,
			type: CLIENT_SECRET_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: clients.basic.client_id,
				clientSecret: clients.basic.client_secret,
				clientAuthentication: 'client_secret_basic',
				grantType: 'clientCredentials',
				scope: 'api:read',
			},
		},
		password: {
			...DEMO.password,
			type: CLIENT_SECRET_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: clients.post.client_id,
				clientSecret: clients.post.client_secret,
				clientAuthentication: 'client_secret_post',
				grantType: 'password',
				username: users.alice.username,
				password: users.alice.password,
				scope: 'api:read api:write',
			},
		},
		privateKey: {
			...DEMO.privateKey,
			type: PRIVATE_KEY_TYPE,
			data: {
				...discoveredEndpoints(server),
				clientId: es256.client_id,
				privateKey: es256.pkcs8Pem,
				algorithm: 'auto',
				grantType: 'clientCredentials',
				scope: 'api:read',
			},
		},
		jwtBearer: {
			...DEMO.jwtBearer,
			type: PRIVATE_KEY_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: rs256.client_id,
				privateKey: rs256.pkcs8Pem,
				algorithm: 'RS256',
				grantType: 'jwtBearer',
				clientAuthentication: 'none',
				subject: users.alice.username,
				scope: 'api:read',
			},
		},
	};
}

/** Every secret value a credential holds, to assert none of them leaks anywhere. */
export function secretsOf(server) {
	const { clients, users } = server.fixtures;
	const keyBodies = Object.values(clients.privateKeyJwt).map(
		(client) => client.pkcs8Pem.split('\n')[1],
	);
	return [
		clients.basic.client_secret,
		clients.post.client_secret,
		clients.secretJwt.client_secret,
		users.alice.password,
		users.bob.password,
		...keyBodies,
	];
}

/**
 * Client-credentials credentials of both types for the HTTP Request node (ids `<prefix>Secret`,
 * `<prefix>Key`), against the test server.
 */
export function bearerCredentials(server, prefix) {
	const { basic, privateKeyJwt } = server.fixtures.clients;
	return {
		clientSecret: {
			id: `${prefix}Secret`,
			name: `${prefix} secret`,
			type: CLIENT_SECRET_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: basic.client_id,
				clientSecret: basic.client_secret,
				clientAuthentication: 'client_secret_basic',
				grantType: 'clientCredentials',
				scope: 'api:read',
			},
		},
		privateKeyJwt: {
			id: `${prefix}Key`,
			name: `${prefix} key`,
			type: PRIVATE_KEY_TYPE,
			data: {
				...manualEndpoints(server),
				clientId: privateKeyJwt.ES256.client_id,
				privateKey: privateKeyJwt.ES256.pkcs8Pem,
				grantType: 'clientCredentials',
				scope: 'api:read',
			},
		},
	};
}
