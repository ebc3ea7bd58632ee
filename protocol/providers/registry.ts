/** The provider presets, and applying one to a configuration. */
import type { ClientConfig } from '../config/clientConfig';
import { OAuthConfigError } from '../errors/oauthErrors';
import { auth0 } from './auth0';
import { entra } from './entra';
import { google } from './google';
import { keycloak } from './keycloak';
import { netsuite } from './netsuite';
import { okta } from './okta';
import { salesforce } from './salesforce';
import { servicenow } from './servicenow';
import type { CredentialData } from '../config/credentialData';
import { STANDARD_REVOCATION, type Preset } from './types';

export * from './types';

export const PRESETS: Record<string, Preset> = Object.fromEntries(
	[salesforce, servicenow, entra, google, okta, auth0, keycloak, netsuite].map((preset) => [
		preset.id,
		preset,
	]),
);

/**
 * Fill endpoints, audience, lifespans and rules from the preset named by `provider`, then check the
 * provider's rules: all before any request. Generic configurations pass through unchanged.
 */
export function applyPreset(config: ClientConfig, data: CredentialData): ClientConfig {
	const provider = typeof data.provider === 'string' && data.provider ? data.provider : 'generic';
	if (provider === 'generic')
		return { ...config, provider, revocation: config.revocation ?? STANDARD_REVOCATION };
	const preset = PRESETS[provider];
	if (!preset) throw new OAuthConfigError('Provider', `Unknown provider "${provider}".`);
	const settings = preset.settings(data);
	const withAudience = <
		T extends {
			audienceMode: string;
			customAudience?: string;
			acceptedOrigins?: readonly string[];
			lifetimeSeconds: number;
		},
	>(
		assertion: T,
	): T => {
		if (
			settings.maxAssertionLifetimeSeconds !== undefined &&
			assertion.lifetimeSeconds > settings.maxAssertionLifetimeSeconds
		) {
			throw new OAuthConfigError(
				'Assertion Lifetime',
				`${preset.label} accepts assertions that live at most ${settings.maxAssertionLifetimeSeconds} seconds; this one is set to ${assertion.lifetimeSeconds}.`,
				`Set "Assertion Lifetime" to ${Math.min(60, settings.maxAssertionLifetimeSeconds)}.`,
			);
		}
		return settings.assertionAudience
			? {
					...assertion,
					audienceMode: settings.assertionAudience.mode,
					customAudience: settings.assertionAudience.custom,
					acceptedOrigins: settings.assertionAudience.acceptedOrigins,
				}
			: assertion;
	};
	const auth =
		config.auth.method === 'client_secret_jwt' || config.auth.method === 'private_key_jwt'
			? {
					...config.auth,
					assertion: withAudience(config.auth.assertion),
					...(settings.clientAssertionScope
						? { claims: { ...config.auth.claims, scope: settings.clientAssertionScope } }
						: {}),
				}
			: config.auth;
	const grant =
		config.grant.type === 'jwt_bearer'
			? {
					...config.grant,
					assertion: withAudience(config.grant.assertion),
					scopeInClaim: settings.scopeInClaim ?? config.grant.scopeInClaim,
				}
			: config.grant;
	const userLifespans = config.lifespans;
	const configured: ClientConfig = {
		...config,
		provider,
		auth,
		grant,
		endpoints: {
			...settings.endpoints,
			// Explicit URLs typed by the user still win (e.g. a ServiceNow introspection endpoint).
			revocationUrl: config.endpoints.revocationUrl || settings.endpoints.revocationUrl,
			introspectionUrl: config.endpoints.introspectionUrl || settings.endpoints.introspectionUrl,
			allowInsecureHttp: config.endpoints.allowInsecureHttp,
		},
		lifespans: {
			accessTokenSeconds: userLifespans.accessTokenSeconds || settings.lifespans.accessTokenSeconds,
			refreshTokenSeconds:
				userLifespans.refreshTokenSeconds || settings.lifespans.refreshTokenSeconds,
		},
		revocation: settings.revocation,
		providerHints: preset.hints,
	};
	preset.check?.(configured);
	return configured;
}
