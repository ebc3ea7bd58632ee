/** What a provider preset contributes: endpoints from the few values a user knows, and its rules. */
import type { AudienceMode } from '../assertion';
import type { ClientConfig, EndpointConfig } from '../config';
import type { CredentialData } from '../credentialData';
import type { ErrorHint } from '../hints';
import type { DefaultLifespans } from '../lifespan';


export interface RevocationRules {
	/** Why the provider cannot revoke (Entra has no RFC 7009 endpoint); set = refuse before any request. */
	unsupportedReason?: string;
	/** Salesforce answers 400 invalid_token for a token that is already invalid. */
	invalidTokenMeansRevoked: boolean;
	/** ServiceNow's oauth_revoke_token.do takes the token as a GET query parameter. */
	method: 'POST' | 'GET';
}

/** A hint that may apply to some grants only (config grant types: client_credentials, password, jwt_bearer, refresh_token). */
export type ProviderHint = ErrorHint & { grants?: string[] };

export interface PresetSettings {
	endpoints: EndpointConfig;
	/** The assertion audience the provider requires; undefined = the user's "Assertion Audience" setting. */
	assertionAudience?: { mode: AudienceMode; custom?: string };
	/** The provider wants the scope as a claim of the grant assertion (Google), whatever "Send Scope as Claim" says. */
	scopeInClaim?: boolean;
	/** The longest assertion lifetime the provider accepts. */
	maxAssertionLifetimeSeconds?: number;
	/** Lifespans to assume when the server does not say; the user's non-zero values win. */
	lifespans: DefaultLifespans;
	revocation: RevocationRules;
	hints: ProviderHint[];
}

export interface Preset {
	id: string;
	label: string;
	/** The provider's error hints (the same list `settings` returns), for the README table. */
	hints: ProviderHint[];
	settings(data: CredentialData): PresetSettings;
	/** Provider rules checked on the finished configuration, before any request. */
	check?(config: ClientConfig): void;
}

export const STANDARD_REVOCATION: RevocationRules = { invalidTokenMeansRevoked: false, method: 'POST' };
