/**
 * ServiceNow (docs: OAuth tokens, oauth_token.do, t_RevokeOAuthToken; KB0791140; seed document
 * "ServiceNow での OAuth トークンの管理"). Lifespans: instance-issued tokens 30 minutes / 100 days,
 * third-party tokens 30 days / 365 days. A repeated token request returns the same valid token
 * with a renewed expiry, which Get Token reports from the fresh expires_in.
 */
import { httpsOrigin, text } from './fields';
import type { ProviderHint } from '../errors/hints';
import { formVersion } from '../config/credentialData';
import type { Preset } from './types';

const DAY = 86_400;

/**
 * ServiceNow answers almost every refused token request with HTTP 401
 * {"error_description":"access_denied","error":"server_error"}, so the grant of the request is
 * what tells the causes apart: the grant-specific hints come first.
 */
const SERVICENOW_HINTS: ProviderHint[] = [
	{
		id: 'servicenow-client-credentials-refused',
		errors: [
			'server_error',
			'access_denied',
			'invalid_client',
			'unauthorized_client',
			'unsupported_grant_type',
			'invalid_request',
		],
		grants: ['client_credentials'],
		cause:
			'ServiceNow refused the client credentials request. The grant is off by default (available since Washington DC) and needs an OAuth Application User; ServiceNow gives the same answer for a wrong client ID or secret.',
		fix: 'Create the system property glide.oauth.inbound.client.credential.grant_type.enabled = true, set an "OAuth Application User" on the application registry entry, and check the client ID and secret (sent in the request body: Client Authentication "In the Request Body").',
	},
	{
		id: 'servicenow-jwt-refused',
		errors: ['server_error', 'access_denied', 'invalid_client', 'invalid_grant'],
		grants: ['jwt_bearer'],
		cause:
			'ServiceNow refused the JWT: its audience, its signature (the key in the JWT verifier map), its issuer (the client ID), its subject (no matching user), or a reused jti.',
		fix: 'ServiceNow\'s documentation names two audiences: if "Token Endpoint URL" fails, set "Assertion Audience" to Custom with the client ID. Check that the JWT verifier map holds this key\'s certificate, that "Client ID" is the application registry entry\'s, and that "Subject" matches the user field the JWT provider maps.',
	},
	{
		id: 'servicenow-refresh-refused',
		errors: ['server_error', 'access_denied', 'invalid_client'],
		grants: ['refresh_token'],
		cause:
			'ServiceNow refused the refresh token: it expired (100 days by default), was revoked, or belongs to another client; a wrong client ID or secret gives the same answer.',
		fix: 'Get a new token with the original grant (e.g. the password grant) and keep its refresh token; check the client ID and secret.',
	},
	{
		id: 'servicenow-access-denied',
		errors: ['server_error', 'access_denied', 'invalid_client', 'invalid_grant'],
		description: /access_denied|access denied/i,
		cause:
			'ServiceNow refused the request: a wrong client ID or secret, a client secret sent in a Basic header (ServiceNow reads client_id and client_secret from the body), a wrong user name or password, a locked or inactive user, or an inactive OAuth application.',
		fix: 'Set "Client Authentication" to "In the Request Body", check the client ID and secret in System OAuth > Application Registry, and the user\'s credentials; the user must be active and not locked out.',
	},
];

export const servicenow: Preset = {
	id: 'servicenow',
	label: 'ServiceNow',
	hints: SERVICENOW_HINTS,
	// The form (2) sends the secret in the body, where ServiceNow reads it, and defaults to the
	// password grant: the classic one (access token plus a 100-day refresh token), while client
	// credentials is off on an instance until an admin enables it. Form 1 keeps its own fields.
	formChoices(kind, data) {
		if (kind !== 'clientSecret' || formVersion(data) < 2) return {};
		return {
			clientAuthentication: 'client_secret_post',
			grantType: text(data, 'servicenowGrantType') || 'password',
		};
	},
	settings(data) {
		const raw = text(data, 'servicenowInstance');
		// "dev12345" is an instance name; anything with a dot is a host or URL.
		const origin =
			raw && !raw.includes('.') && !raw.includes('/')
				? `https://${raw}.service-now.com`
				: httpsOrigin(raw, 'Instance', 'dev12345 or https://dev12345.service-now.com');
		const thirdParty = text(data, 'servicenowTokenSource') === 'thirdParty';
		return {
			endpoints: {
				tokenUrl: `${origin}/oauth_token.do`,
				revocationUrl: `${origin}/oauth_revoke_token.do`,
				introspectionUrl: text(data, 'introspectionUrl') || undefined,
			},
			lifespans: thirdParty
				? { accessTokenSeconds: 30 * DAY, refreshTokenSeconds: 365 * DAY }
				: { accessTokenSeconds: 1800, refreshTokenSeconds: 100 * DAY },
			// oauth_revoke_token.do takes ?token= and "does not require authentication".
			revocation: { invalidTokenMeansRevoked: false, method: 'GET' },
		};
	},
};
