/**
 * Salesforce token, revoke and introspect endpoints, as documented:
 * - JWT bearer flow: help.salesforce.com `remoteaccess_oauth_jwt_flow` (iss = consumer key,
 *   sub = username, aud = https://login.salesforce.com or https://test.salesforce.com, exp within
 *   3 minutes; the response has access_token, scope, instance_url, id, token_type: no issued_at,
 *   no refresh token), and the seed document "Salesforce client credentials vs private_key_jwt"
 *   (Japanese, shared/seeds/001): sub = client id gives invalid_grant "user hasn't approved this
 *   consumer"; JWT bearer and client credentials work on the same connected app.
 * - Client credentials flow: help.salesforce.com `remoteaccess_oauth_client_credentials_flow`
 *   (My Domain only, a Run As user, client_secret_basic or client_secret_post) and the seed
 *   (private_key_jwt is not accepted; the response carries signature and issued_at in epoch ms,
 *   no expires_in). On login.salesforce.com the answer is 400 invalid_grant "request not
 *   supported on this domain" (pozil/pub-sub-api-node-client#58).
 * - External client apps (`app: 'externalClientApp'`): since Spring '26 Salesforce ended the
 *   legacy hostname redirections (help.salesforce.com article 005228017), and an external client
 *   app may answer an assertion with aud = https://login.salesforce.com or
 *   https://test.salesforce.com with 400 {"error":"app_not_found","error_description":"External
 *   client app is not installed in this org"}; it takes the org's My Domain URL as aud
 *   (forcedotcom/cli#3482, n8n-io/n8n#28990 with the raw response, n8n-io/n8n#29016). The
 *   JWT flow's aud rules: help.salesforce.com `remoteaccess_oauth_jwt_flow`.
 * - Errors "audience is invalid" and "expired authorization code": salesforce.stackexchange.com
 *   q/282513 and the reference's provider table (shared/reference §2).
 * - Revoke: developer.salesforce.com mobile_sdk `oauth_revoking_tokens`: POST token=, HTTP 200 on
 *   success, 400 `invalid_token` / `unsupported_token_type` otherwise; no client authentication.
 * - Introspect: help.salesforce.com `remoteaccess_oidc_token_introspection_endpoint` (client
 *   authentication required; `{"active":false}` for unknown tokens).
 * - `signature`: Base64 HMAC-SHA256 of id + issued_at keyed with the consumer secret (client
 *   credentials response description in the same help page).
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

import {
	decodeUnverified,
	json,
	nowSeconds,
	oauthError,
	opaqueToken,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorReply,
	type EmulatorRequest,
} from '../emulator';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface SalesforceOrgConfig {
	/** Connected app consumer key and secret. */
	consumerKey: string;
	consumerSecret: string;
	/** Public key of the certificate uploaded to the connected app (JWT bearer flow). */
	certificateKey: KeyObject;
	/** Usernames and whether their profile is pre-authorized on the connected app. */
	users: Record<string, { preAuthorized: boolean }>;
	/** Client credentials "Run As" user; undefined = not configured. */
	runAsUser?: string;
	/** The org's My Domain host, e.g. acme.my.salesforce.com (sandboxes: acme--dev.sandbox.my.salesforce.com). */
	myDomainHost: string;
	sandbox: boolean;
	/** Session timeout in seconds (the token lifetime the response does not state). */
	sessionTimeoutSeconds: number;
	/** The app the consumer key belongs to; unset = a connected app. */
	app?: 'connectedApp' | 'externalClientApp';
}

interface IssuedToken {
	username: string;
	issuedAt: number;
	revoked: boolean;
}

export interface SalesforceEmulator extends Emulator {
	config: SalesforceOrgConfig;
	tokens: Map<string, IssuedToken>;
}

function same(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

export async function startSalesforce(config: SalesforceOrgConfig): Promise<SalesforceEmulator> {
	const tokens = new Map<string, IssuedToken>();
	const orgId = '00D000000000001EAA';
	const instanceUrl = `https://${config.myDomainHost}`;

	const issue = (
		emulator: Emulator,
		username: string,
	): { token: string; id: string; issuedAt: number } => {
		const token = `${orgId}!${opaqueToken('AQ', 40)}`;
		const issuedAt = emulator.now();
		tokens.set(token, { username, issuedAt, revoked: false });
		return {
			token,
			id: `${config.sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com'}/id/${orgId}/005000000000001AAA`,
			issuedAt,
		};
	};

	const clientSecretOk = (request: EmulatorRequest): boolean => {
		const id = request.basic?.id ?? request.form.get('client_id') ?? '';
		const secret = request.basic?.secret ?? request.form.get('client_secret') ?? '';
		return same(id, config.consumerKey) && same(secret, config.consumerSecret);
	};

	const jwtBearer = async (
		request: EmulatorRequest,
		emulator: Emulator,
	): Promise<EmulatorReply> => {
		const assertion = request.form.get('assertion') ?? '';
		const decoded = decodeUnverified(assertion);
		if (!decoded) return oauthError(400, 'invalid_grant', 'invalid assertion');
		const { payload } = decoded;
		if (payload.iss !== config.consumerKey)
			return oauthError(400, 'invalid_client_id', 'client identifier invalid');
		if (!(await signatureValid(assertion, config.certificateKey, ['RS256'])))
			return oauthError(400, 'invalid_grant', 'invalid assertion');
		const loginOrTest = config.sandbox
			? 'https://test.salesforce.com'
			: 'https://login.salesforce.com';
		const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
		if (config.app === 'externalClientApp') {
			if (
				audiences.includes('https://login.salesforce.com') ||
				audiences.includes('https://test.salesforce.com')
			)
				return oauthError(400, 'app_not_found', 'External client app is not installed in this org');
			if (!audiences.includes(`https://${config.myDomainHost}`))
				return oauthError(400, 'invalid_grant', 'audience is invalid');
		} else if (!audiences.includes(loginOrTest))
			return oauthError(400, 'invalid_grant', 'audience is invalid');
		if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds(emulator))
			return oauthError(400, 'invalid_grant', 'expired authorization code');
		const user = typeof payload.sub === 'string' ? config.users[payload.sub] : undefined;
		// sub = the client id (seed, case 1), an unknown user, or a user whose profile is not pre-authorized.
		if (!user || !user.preAuthorized)
			return oauthError(400, 'invalid_grant', "user hasn't approved this consumer");
		const { token, id } = issue(emulator, payload.sub as string);
		// JWT bearer answers carry no issued_at, no signature and no refresh token (seed cases 2 and 3).
		return json(200, {
			access_token: token,
			scope: 'api',
			instance_url: instanceUrl,
			id,
			token_type: 'Bearer',
		});
	};

	const clientCredentials = (request: EmulatorRequest, emulator: Emulator): EmulatorReply => {
		const host = request.publicOrigin.replace(/^https?:\/\//, '');
		if (host !== config.myDomainHost)
			return oauthError(400, 'invalid_grant', 'request not supported on this domain');
		// The seed: private_key_jwt is not a client authentication Salesforce takes here.
		if (request.form.has('client_assertion') || !clientSecretOk(request))
			return oauthError(400, 'invalid_client', 'invalid client credentials');
		if (!config.runAsUser)
			return oauthError(400, 'invalid_grant', 'no client credentials user enabled');
		const { token, id, issuedAt } = issue(emulator, config.runAsUser);
		const issuedAtText = String(issuedAt);
		const signature = createHmac('sha256', config.consumerSecret)
			.update(id + issuedAtText)
			.digest('base64');
		return json(200, {
			access_token: token,
			signature,
			scope: 'api',
			instance_url: instanceUrl,
			id,
			token_type: 'Bearer',
			issued_at: issuedAtText,
		});
	};

	const emulator = (await startEmulator('salesforce', async (request, self) => {
		if (request.path === '/services/oauth2/token') {
			if (request.method !== 'POST')
				return oauthError(400, 'invalid_request', 'must use HTTP POST');
			const grant = request.form.get('grant_type');
			if (grant === JWT_BEARER) return await jwtBearer(request, self);
			if (grant === 'client_credentials') return clientCredentials(request, self);
			return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
		}
		if (request.path === '/services/oauth2/revoke') {
			const token = request.form.get('token') ?? request.query.get('token') ?? '';
			const known = tokens.get(token);
			if (!known || known.revoked) return oauthError(400, 'invalid_token', 'invalid token');
			known.revoked = true;
			return { status: 200 };
		}
		if (request.path === '/services/oauth2/introspect') {
			if (request.method !== 'POST')
				return oauthError(400, 'invalid_request', 'must use HTTP POST');
			if (!clientSecretOk(request))
				return oauthError(401, 'invalid_client', 'invalid client credentials');
			const known = tokens.get(request.form.get('token') ?? '');
			const exp = known ? Math.floor(known.issuedAt / 1000) + config.sessionTimeoutSeconds : 0;
			if (!known || known.revoked || exp <= nowSeconds(self)) return json(200, { active: false });
			const iat = Math.floor(known.issuedAt / 1000);
			return json(200, {
				active: true,
				scope: 'api',
				client_id: config.consumerKey,
				username: known.username,
				sub: `https://login.salesforce.com/id/${orgId}/005000000000001AAA`,
				token_type: 'access_token',
				exp,
				iat,
				nbf: iat,
			});
		}
		return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/html' } };
	})) as SalesforceEmulator;
	emulator.config = config;
	emulator.tokens = tokens;
	return emulator;
}
