/**
 * NetSuite machine-to-machine access (NetSuite help, "OAuth 2.0 Client Credentials (M2M) Setup",
 * section_162686838198; "POST Request to the Token Endpoint and the Access Token Response",
 * section_162755359851; "The Request Token Structure", section_162790605110): the client
 * credentials grant with a client assertion signed by the certificate mapped to the integration.
 * Header: typ JWT, alg PS256/384/512 or ES256/384/512 (RSA PKCS#1 v1.5, i.e. RS256, is refused
 * since 1 March 2025), kid = the mapping's Certificate ID. Payload: iss = client ID, scope =
 * restlets / rest_webservices / suite_analytics, aud = the token endpoint, exp less than 60
 * minutes after iat. RSA keys of 3072 or 4096 bits. The access token lives 60 minutes.
 */
import { CLOCK_SKEW_SECONDS } from '../clientAuth/assertion';
import { importSigningKey } from '../clientAuth/keys';
import { attempt } from '../errors/attempt';
import type { ProviderHint } from '../errors/hints';
import { OAuthConfigError } from '../errors/oauthErrors';
import { text } from './fields';
import { STANDARD_REVOCATION, type Preset } from './types';

const NETSUITE_SCOPES = ['restlets', 'rest_webservices', 'suite_analytics'] as const;
const ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const MIN_RSA_BITS = 3072;
/** exp must stay under iat + 60 minutes, and this package backdates iat by the clock skew. */
const MAX_LIFETIME_SECONDS = 3600 - CLOCK_SKEW_SECONDS - 1;
const SETUP_PAGE =
	'Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup';
const AUDIT_TRAIL =
	"NetSuite's answer names no reason; the Detail column of the Login Audit Trail (Setup > Users/Roles > User Management > View Login Audit Trail) does.";

/** "1234567_SB1" → "1234567-sb1", the label of the account's own API host. */
function netsuiteAccountHost(value: string): string {
	let id = value.trim();
	// A pasted URL or host (https://1234567-sb1.app.netsuite.com): its first label is the account.
	const host = /^(?:https?:\/\/)?([^/?#]+)/i.exec(id)?.[1] ?? '';
	if (/\.netsuite\.com$/i.test(host)) id = host.split('.')[0];
	if (!id)
		throw new OAuthConfigError(
			'Account ID',
			'"Account ID" is empty.',
			'Enter the NetSuite account ID from Setup > Company > Company Information, e.g. 1234567 or 1234567_SB1 for a sandbox.',
		);
	// Only letters, digits, _ and -: the value becomes a host name, so nothing may escape it.
	if (!/^[A-Za-z0-9_-]+$/.test(id))
		throw new OAuthConfigError(
			'Account ID',
			`"${id.slice(0, 40)}" is not a NetSuite account ID (letters, digits and _ only).`,
			'Enter the account ID from Setup > Company > Company Information, e.g. 1234567 or 1234567_SB1.',
		);
	return id.toLowerCase().replace(/_/g, '-');
}

const NETSUITE_HINTS: ProviderHint[] = [
	{
		id: 'netsuite-invalid-request',
		errors: ['invalid_request'],
		grants: ['client_credentials'],
		cause: `NetSuite refused the client assertion: its "kid" is not a Certificate ID of this account's mapping, its "aud" is not this account's token URL, it is signed with an algorithm NetSuite no longer takes, or it lacks the "scope" claim. ${AUDIT_TRAIL}`,
		fix: `Set "Certificate ID" to the one shown on ${SETUP_PAGE}, check "Account ID" (sandboxes end in _SB1), and use PS256 or ES256.`,
	},
	{
		id: 'netsuite-invalid-client',
		errors: ['invalid_client', 'unauthorized_client'],
		cause: `NetSuite did not accept the client: the client ID is not an integration record of this account, the record is blocked, or its "Client Credentials (Machine to Machine) Grant" box is not checked. ${AUDIT_TRAIL}`,
		fix: 'Check "Client ID" (the integration record\'s Client ID, shown once when it was saved) and, on Setup > Integration > Manage Integrations, that the record is enabled with the Client Credentials (Machine to Machine) Grant.',
	},
	{
		id: 'netsuite-invalid-grant',
		errors: ['invalid_grant'],
		cause: `NetSuite found no usable mapping for this certificate: it was revoked or expired (certificates last at most two years), or the mapped entity or role is inactive. ${AUDIT_TRAIL}`,
		fix: `Create a new mapping on ${SETUP_PAGE} with the current certificate, and put its Certificate ID in "Certificate ID".`,
	},
	{
		id: 'netsuite-invalid-scope',
		errors: ['invalid_scope'],
		cause:
			'The "scope" claim names a scope the integration record does not allow (restlets, rest_webservices, suite_analytics).',
		fix: 'Tick the scope on the integration record (Setup > Integration > Manage Integrations), or change "Scope" to the scopes it has.',
	},
];

/** RSA keys take PSS (RS256 is refused); EC keys keep the algorithm of their curve. */
function automaticAlgorithm(data: Record<string, unknown>): string {
	const key = attempt(() =>
		importSigningKey({
			privateKey: text(data, 'privateKey'),
			passphrase: text(data, 'passphrase') || undefined,
			algorithm: 'auto',
		}),
	);
	// An unreadable key is reported by the credential's own key import, with its own message.
	if (!key.ok) return 'auto';
	return key.value.key.asymmetricKeyType === 'rsa' ? 'PS256' : 'auto';
}

export const netsuite: Preset = {
	id: 'netsuite',
	label: 'NetSuite',
	hints: NETSUITE_HINTS,
	// NetSuite's M2M flow is client credentials with a client assertion, nothing else; "Auto"
	// signs with PSS for an RSA key.
	formChoices(kind, data) {
		if (kind !== 'privateKeyJwt') return {};
		const algorithm = text(data, 'algorithm') || 'auto';
		return {
			grantType: 'clientCredentials',
			clientAuthentication: 'private_key_jwt',
			algorithm: algorithm === 'auto' ? automaticAlgorithm(data) : algorithm,
		};
	},
	settings(data) {
		const base = `https://${netsuiteAccountHost(text(data, 'netsuiteAccountId'))}.suitetalk.api.netsuite.com`;
		return {
			endpoints: {
				tokenUrl: `${base}/services/rest/auth/oauth2/v1/token`,
				revocationUrl: `${base}/services/rest/auth/oauth2/v1/revoke`,
			},
			assertionAudience: { mode: 'tokenEndpoint' },
			clientAssertionScope: 'list',
			maxAssertionLifetimeSeconds: MAX_LIFETIME_SECONDS,
			// The access token is valid for 60 minutes (NetSuite sends expires_in 3600 too).
			lifespans: { accessTokenSeconds: 3600 },
			revocation: STANDARD_REVOCATION,
		};
	},
	check(config) {
		if (config.grant.type !== 'client_credentials' || config.auth.method !== 'private_key_jwt') {
			throw new OAuthConfigError(
				'Grant Type',
				"NetSuite's machine-to-machine flow is the client credentials grant with a signed client assertion (private_key_jwt).",
				'Use the NetSuite preset as it is: Grant Type Client Credentials, Client Authentication Private Key JWT.',
			);
		}
		const { key } = config.auth;
		if (!ALGORITHMS.includes(key.alg)) {
			throw new OAuthConfigError(
				'Algorithm',
				key.alg.startsWith('RS')
					? `NetSuite refuses ${key.alg} (RSA PKCS#1 v1.5) for client assertions since 1 March 2025.`
					: `NetSuite does not take ${key.alg} for client assertions.`,
				'Choose PS256, PS384 or PS512 for an RSA key, or ES256, ES384 or ES512 for an EC key (or "Auto").',
			);
		}
		const bits = key.key.asymmetricKeyDetails?.modulusLength ?? 0;
		if (key.key.asymmetricKeyType === 'rsa' && bits < MIN_RSA_BITS) {
			throw new OAuthConfigError(
				'Private Key',
				`The RSA key has ${bits} bits; NetSuite takes RSA keys of 3072 or 4096 bits.`,
				'Generate a 3072- or 4096-bit RSA key (or an EC P-256 key), upload its certificate in a new mapping, and use that mapping\'s Certificate ID in "Certificate ID".',
			);
		}
		if (!key.kid) {
			throw new OAuthConfigError(
				'Certificate ID',
				'"Certificate ID" is empty: NetSuite finds the certificate by the "kid" header, which must be the Certificate ID of the mapping.',
				`Copy the Certificate ID from ${SETUP_PAGE} into "Certificate ID".`,
			);
		}
		const scopes = (config.scope ?? '').split(/[\s,]+/).filter(Boolean);
		if (scopes.length === 0) {
			throw new OAuthConfigError(
				'Scope',
				'"Scope" is empty: NetSuite issues a token only for the scopes named in the client assertion.',
				`Enter one or more of ${NETSUITE_SCOPES.join(', ')}, e.g. rest_webservices.`,
			);
		}
		const unknown = scopes.filter(
			(scope) => !(NETSUITE_SCOPES as readonly string[]).includes(scope),
		);
		if (unknown.length) {
			throw new OAuthConfigError(
				'Scope',
				`NetSuite has no scope "${unknown[0].slice(0, 40)}"; its scopes are ${NETSUITE_SCOPES.join(', ')}.`,
				'Enter scope names separated by spaces or commas, e.g. "rest_webservices restlets".',
			);
		}
	},
};
