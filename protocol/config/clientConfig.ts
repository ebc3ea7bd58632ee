/** The normalized client configuration every protocol step works from (built from a credential). */
import type { AssertionSettings } from '../clientAuth/assertion';
import type { ClientAuth } from '../clientAuth/clientAuth';
import type { SigningKey } from '../clientAuth/keys';
import type { DefaultLifespans } from '../expiry/tokenTimes';
import type { ProviderHint } from '../errors/hints';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 8693 §3 token type identifiers. */
export const TOKEN_TYPES = {
	access_token: 'urn:ietf:params:oauth:token-type:access_token',
	refresh_token: 'urn:ietf:params:oauth:token-type:refresh_token',
	id_token: 'urn:ietf:params:oauth:token-type:id_token',
	jwt: 'urn:ietf:params:oauth:token-type:jwt',
	saml1: 'urn:ietf:params:oauth:token-type:saml1',
	saml2: 'urn:ietf:params:oauth:token-type:saml2',
} as const;

/** RFC 8693 §2.1: the tokens are secrets; the types and the requested type are not. */
export interface TokenExchangeGrant {
	type: 'token_exchange';
	/** The credential's fallback; the node's "Subject Token" replaces it per item. */
	subjectToken: string;
	subjectTokenType: string;
	actorToken?: string;
	actorTokenType?: string;
	requestedTokenType?: string;
}

export type GrantConfig =
	| { type: 'client_credentials' }
	| { type: 'password'; username: string; password: string }
	| {
			type: 'jwt_bearer';
			key: SigningKey;
			/** `iss`: the client id, or the service-account email for Google. */
			issuer: string;
			/** `sub`: the user (Salesforce username, Google delegated user); optional for Google. */
			subject?: string;
			assertion: AssertionSettings;
			/** Google wants `scope` as a claim in the assertion, not as a form parameter. */
			scopeInClaim: boolean;
			extraClaims: Record<string, unknown>;
	  }
	| TokenExchangeGrant;

export interface EndpointConfig {
	/** Issuer URL for RFC 8414 / OpenID discovery; also the `issuer` audience. */
	issuer?: string;
	tokenUrl?: string;
	revocationUrl?: string;
	introspectionUrl?: string;
	/** Allow http:// to hosts other than this machine (never the default). */
	allowInsecureHttp?: boolean;
}

export interface ClientConfig {
	clientId: string;
	auth: ClientAuth;
	endpoints: EndpointConfig;
	grant: GrantConfig;
	scope?: string;
	audience?: string;
	/** RFC 8707 resource indicators, each sent as its own `resource` parameter (absolute URIs). */
	resource?: string[];
	/** Extra token request parameters (ServiceNow OAuthUtil-style); they cannot override protocol parameters. */
	extraParams: Record<string, string>;
	lifespans: DefaultLifespans;
	timeoutMs?: number;
	/** Provider preset id (`generic` when none). */
	provider?: string;
	/** How this provider revokes tokens (RFC 7009 POST unless a preset says otherwise). */
	revocation?: RevocationRules;
	/** The provider's own error hints, tried before the generic ones. */
	providerHints?: ProviderHint[];
}

export interface RevocationRules {
	/** Why the provider cannot revoke (Entra has no RFC 7009 endpoint); set = refuse before any request. */
	unsupportedReason?: string;
	/** Salesforce answers 400 invalid_token for a token that is already invalid. */
	invalidTokenMeansRevoked: boolean;
	/** ServiceNow's oauth_revoke_token.do takes the token as a GET query parameter. */
	method: 'POST' | 'GET';
}
