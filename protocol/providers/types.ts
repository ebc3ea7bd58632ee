/** What a provider preset contributes: endpoints from the few values a user knows, and its rules. */
import type { AudienceMode } from '../clientAuth/assertion';
import type { ClientConfig, EndpointConfig, RevocationRules } from '../config/clientConfig';
import type { CredentialData, CredentialKind } from '../config/credentialData';
import type { ProviderHint } from '../errors/hints';
import type { DefaultLifespans } from '../expiry/tokenTimes';

export interface PresetSettings {
	endpoints: EndpointConfig;
	/** The assertion audience the provider requires; undefined = the user's "Assertion Audience" setting. */
	assertionAudience?: {
		mode: AudienceMode;
		custom?: string;
		/** Origins that accept this audience although it names another host (see AssertionSettings). */
		acceptedOrigins?: readonly string[];
	};
	/** The provider wants the scope as a claim of the grant assertion (Google), whatever "Send Scope as Claim" says. */
	scopeInClaim?: boolean;
	/** The provider wants the scope as a claim of the client assertion (NetSuite: a list of names). */
	clientAssertionScope?: 'string' | 'list';
	/** The longest assertion lifetime the provider accepts. */
	maxAssertionLifetimeSeconds?: number;
	/** Lifespans to assume when the server does not say; the user's non-zero values win. */
	lifespans: DefaultLifespans;
	revocation: RevocationRules;
}

export interface Preset {
	id: string;
	label: string;
	/** The provider's error hints, tried before the generic ones (and listed in the README table). */
	hints: ProviderHint[];
	settings(data: CredentialData): PresetSettings;
	/**
	 * Choices the preset's credential form fixes or names differently (form 2 of
	 * credentials/shared/definition.ts), as the credential fields they stand for.
	 */
	formChoices?(kind: CredentialKind, data: CredentialData): CredentialData;
	/** Provider rules checked on the finished configuration, before any request. */
	check?(config: ClientConfig): void;
}

export const STANDARD_REVOCATION: RevocationRules = {
	invalidTokenMeansRevoked: false,
	method: 'POST',
};
