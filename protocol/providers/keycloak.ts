/**
 * Keycloak (keycloak.org securing-apps/oidc-layers): realm endpoints under
 * {base}/realms/{realm}/protocol/openid-connect; `refresh_expires_in` (0 = offline token);
 * "Signed JWT" = private_key_jwt, "Signed JWT with client secret" = client_secret_jwt.
 */
import { baseUrl, required, text } from './fields';
import type { ProviderHint } from '../errors/hints';
import type { Preset } from './types';

const KEYCLOAK_HINTS: ProviderHint[] = [
	{
		id: 'keycloak-service-account',
		errors: ['unauthorized_client'],
		description: /service account/i,
		cause: 'The client has no service account, so it cannot use client credentials.',
		fix: 'In the Keycloak client settings, turn on "Service accounts roles" (Client authentication must be on).',
	},
	// Keycloak words an expired or not-yet-valid client assertion as "Client authentication with signed JWT failed: Token is not active".
	{
		id: 'keycloak-assertion-time',
		errors: ['invalid_client', 'unauthorized_client'],
		description: /signed JWT failed: Token is not active/i,
		cause: 'Keycloak found the client assertion expired or not yet valid by its clock.',
		fix: 'Check the n8n host clock (NTP) and keep "Assertion Lifetime" short (60 seconds).',
	},
	// An unknown realm is HTTP 404 {"error":"Realm does not exist"}.
	{
		id: 'keycloak-realm',
		errors: ['Realm does not exist'],
		cause: 'There is no realm of this name at this Keycloak URL.',
		fix: 'Check "Realm" (names are case-sensitive) and "Keycloak Base URL" (Keycloak 16 and older need /auth at the end).',
	},
];

export const keycloak: Preset = {
	id: 'keycloak',
	label: 'Keycloak',
	hints: KEYCLOAK_HINTS,
	settings(data) {
		const base = baseUrl(
			text(data, 'keycloakBaseUrl'),
			'Keycloak Base URL',
			'https://sso.example.com (or https://sso.example.com/auth for old versions)',
		);
		const realm = required(
			text(data, 'keycloakRealm'),
			'Realm',
			'Enter the realm name, e.g. master.',
		);
		const issuer = `${base}/realms/${encodeURIComponent(realm)}`;
		const oidc = `${issuer}/protocol/openid-connect`;
		return {
			endpoints: {
				issuer,
				tokenUrl: `${oidc}/token`,
				revocationUrl: `${oidc}/revoke`,
				introspectionUrl: `${oidc}/token/introspect`,
			},
			lifespans: {},
			revocation: { invalidTokenMeansRevoked: false, method: 'POST' },
		};
	},
};
