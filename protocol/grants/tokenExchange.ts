/**
 * RFC 8693 token exchange: the request's token parameters (§2.1), the per-item tokens the node
 * passes in, and what the response must say about the issued token (§2.2.1).
 */
import { TOKEN_TYPES, type ClientConfig, type TokenExchangeGrant } from '../config/clientConfig';
import { OAuthConfigError } from '../errors/oauthErrors';

/** A credential's token type choice as its URI; '' for none. */
export function tokenTypeUri(choice: string, custom: string, field: string): string {
	if (choice === '' || choice === 'none') return '';
	if (Object.prototype.hasOwnProperty.call(TOKEN_TYPES, choice))
		return TOKEN_TYPES[choice as keyof typeof TOKEN_TYPES];
	if (choice === 'custom') {
		const value = custom.trim();
		if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value))
			throw new OAuthConfigError(
				`Custom ${field}`,
				`"Custom ${field}" must be a token type URI (RFC 8693 §3), like urn:example:token-type:internal.`,
				`Enter the URI the server documents for this token type in "Custom ${field}".`,
			);
		return value;
	}
	throw new OAuthConfigError(field, `Unknown token type "${choice}".`);
}

/** Checks before sending (RFC 8693 §2.1): a subject token and its type; an actor token only with its type. */
export function validateTokenExchange(grant: TokenExchangeGrant): void {
	if (!grant.subjectToken)
		throw new OAuthConfigError(
			'Subject Token',
			'The token exchange needs a subject token: the token to exchange.',
			'Map it in the Get Token node\'s "Token Exchange" > "Subject Token" (e.g. {{ $json.access_token }}), or fill "Subject Token" in the credential.',
		);
	if (!grant.subjectTokenType)
		throw new OAuthConfigError(
			'Subject Token Type',
			'The token exchange needs the type of the subject token (RFC 8693 §2.1).',
			'Choose the "Subject Token Type" in the credential.',
		);
	if (grant.actorToken && !grant.actorTokenType)
		throw new OAuthConfigError(
			'Actor Token Type',
			'An actor token was given without its type; RFC 8693 §2.1 requires "actor_token_type" with "actor_token".',
			'Choose the "Actor Token Type" in the credential (Show Advanced Settings), or remove the actor token.',
		);
}

/** The §2.1 parameters besides grant_type, audience, resource and scope. */
export function tokenExchangeParameters(grant: TokenExchangeGrant, params: URLSearchParams): void {
	params.set('subject_token', grant.subjectToken);
	params.set('subject_token_type', grant.subjectTokenType);
	if (grant.actorToken) {
		params.set('actor_token', grant.actorToken);
		params.set('actor_token_type', grant.actorTokenType ?? '');
	}
	if (grant.requestedTokenType) params.set('requested_token_type', grant.requestedTokenType);
}

/** The Get Token node's tokens for this item; empty = the credential's. */
export interface ItemTokens {
	subjectToken?: string;
	actorToken?: string;
}

/** The configuration with this item's subject and actor tokens; refused for any other grant. */
export function withItemTokens(config: ClientConfig, tokens: ItemTokens): ClientConfig {
	const subjectToken = tokens.subjectToken?.trim() ?? '';
	const actorToken = tokens.actorToken?.trim() ?? '';
	if (!subjectToken && !actorToken) return config;
	if (config.grant.type !== 'token_exchange')
		throw new OAuthConfigError(
			subjectToken ? 'Subject Token' : 'Actor Token',
			'The node\'s "Token Exchange" values only apply to a credential whose grant is "Token Exchange (RFC 8693)".',
			'Choose the Token Exchange grant in the credential, or remove the "Token Exchange" option from the node.',
		);
	return {
		...config,
		grant: {
			...config.grant,
			...(subjectToken ? { subjectToken } : {}),
			...(actorToken ? { actorToken } : {}),
		},
	};
}
