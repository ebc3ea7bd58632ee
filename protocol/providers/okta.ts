/**
 * Okta (developer.okta.com build-self-signed-jwt, client-secret-jwt / private-key-jwt):
 * org or custom authorization server; assertion aud = the full URL of the endpoint invoked (token,
 * revoke or introspect); exp at most one hour ahead; jti single-use.
 */
import { httpsOrigin, text } from './fields';
import type { ProviderHint } from '../errors/hints';
import type { Preset } from './types';

const OKTA_HINTS: ProviderHint[] = [
	{
		id: 'okta-audience',
		errors: ['invalid_client'],
		description: /audience|\baud\b/i,
		cause:
			'Okta wants the assertion audience to be the exact URL of the endpoint it received the request on (token, revoke or introspect).',
		fix: 'Check "Okta Domain" and "Authorization Server" (use "default" or your server ID; leave empty only for the org server).',
	},
	{
		id: 'okta-expiry',
		errors: ['invalid_client'],
		description: /expiration|too far|expired/i,
		cause:
			'Okta found the client assertion expired by its clock, or expiring more than one hour ahead.',
		fix: 'Check the n8n host clock (NTP) and keep "Assertion Lifetime" short (60 seconds is plenty; at most 3600).',
	},
	{
		id: 'okta-scope',
		errors: ['invalid_scope'],
		cause:
			'Client credentials need custom scopes on a custom authorization server; the org server only grants okta.* API scopes.',
		fix: 'Use a custom authorization server (e.g. "default") and a scope defined there.',
	},
];

export const okta: Preset = {
	id: 'okta',
	label: 'Okta',
	hints: OKTA_HINTS,
	settings(data) {
		const origin = httpsOrigin(
			text(data, 'oktaDomain'),
			'Okta Domain',
			'https://dev-123456.okta.com',
		);
		const server = text(data, 'oktaAuthorizationServer');
		const base = server ? `${origin}/oauth2/${encodeURIComponent(server)}` : `${origin}/oauth2`;
		return {
			endpoints: {
				issuer: server ? base : origin,
				tokenUrl: `${base}/v1/token`,
				revocationUrl: `${base}/v1/revoke`,
				introspectionUrl: `${base}/v1/introspect`,
			},
			// Okta: aud is "the full URL of the resource" the JWT authenticates to: the token, revoke or introspect endpoint invoked.
			assertionAudience: { mode: 'endpoint' },
			maxAssertionLifetimeSeconds: 3600,
			lifespans: {},
			revocation: { invalidTokenMeansRevoked: false, method: 'POST' },
		};
	},
};
