/**
 * Keycloak (keycloak.org securing-apps/oidc-layers): realm endpoints under
 * {base}/realms/{realm}/protocol/openid-connect; `refresh_expires_in` (0 = offline token);
 * "Signed JWT" = private_key_jwt, "Signed JWT with client secret" = client_secret_jwt.
 */
import { baseUrl, required, text } from './fields';
import type { Preset } from './types';

export const keycloak: Preset = {
	id: 'keycloak',
	label: 'Keycloak',
	settings(data) {
		const base = baseUrl(text(data, 'keycloakBaseUrl'), 'Keycloak Base URL', 'https://sso.example.com (or https://sso.example.com/auth for old versions)');
		const realm = required(text(data, 'keycloakRealm'), 'Realm', 'Enter the realm name, e.g. master.');
		const issuer = `${base}/realms/${encodeURIComponent(realm)}`;
		const oidc = `${issuer}/protocol/openid-connect`;
		return {
			endpoints: { issuer, tokenUrl: `${oidc}/token`, revocationUrl: `${oidc}/revoke`, introspectionUrl: `${oidc}/token/introspect` },
			lifespans: {},
			revocation: { invalidTokenMeansRevoked: false, method: 'POST' },
			hints: [
				{ id: 'keycloak-service-account', errors: ['unauthorized_client'], description: /service account/i, cause: 'The client has no service account, so it cannot use client credentials.', fix: 'In the Keycloak client settings, turn on "Service accounts roles" (Client authentication must be on).' },
				{ id: 'keycloak-refresh', errors: ['invalid_grant'], description: /refresh token|not active|stale/i, cause: 'The refresh token expired, was revoked, or was already used (with "Revoke Refresh Token" on, each is accepted once).', fix: 'Use the newest refresh token from the last refresh; if none works, get a new token.' },
			],
		};
	},
};
