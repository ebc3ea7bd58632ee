/**
 * Google service accounts (developers.google.com/identity/protocols/oauth2/service-account):
 * the JWT bearer grant with `scope` as a claim, `aud` the token URI, `exp` at most one hour after
 * `iat`, optional `sub` for domain-wide delegation; no refresh token; revoke endpoint.
 */
import { OAuthConfigError } from '../errors/oauthErrors';
import type { ProviderHint } from '../errors/hints';
import type { Preset } from './types';

const TOKEN_URI = 'https://oauth2.googleapis.com/token';

const GOOGLE_HINTS: ProviderHint[] = [
	{
		id: 'google-signature',
		errors: ['invalid_grant'],
		description: /Invalid JWT Signature/i,
		cause:
			'Google does not know this key: it was deleted or disabled, or the key does not belong to the service account.',
		fix: 'Create a new JSON key for the service account and paste the whole file into "Private Key".',
	},
	{
		id: 'google-time',
		errors: ['invalid_grant'],
		description: /short-lived|reasonable timeframe|\biat\b|\bexp\b/i,
		cause:
			'Google rejects assertions that expire more than an hour after they are issued, or a host clock that is off.',
		fix: 'Keep "Assertion Lifetime" at or under 3600 seconds and check the n8n host clock.',
	},
	{
		id: 'google-delegation',
		errors: ['unauthorized_client'],
		cause: 'The service account may not impersonate users for these scopes.',
		fix: 'In the Google Workspace admin console, grant domain-wide delegation to the service account\'s client ID for exactly these scopes, or clear "Subject".',
	},
	{
		id: 'google-scope',
		errors: ['invalid_scope'],
		cause: 'A scope is unknown or empty.',
		fix: 'Enter full scope URLs, e.g. https://www.googleapis.com/auth/cloud-platform.',
	},
];

export const google: Preset = {
	id: 'google',
	label: 'Google (Service Account)',
	hints: GOOGLE_HINTS,
	settings() {
		return {
			endpoints: { tokenUrl: TOKEN_URI, revocationUrl: 'https://oauth2.googleapis.com/revoke' },
			assertionAudience: { mode: 'custom', custom: TOKEN_URI },
			// Google reads the scope from the assertion only; without the claim it answers invalid_scope.
			scopeInClaim: true,
			maxAssertionLifetimeSeconds: 3600,
			lifespans: {},
			// Google answers 400 invalid_token ("Token expired or revoked") for a token that is already invalid.
			revocation: { invalidTokenMeansRevoked: true, method: 'POST' },
		};
	},
	check(config) {
		if (config.grant.type !== 'jwt_bearer') {
			throw new OAuthConfigError(
				'Grant Type',
				'Google service accounts use the JWT bearer grant.',
				'Set "Grant Type" to JWT Bearer (the service-account key file supplies the issuer).',
			);
		}
		if (!config.scope) {
			throw new OAuthConfigError(
				'Scope',
				'Google issues service-account tokens only for the scopes named in the assertion, and "Scope" is empty.',
				'Enter full scope URLs, e.g. https://www.googleapis.com/auth/cloud-platform.',
			);
		}
		if (config.auth.method !== 'none') {
			throw new OAuthConfigError(
				'Client Authentication',
				"Google's token endpoint takes only the grant assertion; no client authentication.",
				'Set "Client Authentication" to None.',
			);
		}
	},
};
