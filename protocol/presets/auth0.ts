/**
 * Auth0 (auth0.com docs: authenticate-with-private-key-jwt, client-credentials-flow): assertion
 * aud = the tenant URL with a trailing slash; exp at most 5 minutes; the `audience` parameter
 * names the API the token is for.
 */
import { httpsOrigin, text } from './fields';
import type { Preset } from './types';

export const auth0: Preset = {
	id: 'auth0',
	label: 'Auth0',
	settings(data) {
		const origin = httpsOrigin(text(data, 'auth0Domain'), 'Auth0 Domain', 'https://mytenant.eu.auth0.com');
		return {
			endpoints: { issuer: `${origin}/`, tokenUrl: `${origin}/oauth/token`, revocationUrl: `${origin}/oauth/revoke` },
			assertionAudience: { mode: 'custom', custom: `${origin}/` },
			maxAssertionLifetimeSeconds: 300,
			lifespans: {},
			revocation: { invalidTokenMeansRevoked: false, method: 'POST' },
			hints: [
				{ id: 'auth0-audience-param', errors: ['access_denied', 'invalid_request'], description: /audience|service not enabled|not found/i, cause: 'Auth0 needs the API identifier in the "audience" parameter, and the application must be authorized for that API.', fix: 'Set "Audience" to the API Identifier (Applications > APIs) and authorize this machine-to-machine application for it.' },
				{ id: 'auth0-unauthorized', errors: ['access_denied', 'unauthorized_client'], cause: 'The application is not authorized for this API or grant.', fix: 'In Auth0, authorize the application for the API (Machine to Machine Applications) and enable the Client Credentials grant.' },
			],
		};
	},
};
