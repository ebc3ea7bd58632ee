/**
 * NetSuite's OAuth 2.0 token endpoint for the client credentials (machine-to-machine) flow, as
 * NetSuite's help documents it:
 * - "POST Request to the Token Endpoint and the Access Token Response" (section_162755359851):
 *   POST https://<accountID>.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token with
 *   grant_type=client_credentials, client_assertion_type =
 *   urn:ietf:params:oauth:client-assertion-type:jwt-bearer and client_assertion; the answer is
 *   access_token (valid 60 minutes), expires_in "3600" and token_type "Bearer".
 * - "The Request Token Structure" (section_162790605110): header typ JWT, alg PS256/PS384/PS512/
 *   ES256/ES384/ES512, kid = the Certificate ID of the mapping; payload iss = the integration's
 *   client ID, scope = restlets / rest_webservices / suite_analytics (the sample request sends a
 *   JSON array, the table a comma-separated list: both are taken), aud = the token endpoint, exp
 *   less than 60 minutes after iat, iat.
 * - "OAuth 2.0 Client Credentials Setup" (section_162686838198): a mapping per application and
 *   certificate, revocable; its certificate requirements (RSA keys of 3072 or 4096 bits, EC keys
 *   of 256, 384 or 521 bits) and NetSuite's notice that the RSA PKCS#1 v1.5 scheme (RS256) is not
 *   supported for the client credentials flow from 1 March 2025.
 * - Errors: the token endpoint answers `{"error":"<code>"}` with no description (the error
 *   table of "Troubleshooting OAuth 2.0"); the reason appears only in the Login Audit Trail's
 *   Detail column, which this emulator keeps as `auditTrail`. The code per reason follows RFC 6749
 *   §5.2: a malformed request or assertion is invalid_request, an unknown client or a signature
 *   that does not verify is invalid_client, a revoked mapping invalid_grant, a scope the
 *   integration lacks invalid_scope.
 */
import type { KeyObject } from 'node:crypto';

import {
	decodeUnverified,
	json,
	nowSeconds,
	oauthError,
	opaqueToken,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorReply,
	type EmulatorRequest,
} from '../emulator';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
const ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const SCOPES = ['restlets', 'rest_webservices', 'suite_analytics'];

export interface NetSuiteAccountConfig {
	/** The account's host label, e.g. 1234567-sb1 for account 1234567_SB1. */
	accountHost: string;
	/** The integration record's client ID. */
	clientId: string;
	/** Scopes ticked on the integration record. */
	allowedScopes: string[];
	/** M2M mappings by Certificate ID: the certificate's public key. */
	mappings: Record<string, { publicKey: KeyObject; revoked?: boolean }>;
}

export interface NetSuiteEmulator extends Emulator {
	config: NetSuiteAccountConfig;
	/** Login Audit Trail "Detail" of every refused request, in order. */
	auditTrail: string[];
}

export async function startNetSuite(config: NetSuiteAccountConfig): Promise<NetSuiteEmulator> {
	const auditTrail: string[] = [];
	const refuse = (error: string, detail: string): EmulatorReply => {
		auditTrail.push(detail);
		return oauthError(400, error);
	};

	const token = async (request: EmulatorRequest, self: Emulator): Promise<EmulatorReply> => {
		const tokenUrl = `https://${config.accountHost}.suitetalk.api.netsuite.com${TOKEN_PATH}`;
		if (request.form.get('grant_type') !== 'client_credentials')
			return refuse('unsupported_grant_type', 'UnsupportedGrantType');
		if (request.form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE)
			return refuse('invalid_request', 'InvalidClientAssertionType');
		const assertion = request.form.get('client_assertion') ?? '';
		const decoded = decodeUnverified(assertion);
		if (!decoded) return refuse('invalid_request', 'InvalidJWT');
		const { header, payload } = decoded;
		const alg = String(header.alg);
		if (header.typ !== 'JWT' || !ALGORITHMS.includes(alg))
			return refuse('invalid_request', `UnsupportedAlgorithm ${alg}`);
		if (payload.iss !== config.clientId) return refuse('invalid_client', 'InvalidIntegration');
		const mapping = typeof header.kid === 'string' ? config.mappings[header.kid] : undefined;
		if (!mapping) return refuse('invalid_request', 'UnknownCertificateId');
		if (mapping.revoked) return refuse('invalid_grant', 'CertificateRevoked');
		if (!(await signatureValid(assertion, mapping.publicKey, [alg])))
			return refuse('invalid_client', 'InvalidSignature');
		const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
		if (!audiences.includes(tokenUrl)) return refuse('invalid_request', 'InvalidAudience');
		const { iat, exp } = payload;
		const now = nowSeconds(self);
		if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600)
			return refuse('invalid_request', 'InvalidTokenLifetime');
		if (exp <= now || iat > now + 60) return refuse('invalid_request', 'TokenExpired');
		const claim = payload.scope;
		const scopes = Array.isArray(claim)
			? claim.map(String)
			: typeof claim === 'string'
				? claim.split(',').map((scope) => scope.trim())
				: [];
		if (scopes.length === 0) return refuse('invalid_request', 'InvalidScope (empty)');
		if (!scopes.every((scope) => SCOPES.includes(scope) && config.allowedScopes.includes(scope)))
			return refuse('invalid_scope', 'InvalidScope');
		return json(200, {
			access_token: opaqueToken('eyJ', 48),
			expires_in: '3600',
			token_type: 'Bearer',
		});
	};

	const emulator = (await startEmulator('netsuite', async (request, self) => {
		if (request.path === TOKEN_PATH && request.method === 'POST') return await token(request, self);
		return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/html' } };
	})) as NetSuiteEmulator;
	emulator.config = config;
	emulator.auditTrail = auditTrail;
	return emulator;
}
