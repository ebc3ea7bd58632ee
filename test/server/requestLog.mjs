// What the package sent to the token, revocation and introspection endpoints, recorded so tests in
// jest worker processes can read it over HTTP (GET /__test/requests). Only the *shape* of each
// request is kept: parameter names, where the client credential was, decoded JWT claims.
// Secrets, passwords, tokens and raw assertions are never stored.

/**
 * @typedef {{ header: Record<string, unknown>, payload: Record<string, unknown> }} DecodedJwt
 *
 * @typedef {object} RecordedRequest
 * @property {number} seq            increasing number, unique per server
 * @property {string} path
 * @property {string} method
 * @property {number} at             Date.now() when the request arrived
 * @property {'basic' | 'bearer' | 'none' | 'other'} authorization  scheme of the Authorization header
 * @property {string | null} basicUser   client id from a Basic header, form-decoded (never the secret)
 * @property {string | null} contentType
 * @property {string[]} bodyKeys     form parameter names, in order, duplicates kept
 * @property {string | null} clientId    client id from Basic, client_id, client_assertion sub, or (no client auth JWT bearer) the assertion iss
 * @property {string | null} grantType
 * @property {DecodedJwt | null} clientAssertion  decoded (unverified) client_assertion
 * @property {DecodedJwt | null} assertion        decoded (unverified) grant assertion
 * @property {string | null} tokenTypeHint        revocation / introspection token_type_hint
 * @property {string[]} resources    RFC 8707 `resource` values, in order (not secret)
 * @property {string[]} audiences    `audience` values, in order
 * @property {string | null} subjectTokenType     RFC 8693 types (the tokens themselves are never kept)
 * @property {string | null} actorTokenType
 * @property {string | null} requestedTokenType
 * @property {number | null} status  HTTP status of the response
 * @property {string | null} error   OAuth error code of the response, if any
 * @property {string | null} errorDetail  the server's internal reason for the error (not sent to the client)
 */

/**
 * @param {string | undefined} jwt
 * @returns {DecodedJwt | null}
 */
export function decodeJwt(jwt) {
	if (typeof jwt !== 'string') return null;
	const parts = jwt.split('.');
	if (parts.length !== 3) return null;
	try {
		return {
			header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
			payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
		};
	} catch {
		return null;
	}
}

/** Form-decoding as RFC 6749 §2.3.1 prescribes (and oidc-provider does). */
function formDecode(/** @type {string} */ value) {
	try {
		return decodeURIComponent(value.replace(/\+/g, '%20'));
	} catch {
		return value;
	}
}

/**
 * @param {string | undefined} header
 * @returns {{ scheme: RecordedRequest['authorization'], basicUser: string | null }}
 */
export function describeAuthorization(header) {
	if (header === undefined) return { scheme: 'none', basicUser: null };
	const [scheme = '', credentials = ''] = header.split(' ');
	switch (scheme.toLowerCase()) {
		case 'basic': {
			const decoded = Buffer.from(credentials, 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			return {
				scheme: 'basic',
				basicUser: colon === -1 ? null : formDecode(decoded.slice(0, colon)),
			};
		}
		case 'bearer':
			return { scheme: 'bearer', basicUser: null };
		default:
			return { scheme: 'other', basicUser: null };
	}
}

export class RequestLog {
	/** @type {RecordedRequest[]} */
	#entries = [];
	#seq = 0;

	/**
	 * @param {{ path: string, method: string, headers: import('node:http').IncomingHttpHeaders, params: URLSearchParams | null, clientId: string | null }} request
	 * @returns {RecordedRequest}
	 */
	record({ path, method, headers, params, clientId }) {
		const { scheme, basicUser } = describeAuthorization(headers.authorization);
		/** @type {RecordedRequest} */
		const entry = {
			seq: ++this.#seq,
			path,
			method,
			at: Date.now(),
			authorization: scheme,
			basicUser,
			contentType: headers['content-type'] ?? null,
			bodyKeys: params ? [...params.keys()] : [],
			clientId,
			grantType: params?.get('grant_type') ?? null,
			clientAssertion: decodeJwt(params?.get('client_assertion') ?? undefined),
			assertion: decodeJwt(params?.get('assertion') ?? undefined),
			tokenTypeHint: params?.get('token_type_hint') ?? null,
			resources: params?.getAll('resource') ?? [],
			audiences: params?.getAll('audience') ?? [],
			subjectTokenType: params?.get('subject_token_type') ?? null,
			actorTokenType: params?.get('actor_token_type') ?? null,
			requestedTokenType: params?.get('requested_token_type') ?? null,
			status: null,
			error: null,
			errorDetail: null,
		};
		this.#entries.push(entry);
		return entry;
	}

	/** @param {number} [since] only entries with `at >= since` */
	list(since) {
		return since === undefined
			? [...this.#entries]
			: this.#entries.filter((entry) => entry.at >= since);
	}

	clear() {
		this.#entries = [];
	}
}
