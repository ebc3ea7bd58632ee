/**
 * RFC 6749 Appendix B form encoding, used on the client id and secret before they are joined
 * and base64-encoded for HTTP Basic (RFC 6749 §2.3.1). Beyond encodeURIComponent it encodes
 * `- _ . ! ~ * ' ( )` and turns spaces into `+`, as oauth4webapi does.
 */
export function formUrlEncode(value: string): string {
	return encodeURIComponent(value)
		.replace(/%20/g, '+')
		.replace(/[-_.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type BasicEncoding = 'strict' | 'raw';

/** The `Authorization` header value for client_secret_basic. `raw` skips the form encoding (for servers that do not decode). */
export function basicAuthorization(
	clientId: string,
	clientSecret: string,
	encoding: BasicEncoding = 'strict',
): string {
	const user = encoding === 'strict' ? formUrlEncode(clientId) : clientId;
	const pass = encoding === 'strict' ? formUrlEncode(clientSecret) : clientSecret;
	return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}
