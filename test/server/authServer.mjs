// A real OAuth 2.0 authorization server for the tests: panva's oidc-provider, plus
//  - the password and JWT bearer grants (./grants.mjs),
//  - strict client authentication: a secret must arrive where the client is registered to send it,
//  - JWT bearer requests without client authentication (Salesforce, Google): the assertion's `iss`
//    identifies the client,
//  - a request log that jest workers read over HTTP (GET /__test/requests, POST /__test/reset).
// Plain ESM + JSDoc so jest's globalSetup and node scripts import it without a build step.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

import { createMemoryAdapter } from './memoryAdapter.mjs';
import {
	EXCHANGE_CLAIMS,
	JWT_BEARER_GRANT,
	MAX_ASSERTION_LIFETIME_SECONDS,
	PASSWORD_GRANT,
	registerCustomGrants,
	TOKEN_EXCHANGE_GRANT,
} from './grants.mjs';
import {
	generatePrivateKeyFixture,
	generateProviderJwks,
	PRIVATE_KEY_JWT_CLIENTS,
	randomSecret,
} from './keys.mjs';
import { decodeJwt, describeAuthorization, RequestLog } from './requestLog.mjs';

/**
 * @typedef {import('./keys.mjs').PrivateKeyJwtAlg} PrivateKeyJwtAlg
 * @typedef {import('./keys.mjs').PrivateKeyFixture} PrivateKeyFixture
 * @typedef {import('./requestLog.mjs').RecordedRequest} RecordedRequest
 *
 * @typedef {object} SecretClientFixture
 * @property {string} client_id
 * @property {string} client_secret
 * @property {'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt'} token_endpoint_auth_method
 * @property {'HS256'} [token_endpoint_auth_signing_alg]
 *
 * @typedef {PrivateKeyFixture & { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: PrivateKeyJwtAlg }} PrivateKeyJwtClientFixture
 *
 * @typedef {object} Fixtures  JSON-serialisable; tests read it through test/server/fixtures.ts
 * @property {{ basic: SecretClientFixture, post: SecretClientFixture, secretJwt: SecretClientFixture, privateKeyJwt: Record<PrivateKeyJwtAlg, PrivateKeyJwtClientFixture> }} clients
 * @property {{ alice: { username: string, password: string }, bob: { username: string, password: string } }} users
 * @property {{ clientIds: string[], subject: string, subjects: string[], audiences: string[], maxAssertionLifetimeSeconds: number, serviceAccounts: Record<string, string> }} jwtBearer  `subjects`: mailboxes a JWT bearer token can be issued for (domain-wide delegation over many users)
 * @property {string[]} scopes          scopes the server grants (client credentials, password, JWT bearer)
 * @property {string} resource          the resource indicator (RFC 8707) every grant knows
 * @property {string[]} resources       every resource indicator it knows (the first is `resource`)
 * @property {{ audiences: string[] }} tokenExchange  audience values a token exchange may target besides the resources
 * @property {number} accessTokenTtl    seconds
 * @property {number} refreshTokenTtl   seconds
 *
 * @typedef {object} AuthServerInfo
 * @property {string} issuer            http://127.0.0.1:PORT, no trailing slash
 * @property {string} tokenEndpoint
 * @property {string} revocationEndpoint
 * @property {string} introspectionEndpoint
 * @property {string} discoveryUrl      RFC 8414 /.well-known/oauth-authorization-server
 * @property {string} openidConfigurationUrl  /.well-known/openid-configuration (same metadata)
 * @property {string} requestLogUrl     GET: the request log; POST {issuer}/__test/reset clears it
 * @property {Fixtures} fixtures
 *
 * @typedef {AuthServerInfo & { close(): Promise<void> }} AuthServer
 *
 * @typedef {object} AuthServerOptions
 * @property {number} [port]            default 0 (any free port)
 * @property {number} [accessTokenTtl]  seconds, default 3600
 * @property {number} [refreshTokenTtl] seconds, default 14 days
 */

const ROUTES = {
	token: '/token',
	revocation: '/token/revocation',
	introspection: '/token/introspection',
};
const RESOURCE = 'https://api.example.test';
/** A second API: client_credentials refuses it together with the first, token exchange takes both. */
const RESOURCE_2 = 'https://reports.example.test/v1';
const EXCHANGE_AUDIENCES = ['urn:example:audience:billing'];
const SCOPES = ['api:read', 'api:write'];
const CLOCK_TOLERANCE = 5;
const MAX_BODY_BYTES = 56 * 1024; // oidc-provider's own limit

/** The basic client's secret contains every character RFC 6749 §2.3.1 form-encoding changes. */
const BASIC_SECRET = "s3cr+t %41:=/'( x";

/** Set on the forwarded request: the client id that the JWT bearer assertion's `iss` identified. */
const ASSERTION_IDENTIFIES_CLIENT = Symbol('assertionIdentifiesClient');
/** Set on the forwarded request: its request log entry. */
const LOG_ENTRY = Symbol('logEntry');

/**
 * @param {AuthServerOptions} [options]
 * @returns {Promise<AuthServer>}
 */
export async function startAuthServer(options = {}) {
	const { port = 0, accessTokenTtl = 3600, refreshTokenTtl = 14 * 24 * 3600 } = options;
	const { Provider, errors } = await importOidcProvider();

	const httpServer = createServer();
	await new Promise((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(port, '127.0.0.1', () => {
			httpServer.off('error', reject);
			resolve(undefined);
		});
	});
	const close = closer(httpServer);

	try {
		const { port: actualPort } = /** @type {import('node:net').AddressInfo} */ (
			httpServer.address()
		);
		const issuer = `http://127.0.0.1:${actualPort}`;
		/** @type {Omit<AuthServerInfo, 'fixtures'>} */
		const endpoints = {
			issuer,
			tokenEndpoint: `${issuer}${ROUTES.token}`,
			revocationEndpoint: `${issuer}${ROUTES.revocation}`,
			introspectionEndpoint: `${issuer}${ROUTES.introspection}`,
			discoveryUrl: `${issuer}/.well-known/oauth-authorization-server`,
			openidConfigurationUrl: `${issuer}/.well-known/openid-configuration`,
			requestLogUrl: `${issuer}/__test/requests`,
		};
		const fixtures = await createFixtures(endpoints, { accessTokenTtl, refreshTokenTtl });
		const log = new RequestLog();
		const provider = await createProvider({ Provider, errors, endpoints, fixtures });
		httpServer.on('request', frontLayer({ provider, endpoints, fixtures, log }));
		return { ...endpoints, fixtures, close };
	} catch (error) {
		await close();
		throw error;
	}
}

/**
 * What globalSetup hands to the jest workers: everything but `close`.
 * @param {AuthServer} server
 * @returns {AuthServerInfo}
 */
export function serverInfo(server) {
	const {
		issuer,
		tokenEndpoint,
		revocationEndpoint,
		introspectionEndpoint,
		discoveryUrl,
		openidConfigurationUrl,
		requestLogUrl,
		fixtures,
	} = server;
	return {
		issuer,
		tokenEndpoint,
		revocationEndpoint,
		introspectionEndpoint,
		discoveryUrl,
		openidConfigurationUrl,
		requestLogUrl,
		fixtures,
	};
}

/** @param {AuthServer} server @param {string} file */
export async function writeServerInfo(server, file) {
	await writeFile(file, JSON.stringify(serverInfo(server), null, 2), { mode: 0o600 });
}

// oidc-provider 9 prints "Unsupported runtime" when imported on Node 20 (it targets Node 22+). The
// test server runs fine on 20 (the package supports >= 20.19), so that one line is dropped.
async function importOidcProvider() {
	const { warn } = console;
	console.warn = (/** @type {unknown[]} */ ...args) => {
		if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
		warn.apply(console, args);
	};
	try {
		const { default: Provider, errors } = await import('oidc-provider');
		return { Provider, errors };
	} finally {
		console.warn = warn;
	}
}

/** @param {import('node:http').Server} httpServer */
function closer(httpServer) {
	/** @type {Promise<void> | undefined} */
	let closing;
	return () => {
		closing ??= new Promise((resolve) => {
			httpServer.close(() => resolve());
			// Keep-alive sockets would otherwise hold the process (and jest) open.
			httpServer.closeAllConnections();
		});
		return closing;
	};
}

/**
 * @param {{ issuer: string, tokenEndpoint: string }} endpoints
 * @param {{ accessTokenTtl: number, refreshTokenTtl: number }} ttls
 * @returns {Promise<Fixtures>}
 */
async function createFixtures({ issuer, tokenEndpoint }, ttls) {
	const algs = /** @type {PrivateKeyJwtAlg[]} */ (Object.keys(PRIVATE_KEY_JWT_CLIENTS));
	const keys = await Promise.all(
		algs.map((alg) => generatePrivateKeyFixture(alg, { tokenEndpoint })),
	);
	const privateKeyJwt = /** @type {Record<PrivateKeyJwtAlg, PrivateKeyJwtClientFixture>} */ (
		Object.fromEntries(
			keys.map((key) => [
				key.alg,
				{
					...key,
					token_endpoint_auth_method: 'private_key_jwt',
					token_endpoint_auth_signing_alg: key.alg,
				},
			]),
		)
	);
	const rs256 = privateKeyJwt.RS256;
	return {
		clients: {
			basic: {
				client_id: 'basic-client',
				client_secret: BASIC_SECRET,
				token_endpoint_auth_method: 'client_secret_basic',
			},
			post: {
				client_id: 'post-client',
				client_secret: randomSecret(),
				token_endpoint_auth_method: 'client_secret_post',
			},
			// 64 bytes, so the secret is long enough for HS512 too (RFC 7518 §3.2).
			secretJwt: {
				client_id: 'secret-jwt-client',
				client_secret: randomSecret(64),
				token_endpoint_auth_method: 'client_secret_jwt',
				token_endpoint_auth_signing_alg: 'HS256',
			},
			privateKeyJwt,
		},
		users: {
			alice: { username: 'alice@example.com', password: `P@ss w0rd+&=%/é${randomSecret(6)}` },
			bob: { username: 'bob@example.com', password: `b0b's "pass";#${randomSecret(6)}` },
		},
		jwtBearer: {
			clientIds: keys.map((key) => key.client_id),
			subject: 'alice@example.com',
			subjects: Array.from({ length: 10 }, (_, index) => `mailbox${index}@example.com`),
			audiences: [issuer, tokenEndpoint],
			maxAssertionLifetimeSeconds: MAX_ASSERTION_LIFETIME_SECONDS,
			serviceAccounts: { [/** @type {string} */ (rs256.serviceAccountEmail)]: rs256.client_id },
		},
		scopes: SCOPES,
		resource: RESOURCE,
		resources: [RESOURCE, RESOURCE_2],
		tokenExchange: { audiences: EXCHANGE_AUDIENCES },
		...ttls,
	};
}

/**
 * @param {{ Provider: any, errors: any, endpoints: Omit<AuthServerInfo, 'fixtures'>, fixtures: Fixtures }} setup
 */
async function createProvider({ Provider, errors, endpoints, fixtures }) {
	const { clients, users, accessTokenTtl, refreshTokenTtl } = fixtures;
	const secretClients = [clients.basic, clients.post, clients.secretJwt];
	const keyClients = Object.values(clients.privateKeyJwt);
	const userTable = new Map([
		...Object.values(users).map(({ username, password }) => [username, password]),
		// JWT bearer subjects only: their password is random and never handed out.
		...fixtures.jwtBearer.subjects.map((subject) => [subject, randomSecret()]),
	]);

	/** @type {Map<string, import('./grants.mjs').JwtBearerClient>} */
	const jwtBearerClients = new Map(
		keyClients.map((client) => [
			client.client_id,
			{
				clientId: client.client_id,
				alg: client.alg,
				jwks: { keys: [client.publicJwk] },
				issuers: new Set([
					client.client_id,
					...(client.serviceAccountEmail ? [client.serviceAccountEmail] : []),
				]),
			},
		]),
	);
	// Principals a JWT bearer token can be issued for without a `sub`: the service accounts themselves.
	const principals = new Set([
		...userTable.keys(),
		...[...jwtBearerClients.values()].flatMap((c) => [...c.issuers]),
	]);

	/**
	 * An x5t / x5t#S256 header must name the client's registered certificate (Entra ID checks this).
	 * @param {Record<string, unknown>} header
	 * @param {string} clientId
	 */
	const thumbprintMismatch = (header, clientId) => {
		const key = keyClients.find((client) => client.client_id === clientId);
		for (const [name, expected] of /** @type {const} */ ([
			['x5t', key?.x5t],
			['x5t#S256', key?.x5tS256],
		])) {
			if (header[name] !== undefined && header[name] !== expected) {
				return `${name} header does not match the client's registered certificate`;
			}
		}
		return undefined;
	};

	/** @param {any} _ctx @param {string} resource */
	const getResourceServerInfo = async (_ctx, resource) => {
		if (resource !== RESOURCE && resource !== RESOURCE_2) throw new errors.InvalidTarget();
		return {
			scope: SCOPES.join(' '),
			audience: resource,
			accessTokenTTL: accessTokenTtl,
			accessTokenFormat: 'opaque',
		};
	};

	const grantTypes = ['client_credentials', PASSWORD_GRANT, 'refresh_token', TOKEN_EXCHANGE_GRANT];
	const provider = new Provider(endpoints.issuer, {
		adapter: createMemoryAdapter(),
		jwks: await generateProviderJwks(),
		cookies: { keys: [randomSecret()] },
		routes: ROUTES,
		// The provider's one signing key is ES256 (instant to generate); the default would be RS256.
		clientDefaults: { id_token_signed_response_alg: 'ES256' },
		clients: [
			...secretClients.map((client) => ({
				...client,
				grant_types: grantTypes,
				response_types: [],
				redirect_uris: [],
			})),
			...keyClients.map((client) => ({
				client_id: client.client_id,
				token_endpoint_auth_method: client.token_endpoint_auth_method,
				token_endpoint_auth_signing_alg: client.token_endpoint_auth_signing_alg,
				jwks: { keys: [client.publicJwk] },
				grant_types: [...grantTypes, JWT_BEARER_GRANT],
				response_types: [],
				redirect_uris: [],
			})),
		],
		clientAuthMethods: [
			'client_secret_basic',
			'client_secret_post',
			'client_secret_jwt',
			'private_key_jwt',
		],
		enabledJWA: {
			clientAuthSigningAlgValues: [
				'HS256',
				'HS384',
				'HS512',
				'RS256',
				'RS384',
				'RS512',
				'PS256',
				'PS384',
				'PS512',
				'ES256',
				'ES384',
				'ES512',
				'Ed25519',
				'EdDSA',
			],
		},
		/** @param {any} _ctx @param {Record<string, unknown>} _claims @param {Record<string, unknown>} header @param {any} client */
		async assertJwtClientAuthClaimsAndHeader(_ctx, _claims, header, client) {
			const problem = thumbprintMismatch(header, client.clientId);
			if (problem) throw new errors.InvalidClientAuth(`client_assertion ${problem}`);
		},
		scopes: ['openid', 'offline_access', ...SCOPES],
		// The token exchange's `act` claim (oidc-provider rebuilds `extra` from this on every save).
		/** @param {any} _ctx @param {any} token */
		extraTokenClaims: async (_ctx, token) => token[EXCHANGE_CLAIMS],
		clockTolerance: CLOCK_TOLERANCE,
		rotateRefreshToken: true,
		/** @param {any} _ctx @param {string} id */
		async findAccount(_ctx, id) {
			if (!principals.has(id)) return undefined;
			return { accountId: id, claims: async () => ({ sub: id }) };
		},
		ttl: {
			AccessToken: accessTokenTtl,
			ClientCredentials: accessTokenTtl,
			IdToken: accessTokenTtl,
			RefreshToken: refreshTokenTtl,
			// The grant outlives any one refresh token: rotation keeps issuing new ones under it.
			Grant: Math.max(refreshTokenTtl, 365 * 24 * 3600),
			AuthorizationCode: 60,
			BackchannelAuthenticationRequest: 600,
			DeviceCode: 600,
			Interaction: 600,
			Session: refreshTokenTtl,
		},
		features: {
			devInteractions: { enabled: false },
			clientCredentials: { enabled: true },
			introspection: { enabled: true, allowedPolicy: async () => true },
			revocation: {
				enabled: true,
				// oidc-provider's default, minus its "you should change this" notice.
				/** @param {any} _ctx @param {any} client @param {any} token */
				async allowedPolicy(_ctx, client, token) {
					if (token.clientId !== client.clientId) {
						throw new errors.InvalidRequest(
							'client is not authorized to revoke the presented token',
						);
					}
					return true;
				},
			},
			resourceIndicators: {
				enabled: true,
				defaultResource: async () => undefined,
				useGrantedResource: async () => true,
				getResourceServerInfo,
			},
		},
	});

	await registerCustomGrants({
		provider,
		errors,
		issuer: endpoints.issuer,
		tokenEndpoint: endpoints.tokenEndpoint,
		clockTolerance: CLOCK_TOLERANCE,
		users: userTable,
		jwtBearerClients,
		thumbprintMismatch,
		grantableScopes: new Set([...SCOPES, 'offline_access']),
		getResourceServerInfo,
		exchangeResources: new Set([RESOURCE, RESOURCE_2]),
		exchangeAudiences: new Set(EXCHANGE_AUDIENCES),
	});
	enforceClientAuthentication(Provider, provider, errors);

	// Build (and validate) every client now, outside any request, so a bad registration fails at
	// startup and no client is first constructed while a per-request override is active.
	for (const { client_id: id } of [...secretClients, ...keyClients]) {
		if (!(await provider.Client.find(id))) throw new Error(`client ${id} failed to load`);
	}

	// oidc-provider answers every client authentication failure with "client authentication
	// failed" (and refresh failures with "grant request is invalid"), keeping the reason in
	// error_detail. Like many real servers, this one sends the reason as error_description, so the
	// package's error hints can be tested. Details name the failed check, never a secret value.
	for (const event of ['grant.error', 'revocation.error', 'introspection.error', 'server_error']) {
		provider.on(event, (/** @type {any} */ ctx, /** @type {any} */ error) => {
			ctx.state.errorDetail = String(
				error.error_detail ?? error.error_description ?? error.message,
			);
		});
	}
	// Runs before oidc-provider's router, so it sees the final response.
	provider.use(async (/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
		try {
			await next();
		} finally {
			const error = typeof ctx.body?.error === 'string' ? ctx.body.error : null;
			/** @type {string | null} */
			const detail = ctx.state.errorDetail ?? null;
			if (error && detail && error !== 'server_error')
				ctx.body = { ...ctx.body, error_description: detail };
			/** @type {RecordedRequest | undefined} */
			const entry = ctx.req[LOG_ENTRY];
			if (entry) Object.assign(entry, { status: ctx.status, error, errorDetail: detail });
		}
	});

	return provider;
}

/**
 * oidc-provider accepts a secret in the body or the Basic header whichever way the client is
 * registered, and has no "no client authentication" path for a confidential client. Both are
 * decided on the Client model, which is a class private to this provider instance, so patching
 * its prototype affects nothing else. Provider.ctx is the current request (AsyncLocalStorage).
 *
 * @param {any} Provider
 * @param {any} provider
 * @param {any} errors
 */
function enforceClientAuthentication(Provider, provider, errors) {
	const prototype = provider.Client.prototype;

	const { get: registeredMethod } = /** @type {PropertyDescriptor & { get: () => string }} */ (
		Object.getOwnPropertyDescriptor(prototype, 'clientAuthMethod')
	);
	Object.defineProperty(prototype, 'clientAuthMethod', {
		configurable: true,
		get() {
			const ctx = Provider.ctx;
			// A JWT bearer request without client authentication: the front layer has matched the
			// assertion's `iss` to this client; the grant handler verifies the assertion in full.
			if (ctx?.oidc?.route === 'token' && ctx.req[ASSERTION_IDENTIFIES_CLIENT] === this.clientId) {
				return 'none';
			}
			return registeredMethod.call(this);
		},
	});

	const compareClientSecret = prototype.compareClientSecret;
	prototype.compareClientSecret = function strictCompareClientSecret(/** @type {string} */ secret) {
		const inHeader = Provider.ctx?.headers.authorization !== undefined;
		const method = this.clientAuthMethod;
		if (
			(method === 'client_secret_basic' && !inHeader) ||
			(method === 'client_secret_post' && inHeader)
		) {
			throw new errors.InvalidClientAuth(
				method === 'client_secret_basic'
					? 'this client must send its credentials in the Authorization header (client_secret_basic)'
					: 'this client must send its credentials in the request body (client_secret_post)',
			);
		}
		return compareClientSecret.call(this, secret);
	};
}

/**
 * Node HTTP handler in front of oidc-provider: serves the test API, records token / revocation /
 * introspection requests, and marks JWT bearer requests that carry no client authentication.
 *
 * @param {{ provider: any, endpoints: Omit<AuthServerInfo, 'fixtures'>, fixtures: Fixtures, log: RequestLog }} setup
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
function frontLayer({ provider, endpoints, fixtures, log }) {
	const forward = provider.callback();
	const recorded = new Set(Object.values(ROUTES));
	const jwtBearerClientIds = new Set(fixtures.jwtBearer.clientIds);
	/** assertion `iss` → client id */
	const issuers = new Map(fixtures.jwtBearer.clientIds.map((id) => [id, id]));
	for (const [email, id] of Object.entries(fixtures.jwtBearer.serviceAccounts))
		issuers.set(email, id);

	/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', endpoints.issuer);

		if (url.pathname.startsWith('/__test/')) {
			testApi(url, req, res, log);
			return;
		}
		if (!recorded.has(url.pathname)) {
			forward(req, res);
			return;
		}

		const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
		if (body === undefined) {
			res
				.writeHead(413, { 'content-type': 'application/json' })
				.end(
					JSON.stringify({ error: 'invalid_request', error_description: 'request body too large' }),
				);
			return;
		}
		const isForm = (req.headers['content-type'] ?? '')
			.toLowerCase()
			.startsWith('application/x-www-form-urlencoded');
		const params = isForm ? new URLSearchParams(body.toString('utf8')) : null;

		let forwardedBody = body;
		/** @type {string | null} */
		let identifiedClient = null;
		if (
			url.pathname === ROUTES.token &&
			params?.get('grant_type') === JWT_BEARER_GRANT &&
			!hasClientAuthentication(req, params)
		) {
			const iss = decodeJwt(params.get('assertion') ?? undefined)?.payload.iss;
			identifiedClient =
				params.get('client_id') ?? (typeof iss === 'string' ? (issuers.get(iss) ?? iss) : null);
			if (identifiedClient !== null && !params.has('client_id')) {
				const withClientId = new URLSearchParams(params);
				withClientId.set('client_id', identifiedClient);
				forwardedBody = Buffer.from(withClientId.toString(), 'utf8');
			}
		}

		const entry = log.record({
			path: url.pathname,
			method: req.method ?? 'GET',
			headers: req.headers,
			params,
			clientId: identifiedClient ?? clientIdOf(req, params),
		});

		const forwarded = replay(req, forwardedBody);
		// Only a client registered for the grant may skip client authentication; any other client
		// named this way then fails oidc-provider's own client authentication (invalid_client).
		const skipsClientAuth = identifiedClient !== null && jwtBearerClientIds.has(identifiedClient);
		Object.assign(forwarded, {
			[LOG_ENTRY]: entry,
			[ASSERTION_IDENTIFIES_CLIENT]: skipsClientAuth ? identifiedClient : null,
		});
		forward(forwarded, res);
	}

	return (req, res) => {
		handle(req, res).catch(() => {
			if (res.headersSent) res.destroy();
			else res.writeHead(500).end();
		});
	};
}

/** @param {import('node:http').IncomingMessage} req @param {URLSearchParams} params */
function hasClientAuthentication(req, params) {
	return (
		req.headers.authorization !== undefined ||
		params.has('client_secret') ||
		params.has('client_assertion')
	);
}

/** @param {import('node:http').IncomingMessage} req @param {URLSearchParams | null} params */
function clientIdOf(req, params) {
	const { basicUser } = describeAuthorization(req.headers.authorization);
	const sub = decodeJwt(params?.get('client_assertion') ?? undefined)?.payload.sub;
	return basicUser ?? params?.get('client_id') ?? (typeof sub === 'string' ? sub : null);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | undefined>} undefined when over the size limit
 */
async function readBody(req) {
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) return undefined;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

/**
 * The body has been read to inspect it, so oidc-provider gets a fresh stream that replays it with
 * the original request line and headers (Content-Length adjusted if the body was rewritten).
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {Buffer} body
 */
function replay(req, body) {
	const forwarded = Readable.from(body.length ? [body] : [], { objectMode: false });
	const headers = { ...req.headers };
	if (req.method === 'POST') {
		delete headers['transfer-encoding'];
		headers['content-length'] = String(body.length);
	}
	return Object.assign(forwarded, {
		method: req.method,
		url: req.url,
		headers,
		rawHeaders: req.rawHeaders,
		httpVersion: req.httpVersion,
		httpVersionMajor: req.httpVersionMajor,
		httpVersionMinor: req.httpVersionMinor,
		socket: req.socket,
	});
}

/**
 * @param {URL} url
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {RequestLog} log
 */
function testApi(url, req, res, log) {
	req.resume();
	if (url.pathname === '/__test/requests' && req.method === 'GET') {
		const since = url.searchParams.get('since');
		if (since !== null && !Number.isFinite(Number(since))) {
			res
				.writeHead(400, { 'content-type': 'application/json' })
				.end(JSON.stringify({ error: 'since must be epoch milliseconds' }));
			return;
		}
		const entries = log.list(since === null ? undefined : Number(since));
		res
			.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
			.end(JSON.stringify(entries));
		return;
	}
	if (url.pathname === '/__test/reset' && req.method === 'POST') {
		log.clear();
		res.writeHead(204).end();
		return;
	}
	res
		.writeHead(404, { 'content-type': 'application/json' })
		.end(JSON.stringify({ error: 'not_found' }));
}
