/**
 * Salesforce (help.salesforce.com remoteaccess_oauth_jwt_flow, remoteaccess_oauth_client_credentials_flow;
 * developer.salesforce.com mobile_sdk oauth_revoking_tokens). Findings of the seed document
 * (Salesforce client credentials vs private_key_jwt) are encoded here: client credentials takes
 * only a client secret; the JWT bearer grant needs sub = a username and aud = login/test.
 * External client apps (Spring '26 ended the legacy hostname redirections, help.salesforce.com
 * article 005228017) may refuse aud = login/test with 400 app_not_found "External client app is
 * not installed in this org" and want the org's My Domain URL instead (forcedotcom/cli#3482,
 * n8n-io/n8n#28990): "JWT Audience" = My Domain URL.
 */
import { OAuthConfigError } from '../errors/oauthErrors';
import { httpsOrigin, text } from './fields';
import type { ProviderHint } from '../errors/hints';
import { formVersion } from '../config/credentialData';
import type { Preset } from './types';

const AUDIENCE = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
} as const;

const SALESFORCE_HINTS: ProviderHint[] = [
	{
		id: 'salesforce-app-not-found',
		// External client apps answer 400 {"error":"app_not_found","error_description":"External client app is not installed in this org"}.
		errors: ['app_not_found'],
		cause:
			"Salesforce found no app for this consumer key at this audience. An external client app wants the org's My Domain URL as the JWT audience, not https://login.salesforce.com or https://test.salesforce.com.",
		fix: 'For an external client app, set "Salesforce Environment" to My Domain (https://<your-domain>.my.salesforce.com) and "JWT Audience" to "My Domain URL (External Client Apps)". A connected app (and a government cloud org) wants "Login / Test by Environment". Also check that "Client ID" is the app\'s consumer key.',
	},
	{
		id: 'salesforce-not-approved',
		errors: ['invalid_grant'],
		description: /hasn't approved this consumer|has not approved/i,
		cause:
			'Salesforce does not consider this user pre-authorized for the connected app, or "sub" is not a Salesforce username (using the client ID as subject gives exactly this error).',
		fix: 'Put the integration user\'s Salesforce username in "Subject", and in the connected app set Permitted Users to "Admin approved users are pre-authorized" and add the user\'s profile or permission set.',
	},
	{
		id: 'salesforce-audience',
		errors: ['invalid_grant'],
		description: /audience/i,
		cause: 'The assertion audience is not what this org expects.',
		fix: 'Choose the right "Salesforce Environment": production orgs (also through their My Domain) use https://login.salesforce.com and sandboxes https://test.salesforce.com, so for a sandbox choose Sandbox (a My Domain URL counts as a sandbox only when it contains ".sandbox."). A connected app wants "JWT Audience" = "Login / Test by Environment"; only external client apps take the My Domain URL.',
	},
	{
		id: 'salesforce-expired-code',
		errors: ['invalid_grant'],
		description: /expired authorization code/i,
		cause: 'Salesforce found the JWT expired: its "exp" is in the past by Salesforce\'s clock.',
		fix: 'Check the n8n host clock (NTP) and keep "Assertion Lifetime" between 60 and 180 seconds.',
	},
	{
		id: 'salesforce-cc-user',
		errors: ['invalid_grant'],
		description: /client credentials user/i,
		cause: 'The connected app has no "Run As" user for the client credentials flow.',
		fix: 'In the connected app\'s OAuth policies, enable the client credentials flow and choose a "Run As" user.',
	},
	{
		id: 'salesforce-domain',
		// Salesforce answers 400 {"error":"invalid_grant","error_description":"request not supported on this domain"}.
		errors: ['invalid_grant', 'invalid_request', 'unsupported_grant_type'],
		description: /not supported on this domain/i,
		cause:
			"The client credentials flow only works on the org's My Domain URL, not login.salesforce.com.",
		fix: 'Set "Salesforce Environment" to My Domain and enter https://<your-domain>.my.salesforce.com.',
	},
];

export const salesforce: Preset = {
	id: 'salesforce',
	label: 'Salesforce',
	hints: SALESFORCE_HINTS,
	// The private key form (2) has no grant choice: Salesforce takes a key only in the JWT bearer
	// flow, with the assertion alone identifying the client. Form 1 keeps its own fields.
	formChoices(kind, data) {
		if (kind !== 'privateKeyJwt' || formVersion(data) < 2) return {};
		return { grantType: 'jwtBearer', clientAuthentication: 'none' };
	},
	settings(data) {
		const environment = text(data, 'salesforceEnvironment') || 'production';
		const base =
			environment === 'myDomain'
				? httpsOrigin(
						text(data, 'salesforceMyDomainUrl'),
						'My Domain URL',
						'https://mycompany.my.salesforce.com',
					)
				: environment === 'sandbox'
					? AUDIENCE.sandbox
					: AUDIENCE.production;
		// My Domain: the JWT audience is still login (production) or test (sandbox); sandboxes' My
		// Domains contain ".sandbox.". External client apps may want the My Domain URL itself.
		const myDomainAudience = text(data, 'salesforceJwtAudience') === 'myDomain';
		if (myDomainAudience && environment !== 'myDomain') {
			throw new OAuthConfigError(
				'Salesforce Environment',
				'"JWT Audience" is the My Domain URL, but "Salesforce Environment" is not My Domain.',
				'Set "Salesforce Environment" to My Domain and enter https://<your-domain>.my.salesforce.com, or set "JWT Audience" to "Login / Test by Environment".',
			);
		}
		const audience = myDomainAudience
			? base
			: environment === 'sandbox' || base.includes('.sandbox.')
				? AUDIENCE.sandbox
				: AUDIENCE.production;
		const sessionTimeout = Number(data.salesforceSessionTimeout ?? 7200);
		return {
			endpoints: {
				tokenUrl: `${base}/services/oauth2/token`,
				revocationUrl: `${base}/services/oauth2/revoke`,
				introspectionUrl: `${base}/services/oauth2/introspect`,
			},
			// A My Domain endpoint belongs to the org that login/test fronts, so it may receive this audience.
			assertionAudience: { mode: 'custom', custom: audience, acceptedOrigins: [base] },
			// Salesforce help: the JWT must expire within 3 minutes.
			maxAssertionLifetimeSeconds: 180,
			// No expires_in: the token lives as long as the session timeout (default 2 hours).
			lifespans: {
				accessTokenSeconds:
					Number.isFinite(sessionTimeout) && sessionTimeout > 0 ? sessionTimeout : 7200,
			},
			revocation: { invalidTokenMeansRevoked: true, method: 'POST' },
		};
	},
	check(config) {
		if (config.grant.type === 'client_credentials' && config.auth.method === 'private_key_jwt') {
			throw new OAuthConfigError(
				'Grant Type',
				"Salesforce's client credentials flow accepts only a client secret (client_secret_post or client_secret_basic), not private_key_jwt.",
				'To use a private key with Salesforce, choose the "JWT Bearer" grant with Subject = the integration user\'s username; or use the OAuth Client Secret API credential for client credentials.',
			);
		}
		const tokenHost = URL.canParse(config.endpoints.tokenUrl ?? '')
			? new URL(config.endpoints.tokenUrl ?? '').host
			: '';
		if (
			config.grant.type === 'client_credentials' &&
			(tokenHost === 'login.salesforce.com' || tokenHost === 'test.salesforce.com')
		) {
			// Salesforce answers "request not supported on this domain": only My Domain serves it.
			throw new OAuthConfigError(
				'Salesforce Environment',
				`Salesforce's client credentials flow is not supported on ${tokenHost}: it runs only on the org's My Domain URL.`,
				'Set "Salesforce Environment" to My Domain and enter https://<your-domain>.my.salesforce.com.',
			);
		}
		if (config.grant.type === 'jwt_bearer' && !config.grant.subject) {
			throw new OAuthConfigError(
				'Subject',
				'"Subject" is empty: Salesforce issues a JWT bearer token only to a named user.',
				'Enter the Salesforce username of the integration user in "Subject" (not the consumer key); the connected app must pre-authorize that user\'s profile or permission set.',
			);
		}
		if (
			config.grant.type === 'jwt_bearer' &&
			config.grant.subject &&
			config.grant.subject === config.clientId
		) {
			throw new OAuthConfigError(
				'Subject',
				'For Salesforce the subject must be a username, not the client ID (Salesforce answers "user hasn\'t approved this consumer").',
				'Enter the Salesforce username of the integration user.',
			);
		}
	},
};
