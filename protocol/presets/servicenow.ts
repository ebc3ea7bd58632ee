/**
 * ServiceNow (docs: OAuth tokens, oauth_token.do, t_RevokeOAuthToken; KB0791140; seed document
 * "ServiceNow での OAuth トークンの管理"). Lifespans: instance-issued tokens 30 minutes / 100 days,
 * third-party tokens 30 days / 365 days. A repeated token request returns the same valid token
 * with a renewed expiry, which Get Token reports from the fresh expires_in.
 */
import { httpsOrigin, text } from './fields';
import type { Preset } from './types';

const DAY = 86_400;

export const servicenow: Preset = {
	id: 'servicenow',
	label: 'ServiceNow',
	settings(data) {
		const raw = text(data, 'servicenowInstance');
		// "dev12345" is an instance name; anything with a dot is a host or URL.
		const origin = raw && !raw.includes('.') && !raw.includes('/') ? `https://${raw}.service-now.com` : httpsOrigin(raw, 'Instance', 'dev12345 or https://dev12345.service-now.com');
		const thirdParty = text(data, 'servicenowTokenSource') === 'thirdParty';
		return {
			endpoints: {
				tokenUrl: `${origin}/oauth_token.do`,
				revocationUrl: `${origin}/oauth_revoke_token.do`,
				introspectionUrl: text(data, 'introspectionUrl') || undefined,
			},
			lifespans: thirdParty ? { accessTokenSeconds: 30 * DAY, refreshTokenSeconds: 365 * DAY } : { accessTokenSeconds: 1800, refreshTokenSeconds: 100 * DAY },
			// oauth_revoke_token.do takes ?token= and "does not require authentication".
			revocation: { invalidTokenMeansRevoked: false, method: 'GET' },
			hints: [
				{
					id: 'servicenow-access-denied',
					errors: ['server_error', 'access_denied', 'invalid_client', 'invalid_grant'],
					description: /access_denied|access denied/i,
					cause: 'ServiceNow refused the request: a wrong client ID or secret, a wrong user name or password, a locked user, or an OAuth application that is inactive.',
					fix: 'Check the client ID and secret in System OAuth > Application Registry, and the user\'s credentials; the user must be active and not locked out.',
				},
				{
					id: 'servicenow-client-credentials-disabled',
					errors: ['unsupported_grant_type', 'unauthorized_client', 'invalid_request', 'server_error'],
					grants: ['client_credentials'],
					cause: 'Client credentials are off by default on ServiceNow (available since Washington DC).',
					fix: 'Create the system property glide.oauth.inbound.client.credential.grant_type.enabled = true and set an "OAuth Application User" on the application registry entry.',
				},
			],
		};
	},
};
