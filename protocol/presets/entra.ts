/**
 * Microsoft Entra ID (MicrosoftDocs/entra-docs v2-oauth2-client-creds-grant-flow.md,
 * certificate-credentials.md; AADSTS error code reference). No refresh token for client
 * credentials, and no RFC 7009 revocation endpoint.
 */
import { OAuthConfigError } from '../errors';
import { required, text } from './fields';
import type { Preset } from './types';

export const entra: Preset = {
	id: 'entra',
	label: 'Microsoft Entra ID',
	settings(data) {
		const tenant = required(text(data, 'entraTenant'), 'Tenant', 'Enter the directory (tenant) ID or a verified domain, e.g. contoso.onmicrosoft.com.');
		if (!/^[A-Za-z0-9.-]+$/.test(tenant)) throw new OAuthConfigError('Tenant', `"${tenant}" is not a tenant ID or domain.`, 'Enter the directory (tenant) ID (a GUID) or a domain like contoso.onmicrosoft.com.');
		const base = `https://login.microsoftonline.com/${tenant}`;
		return {
			endpoints: { tokenUrl: `${base}/oauth2/v2.0/token` },
			assertionAudience: { mode: 'tokenEndpoint' },
			// Entra: exp at most 10 minutes after nbf.
			maxAssertionLifetimeSeconds: 600,
			lifespans: {},
			revocation: {
				unsupportedReason: 'Microsoft Entra ID has no OAuth token revocation endpoint (RFC 7009). Access tokens stay valid until they expire; to cut off a user, revoke their sessions with Microsoft Graph (revokeSignInSessions).',
				invalidTokenMeansRevoked: false,
				method: 'POST',
			},
			hints: [
				{ id: 'entra-secret', errors: [], description: /AADSTS7000215/, cause: 'Entra rejected the client secret.', fix: 'Paste the secret\'s Value (not its Secret ID) from App registrations > Certificates & secrets, and check that it has not expired.' },
				{ id: 'entra-certificate', errors: [], description: /AADSTS700027|AADSTS700023|certificate/i, cause: 'Entra could not match the assertion to a certificate registered on the app.', fix: 'Upload the certificate to the app registration, paste the same certificate in "Certificate", and use x5t#S256 with PS256 (or x5t with RS256).' },
				{ id: 'entra-time', errors: [], description: /AADSTS700024|AADSTS700025/, cause: 'The client assertion is not within its valid time range.', fix: 'Check the n8n host clock (NTP) and keep "Assertion Lifetime" under 10 minutes.' },
				{ id: 'entra-scope', errors: [], description: /AADSTS70011|AADSTS1002012/, cause: 'The scope is not valid for client credentials.', fix: 'Use "<resource>/.default", e.g. https://graph.microsoft.com/.default (one resource per request).' },
				{ id: 'entra-app', errors: [], description: /AADSTS700016/, cause: 'No application with this client ID exists in this tenant.', fix: 'Check "Client ID" (the Application ID) and "Tenant".' },
				{ id: 'entra-tenant', errors: [], description: /AADSTS90002|AADSTS900023/, cause: 'The tenant was not found.', fix: 'Check "Tenant": the directory (tenant) ID or a verified domain.' },
			],
		};
	},
	check(config) {
		if (config.scope && !/\/\.default$/.test(config.scope.split(' ')[0]) && config.grant.type === 'client_credentials') {
			throw new OAuthConfigError('Scope', `Entra client credentials need a scope of the form "<resource>/.default", not "${config.scope}".`, 'Use e.g. https://graph.microsoft.com/.default.');
		}
	},
};
