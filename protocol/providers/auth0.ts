/**
 * Auth0 (auth0.com docs: authenticate-with-private-key-jwt, client-credentials-flow): assertion
 * aud = the tenant URL with a trailing slash; exp at most 5 minutes; the `audience` parameter
 * names the API the token is for.
 */
import { httpsOrigin, text } from './fields';
import type { ProviderHint } from '../errors/hints';
import type { Preset } from './types';

const AUTH0_HINTS: ProviderHint[] = [
	// Auth0 answers a wrong client secret with 401 {"error":"access_denied","error_description":"Unauthorized"}.
	{
		id: 'auth0-secret',
		errors: ['access_denied', 'invalid_client'],
		description: /^unauthorized$/i,
		cause:
			'Auth0 did not accept the client credentials: the client ID or secret is wrong, or the application uses another authentication method.',
		fix: 'Copy the Client ID and Client Secret from Applications > your application > Settings, and check its "Authentication Method" (Credentials tab).',
	},
	{
		id: 'auth0-assertion-audience',
		errors: ['invalid_client'],
		description: /\baud\b|audience/i,
		cause:
			'Auth0 wants the client assertion audience to be its domain with a trailing slash, https://<domain>/.',
		fix: 'Check "Auth0 Domain": enter the domain the token request goes to (the tenant domain, e.g. mytenant.eu.auth0.com, or your custom domain).',
	},
	{
		id: 'auth0-audience-param',
		errors: ['access_denied', 'invalid_request'],
		description: /audience|service not enabled|not found/i,
		cause:
			'Auth0 needs the API identifier in the "audience" parameter, and the application must be authorized for that API.',
		fix: 'Set "Audience" to the API Identifier (Applications > APIs) and authorize this machine-to-machine application for it.',
	},
	{
		id: 'auth0-unauthorized',
		errors: ['access_denied', 'unauthorized_client'],
		cause: 'The application is not authorized for this API or grant.',
		fix: 'In Auth0, authorize the application for the API (Machine to Machine Applications) and enable the Client Credentials grant.',
	},
];

export const auth0: Preset = {
	id: 'auth0',
	label: 'Auth0',
	hints: AUTH0_HINTS,
	settings(data) {
		const origin = httpsOrigin(
			text(data, 'auth0Domain'),
			'Auth0 Domain',
			'https://mytenant.eu.auth0.com',
		);
		return {
			endpoints: {
				issuer: `${origin}/`,
				tokenUrl: `${origin}/oauth/token`,
				revocationUrl: `${origin}/oauth/revoke`,
			},
			assertionAudience: { mode: 'custom', custom: `${origin}/` },
			maxAssertionLifetimeSeconds: 300,
			lifespans: {},
			revocation: { invalidTokenMeansRevoked: false, method: 'POST' },
		};
	},
};
