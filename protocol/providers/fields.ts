/** Turning what users type (a domain, an instance, a URL) into a clean https origin. */
import type { CredentialData } from '../config/credentialData';
import { OAuthConfigError } from '../errors/oauthErrors';

/** A credential field as trimmed text ('' when unset). */
export function text(data: CredentialData, name: string): string {
	const value = data[name];
	return typeof value === 'string'
		? value.trim()
		: value === undefined || value === null
			? ''
			: String(value).trim();
}

/** Accepts "example.okta.com", "https://example.okta.com/", "https://example.okta.com/anything". */
export function httpsOrigin(value: string, field: string, example: string): string {
	const trimmed = value.trim();
	if (!trimmed)
		throw new OAuthConfigError(field, `"${field}" is empty.`, `Enter it like ${example}.`);
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
	if (!URL.canParse(withScheme) || /\s/.test(trimmed)) {
		throw new OAuthConfigError(
			field,
			`"${trimmed}" is not a domain or URL.`,
			`Enter it like ${example}.`,
		);
	}
	const url = new URL(withScheme);
	return url.origin;
}

/** A URL whose path matters (Keycloak base URL may sit under /auth); trailing slashes removed. */
export function baseUrl(value: string, field: string, example: string): string {
	const origin = httpsOrigin(value, field, example);
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())
		? value.trim()
		: `https://${value.trim()}`;
	const path = new URL(withScheme).pathname.replace(/\/+$/, '');
	return `${origin}${path}`;
}

export function required(value: string, field: string, hint: string): string {
	if (!value) throw new OAuthConfigError(field, `"${field}" is empty.`, hint);
	return value;
}
