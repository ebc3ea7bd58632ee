// Grants oidc-provider does not ship: the resource owner password grant (RFC 6749 §4.3) and the
// JWT bearer authorization grant (RFC 7523 §2.1). Both issue an access token plus a refresh token
// under a real Grant, so oidc-provider's own refresh_token grant (with rotation) works on them.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

export const PASSWORD_GRANT = 'password';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

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
 * @property {(header: Record<string, unknown>, clientId: string) => string | undefined} thumbprintMismatch
 */

/**
 * @param {GrantContext} context
 */
export function registerCustomGrants(context) {
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
