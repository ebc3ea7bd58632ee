/**
 * Microsoft Entra ID (MicrosoftDocs/entra-docs v2-oauth2-client-creds-grant-flow.md,
 * certificate-credentials.md; AADSTS error code reference). No refresh token for client
 * credentials, and no RFC 7009 revocation endpoint.
 */
import { OAuthConfigError } from '../errors/oauthErrors';
import { required, text } from './fields';
import type { ProviderHint } from '../errors/hints';
import type { Preset } from './types';

/** Matched on the AADSTS code at the start of error_description (codes: the Entra error code reference). */
const ENTRA_HINTS: ProviderHint[] = [
	{
		id: 'entra-secret',
		errors: [],
		description: /\bAADSTS7000215\b/,
		cause: 'Entra rejected the client secret.',
		fix: "Paste the secret's Value (not its Secret ID) from App registrations > Certificates & secrets, and check that it has not expired.",
	},
	// Not "certificate" in general: AADSTS700024 texts link to the certificate-credentials page too.
	{
		id: 'entra-certificate',
		errors: [],
		description: /\bAADSTS700027\b/,
		cause: 'Entra could not match the assertion to a certificate registered on the app.',
		fix: 'Upload the certificate to the app registration, paste the same certificate in "Certificate", and use x5t#S256 with PS256 (or x5t with RS256).',
	},
	{
		id: 'entra-time',
		errors: [],
		description: /\bAADSTS700024\b/,
		cause: 'The client assertion is not within its valid time range.',
		fix: 'Check the n8n host clock (NTP) and keep "Assertion Lifetime" under 10 minutes.',
	},
	{
		id: 'entra-public-client',
		errors: [],
		description: /\bAADSTS700025\b/,
		cause:
			'The app registration is a public client, which may not present a secret or a certificate.',
		fix: 'In App registrations > Authentication, set "Allow public client flows" to No (a Web platform app), so Entra accepts the app\'s secret or certificate.',
	},
	{
		id: 'entra-audience',
		errors: [],
		description: /\bAADSTS50012\b[^\r\n]*audience/i,
		cause:
			'The client assertion audience is not the token endpoint of the tenant that received it.',
		fix: 'Check "Tenant": the audience is built from it (https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token).',
	},
	{
		id: 'entra-scope',
		errors: [],
		description: /\bAADSTS(70011|1002012)\b/,
		cause: 'The scope is not valid for client credentials.',
		fix: 'Use "<resource>/.default", e.g. https://graph.microsoft.com/.default (one resource per request).',
	},
	{
		id: 'entra-app',
		errors: [],
		description: /\bAADSTS700016\b/,
		cause: 'No application with this client ID exists in this tenant.',
		fix: 'Check "Client ID" (the Application ID) and "Tenant".',
	},
	{
		id: 'entra-tenant',
		errors: [],
		description: /\bAADSTS(90002|900023)\b/,
		cause: 'The tenant was not found.',
		fix: 'Check "Tenant": the directory (tenant) ID or a verified domain.',
	},
	// Workload identity federation (Azure/azure-workload-identity troubleshooting.md).
	{
		id: 'entra-federated',
		errors: [],
		description: /\bAADSTS(70021|700211|700212|700213)\b/,
		cause:
			"No federated identity credential of the app matches the client assertion's issuer, subject and audience.",
		fix: "In the app registration, Certificates & secrets > Federated credentials, add one with exactly the assertion's issuer (the cluster's OIDC issuer URL), subject (system:serviceaccount:<namespace>:<service account>) and audience (api://AzureADTokenExchange); the error names the ones Entra saw.",
	},
];

export const entra: Preset = {
	id: 'entra',
	label: 'Microsoft Entra ID',
	hints: ENTRA_HINTS,
	settings(data) {
		const tenant = required(
			text(data, 'entraTenant'),
			'Tenant',
			'Enter the directory (tenant) ID or a verified domain, e.g. contoso.onmicrosoft.com.',
		);
		// Labels joined by single dots: "." or ".." would take the tenant out of the URL path.
		if (!/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/.test(tenant))
			throw new OAuthConfigError(
				'Tenant',
				`"${tenant}" is not a tenant ID or domain.`,
				'Enter the directory (tenant) ID (a GUID) or a domain like contoso.onmicrosoft.com.',
			);
		const base = `https://login.microsoftonline.com/${tenant}`;
		return {
			endpoints: { tokenUrl: `${base}/oauth2/v2.0/token` },
			assertionAudience: { mode: 'tokenEndpoint' },
			// Entra: exp at most 10 minutes after nbf.
			maxAssertionLifetimeSeconds: 600,
			lifespans: {},
			revocation: {
				unsupportedReason:
					'Microsoft Entra ID has no OAuth token revocation endpoint (RFC 7009). Access tokens stay valid until they expire; to cut off a user, revoke their sessions with Microsoft Graph (revokeSignInSessions).',
				invalidTokenMeansRevoked: false,
				method: 'POST',
			},
		};
	},
	check(config) {
		if (config.grant.type === 'client_credentials' && !config.scope) {
			// Entra answers AADSTS900144 ("must contain the following parameter: 'scope'").
			throw new OAuthConfigError(
				'Scope',
				'Entra client credentials need a scope of the form "<resource>/.default".',
				'Use e.g. https://graph.microsoft.com/.default.',
			);
		}
		if (
			config.scope &&
			!/\/\.default$/.test(config.scope.split(' ')[0]) &&
			config.grant.type === 'client_credentials'
		) {
			throw new OAuthConfigError(
				'Scope',
				`Entra client credentials need a scope of the form "<resource>/.default", not "${config.scope}".`,
				'Use e.g. https://graph.microsoft.com/.default.',
			);
		}
		// Entra finds a certificate credential by its thumbprint header; without one it answers AADSTS700027.
		if (
			config.auth.method === 'private_key_jwt' &&
			!config.auth.key.x5t &&
			!config.auth.key['x5t#S256']
		) {
			throw new OAuthConfigError(
				'Certificate Thumbprint Header',
				'Microsoft Entra ID identifies the certificate by the x5t#S256 or x5t header of the assertion, and none is set.',
				'Set "Certificate Thumbprint Header" to x5t#S256 (with algorithm PS256) or x5t (with RS256), and paste the certificate uploaded to the app registration in "Certificate".',
			);
		}
	},
};
