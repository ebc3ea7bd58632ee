// Grants oidc-provider does not ship: the resource owner password grant (RFC 6749 §4.3) and the
// JWT bearer authorization grant (RFC 7523 §2.1). Both issue an access token plus a refresh token
// under a real Grant, so oidc-provider's own refresh_token grant (with rotation) works on them.
// And token exchange (RFC 8693), see registerTokenExchange.
import { randomUUID } from 'node:crypto';

import {
	createLocalJWKSet,
	decodeProtectedHeader,
	exportJWK,
	generateKeyPair,
	jwtVerify,
	SignJWT,
} from 'jose';

export const PASSWORD_GRANT = 'password';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:';
/** Where the token exchange keeps the `act` claim of the token it issues (read by extraTokenClaims). */
export const EXCHANGE_CLAIMS = Symbol('exchangeClaims');

/** An assertion may not live longer than this (RFC 7523 §3 lets the server limit `exp`). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 600;

/**
 * @typedef {import('./keys.mjs').PrivateKeyJwtAlg} PrivateKeyJwtAlg
 *
 * @typedef {object} JwtBearerClient  a client allowed to use the JWT bearer grant
 * @property {string} clientId
 * @property {PrivateKeyJwtAlg} alg
 * @property {{ keys: Record<string, unknown>[] }} jwks   its registered public keys
 * @property {Set<string>} issuers   accepted assertion `iss` values: the client id (and a service-account email)
 *
 * @typedef {object} GrantContext
 * @property {any} provider          the oidc-provider instance
 * @property {any} errors            oidc-provider's `errors` export
 * @property {string} issuer
 * @property {string} tokenEndpoint
 * @property {number} clockTolerance seconds
 * @property {Map<string, string>} users   username → password
 * @property {Map<string, JwtBearerClient>} jwtBearerClients
 * @property {Set<string>} grantableScopes  scopes the password and JWT bearer grants can grant
 * @property {(ctx: any, resource: string, client: any) => Promise<Record<string, unknown>>} getResourceServerInfo
 * @property {Set<string>} exchangeResources  resource indicators a token exchange may target
 * @property {Set<string>} exchangeAudiences  audience values a token exchange may target (besides the resources)
 * @property {(header: Record<string, unknown>, clientId: string) => string | undefined} thumbprintMismatch
 */

/**
 * @param {GrantContext} context
 */
export async function registerCustomGrants(context) {
	const { provider, errors, users } = context;

	/** oidc-provider keeps a custom description out of error_description unless it is set explicitly. */
	const invalidGrant = (/** @type {string} */ description) => {
		const error = new errors.InvalidGrant(description);
		error.error_description = description;
		return error;
	};

	/** @param {any} ctx @param {string[]} names */
	const requireParams = (ctx, names) => {
		const missing = names.filter((name) => !ctx.oidc.params[name]);
		if (missing.length)
			throw new errors.InvalidRequest(`missing required parameter(s) (${missing.join(', ')})`);
	};

	provider.registerGrantType(
		PASSWORD_GRANT,
		/** @param {any} ctx */
		async (ctx) => {
			requireParams(ctx, ['username', 'password']);
			const { username, password } = ctx.oidc.params;
			if (!users.has(username) || users.get(username) !== password) {
				throw invalidGrant('invalid resource owner credentials');
			}
			await issueUserTokens(context, ctx, {
				accountId: username,
				scope: ctx.oidc.params.scope,
				gty: PASSWORD_GRANT,
			});
		},
		['username', 'password', 'scope', 'resource'],
	);

	provider.registerGrantType(
		JWT_BEARER_GRANT,
		/** @param {any} ctx */
		async (ctx) => {
			requireParams(ctx, ['assertion']);
			const { assertion } = ctx.oidc.params;
			const { clientId } = ctx.oidc.client;
			const client = context.jwtBearerClients.get(clientId);
			if (!client)
				throw invalidGrant(`client ${clientId} has no keys registered for JWT bearer assertions`);

			let header;
			try {
				header = decodeProtectedHeader(assertion);
			} catch {
				throw invalidGrant('assertion is not a JWS compact serialization');
			}
			const thumbprintProblem = context.thumbprintMismatch(header, clientId);
			if (thumbprintProblem) throw invalidGrant(`assertion ${thumbprintProblem}`);

			/** @type {import('jose').JWTPayload} */
			let payload;
			try {
				({ payload } = await jwtVerify(
					assertion,
					createLocalJWKSet(/** @type {import('jose').JSONWebKeySet} */ (client.jwks)),
					{
						algorithms: [client.alg],
						clockTolerance: context.clockTolerance,
						requiredClaims: ['iss', 'aud', 'exp', 'jti'],
					},
				));
			} catch (error) {
				const { code = 'ERR_JOSE', message = String(error) } =
					/** @type {{ code?: string, message?: string }} */ (error);
				throw invalidGrant(`assertion rejected (${code}): ${message}`);
			}

			const iss = /** @type {string} */ (payload.iss);
			if (!client.issuers.has(iss)) {
				throw invalidGrant(
					`iss (${iss}) must be the client_id (${[...client.issuers].join(' or ')})`,
				);
			}

			const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
			if (!audiences.some((aud) => aud === context.issuer || aud === context.tokenEndpoint)) {
				throw invalidGrant(
					`audience (aud) must be the issuer ${context.issuer} or the token endpoint ${context.tokenEndpoint}`,
				);
			}

			const now = Math.floor(Date.now() / 1000);
			if (
				/** @type {number} */ (payload.exp) - now >
				MAX_ASSERTION_LIFETIME_SECONDS + context.clockTolerance
			) {
				throw invalidGrant(
					`exp is too far in the future (at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds)`,
				);
			}

			// No `sub`: a Google-style service account acting as itself.
			const accountId = payload.sub ?? iss;
			if (payload.sub !== undefined && !users.has(payload.sub)) {
				throw invalidGrant(`subject (sub) ${payload.sub} is not a known user`);
			}

			// Checked last, so a rejected assertion does not burn its jti.
			const unique = await provider.ReplayDetection.unique(
				`${JWT_BEARER_GRANT}:${iss}`,
				payload.jti,
				/** @type {number} */ (payload.exp) + context.clockTolerance,
			);
			if (!unique) throw invalidGrant('assertion jti has already been used');

			// Google takes the scope as an assertion claim instead of a form parameter.
			const scope =
				ctx.oidc.params.scope ?? (typeof payload.scope === 'string' ? payload.scope : undefined);
			await issueUserTokens(context, ctx, { accountId, scope, gty: 'jwt_bearer' });
		},
		['assertion', 'scope', 'resource'],
	);

	await registerTokenExchange(context, requireParams);
}

/**
 * RFC 8693 token exchange, as a server that trusts its own tokens: the subject (and actor) token
 * must be an active access token this server issued (found through oidc-provider's own
 * AccessToken / ClientCredentials models, as introspection finds it) or a JWT it signed in an
 * earlier exchange. Audience and resource must be targets it knows (else invalid_target, §2.2.2);
 * several of each are accepted (RFC 8693 §2.1, RFC 8707 §2) and all go into the issued token's
 * `aud`, which introspection reports. oidc-provider's own grants issue one audience per token
 * (client_credentials answers several resources with invalid_target), so this grant sets `aud`
 * itself. An actor token becomes the `act` claim (§4.1).
 *
 * @param {GrantContext} context
 * @param {(ctx: any, names: string[]) => void} requireParams
 */
async function registerTokenExchange(context, requireParams) {
	const { provider, errors } = context;
	// Signs the JWTs this grant issues when asked for requested_token_type jwt (token_type N_A).
	const { privateKey, publicKey } = await generateKeyPair('ES256');
	const ownJwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] });

	const invalidRequest = (/** @type {string} */ description) => {
		const error = new errors.InvalidRequest(description);
		error.error_description = description;
		return error;
	};
	const invalidTarget = (/** @type {string} */ description) => {
		const error = new errors.InvalidTarget(description);
		error.error_description = description;
		return error;
	};
	/** @param {unknown} value @returns {string[]} */
	const all = (value) =>
		value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

	/**
	 * Who a subject or actor token stands for, or an invalid_request naming which one failed.
	 * @param {string} token @param {string} type @param {'subject' | 'actor'} role
	 * @returns {Promise<{ principal: string, scope?: string }>}
	 */
	async function principalOf(token, type, role) {
		if (type === `${TOKEN_TYPE}access_token`) {
			const found =
				(await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
			if (!found || found.isExpired)
				throw invalidRequest(`${role}_token is not an active access token issued by this server`);
			return { principal: found.accountId ?? found.clientId, scope: found.scope };
		}
		if (type === `${TOKEN_TYPE}jwt`) {
			try {
				const { payload } = await jwtVerify(token, ownJwks, { issuer: context.issuer });
				return { principal: String(payload.sub) };
			} catch {
				throw invalidRequest(`${role}_token is not a valid JWT signed by this server`);
			}
		}
		throw invalidRequest(`${role}_token_type ${type} is not supported`);
	}

	provider.registerGrantType(
		TOKEN_EXCHANGE_GRANT,
		/** @param {any} ctx */
		async (ctx) => {
			requireParams(ctx, ['subject_token', 'subject_token_type']);
			const { params, client } = ctx.oidc;
			if (params.actor_token && !params.actor_token_type)
				throw invalidRequest('actor_token_type is required with actor_token');
			if (params.actor_token_type && !params.actor_token)
				throw invalidRequest('actor_token_type is given without actor_token');

			const resources = all(params.resource);
			const audiences = all(params.audience);
			for (const resource of resources)
				if (!context.exchangeResources.has(resource))
					throw invalidTarget(`resource ${resource} is not a known target`);
			for (const audience of audiences)
				if (!context.exchangeAudiences.has(audience) && !context.exchangeResources.has(audience))
					throw invalidTarget(`audience ${audience} is not a known target`);

			const subject = await principalOf(params.subject_token, params.subject_token_type, 'subject');
			const actor = params.actor_token
				? await principalOf(params.actor_token, params.actor_token_type, 'actor')
				: undefined;
			const requested = params.requested_token_type ?? `${TOKEN_TYPE}access_token`;
			const targets = [...new Set([...audiences, ...resources])];
			const aud = targets.length > 1 ? targets : targets[0];
			const scope =
				(params.scope ?? subject.scope ?? '')
					.split(' ')
					.filter((/** @type {string} */ s) => context.grantableScopes.has(s))
					.join(' ') || undefined;
			const act = actor ? { sub: actor.principal } : undefined;

			if (requested === `${TOKEN_TYPE}jwt`) {
				const expiresIn = 300;
				const jwt = await new SignJWT({ scope, ...(act ? { act } : {}) })
					.setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
					.setIssuer(context.issuer)
					.setSubject(subject.principal)
					.setAudience(aud ?? client.clientId)
					.setIssuedAt()
					.setExpirationTime(`${expiresIn}s`)
					.setJti(randomUUID())
					.sign(privateKey);
				ctx.body = {
					access_token: jwt,
					issued_token_type: requested,
					token_type: 'N_A',
					expires_in: expiresIn,
				};
				return;
			}
			if (requested !== `${TOKEN_TYPE}access_token`)
				throw invalidRequest(`requested_token_type ${requested} is not supported`);

			const grant = new provider.Grant({ accountId: subject.principal, clientId: client.clientId });
			grant.addOIDCScope(scope ?? '');
			const grantId = await grant.save();
			const accessToken = new provider.AccessToken({
				accountId: subject.principal,
				client,
				grantId,
				gty: 'token_exchange',
				scope,
			});
			// Several audiences in one token: set directly (oidc-provider's setAudience takes one).
			if (aud) accessToken.aud = aud;
			if (act) accessToken[EXCHANGE_CLAIMS] = { act };
			ctx.oidc.entity('Grant', grant);
			ctx.oidc.entity('AccessToken', accessToken);
			ctx.body = {
				access_token: await accessToken.save(),
				issued_token_type: requested,
				token_type: accessToken.tokenType,
				expires_in: accessToken.expiration,
				...(scope ? { scope } : {}),
			};
		},
		[
			'subject_token',
			'subject_token_type',
			'actor_token',
			'actor_token_type',
			'requested_token_type',
			'audience',
			'resource',
			'scope',
		],
		['resource', 'audience'],
	);
}

/**
 * Mirrors what oidc-provider's built-in grants do (lib/helpers/grant_common.js issueTokens): a Grant
 * holds the consented scope; the access and refresh tokens reference it by grantId.
 *
 * @param {GrantContext} context
 * @param {any} ctx
 * @param {{ accountId: string, scope: string | undefined, gty: string }} request
 */
async function issueUserTokens(context, ctx, { accountId, scope: requested, gty }) {
	const { provider } = context;
	const { client, params } = ctx.oidc;
	// Like oidc-provider's client_credentials grant, unknown scopes are dropped, not refused.
	let scopes = (requested ?? '').split(' ').filter((scope) => context.grantableScopes.has(scope));

	const grant = new provider.Grant({ accountId, clientId: client.clientId });
	/** @type {any} */
	let resourceServer;
	// A repeated `resource` never gets here: oidc-provider rejects duplicate parameters.
	const resource = typeof params.resource === 'string' ? params.resource : undefined;
	if (resource) {
		resourceServer = new provider.ResourceServer(
			resource,
			await context.getResourceServerInfo(ctx, resource, client),
		);
		scopes = scopes.filter((scope) => resourceServer.scopes.has(scope));
		grant.addResourceScope(resource, scopes.join(' '));
	} else {
		grant.addOIDCScope(scopes.join(' '));
	}
	const grantId = await grant.save();
	const scope = scopes.join(' ') || undefined;

	const accessToken = new provider.AccessToken({ accountId, client, grantId, gty, scope });
	if (resourceServer) accessToken.resourceServer = resourceServer;
	const refreshToken = new provider.RefreshToken({
		accountId,
		client,
		grantId,
		gty,
		scope,
		resource,
		rotations: 0,
	});

	ctx.oidc.entity('Grant', grant);
	ctx.oidc.entity('AccessToken', accessToken);
	ctx.oidc.entity('RefreshToken', refreshToken);

	ctx.body = {
		access_token: await accessToken.save(),
		token_type: accessToken.tokenType,
		expires_in: accessToken.expiration,
		refresh_token: await refreshToken.save(),
		...(scope ? { scope } : {}),
	};
}
