/**
 * Okta (developer.okta.com build-self-signed-jwt, client-secret-jwt / private-key-jwt):
 * org or custom authorization server; assertion aud = the full token endpoint URL; exp at most
 * one hour ahead; jti single-use.
 */
import { httpsOrigin, text } from './fields';
import type { Preset } from './types';

export const okta: Preset = {
	id: 'okta',
	label: 'Okta',
	settings(data) {
		const origin = httpsOrigin(text(data, 'oktaDomain'), 'Okta Domain', 'https://dev-123456.okta.com');
		const server = text(data, 'oktaAuthorizationServer');
		const base = server ? `${origin}/oauth2/${encodeURIComponent(server)}` : `${origin}/oauth2`;
		return {
			endpoints: { issuer: server ? base : origin, tokenUrl: `${base}/v1/token`, revocationUrl: `${base}/v1/revoke`, introspectionUrl: `${base}/v1/introspect` },
			assertionAudience: { mode: 'tokenEndpoint' },
			maxAssertionLifetimeSeconds: 3600,
			lifespans: {},
			revocation: { invalidTokenMeansRevoked: false, method: 'POST' },
			hints: [
				{ id: 'okta-audience', errors: ['invalid_client'], description: /audience|aud/i, cause: 'Okta wants the assertion audience to be the exact token endpoint it received the request on.', fix: 'Check "Okta Domain" and "Authorization Server" (use "default" or your server ID; leave empty only for the org server).' },
				{ id: 'okta-expiry', errors: ['invalid_client'], description: /expiration|too far|expired/i, cause: 'Okta accepts assertions that expire at most one hour ahead.', fix: 'Keep "Assertion Lifetime" short and check the n8n host clock.' },
				{ id: 'okta-scope', errors: ['invalid_scope'], cause: 'Client credentials need custom scopes on a custom authorization server; the org server only grants okta.* API scopes.', fix: 'Use a custom authorization server (e.g. "default") and a scope defined there.' },
			],
		};
	},
};
