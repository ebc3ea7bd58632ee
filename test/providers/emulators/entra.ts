/**
 * Microsoft Entra ID v2.0 token endpoint, as documented:
 * - MicrosoftDocs/entra-docs `v2-oauth2-client-creds-grant-flow.md`: POST
 *   https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token, grant_type=client_credentials,
 *   scope=<resource>/.default (one resource), client_secret in the body or RFC 6749 Basic, or
 *   client_assertion; response {token_type, expires_in, ext_expires_in, access_token}; no refresh
 *   token; error bodies {error, error_description "AADSTS…\r\nTrace ID: …\r\nCorrelation ID: …
 *   \r\nTimestamp: …", error_codes, timestamp, trace_id, correlation_id, error_uri}.
 * - `certificate-credentials.md`: header alg PS256 with x5t#S256 (current) or RS256 with x5t
 *   (older docs, n8n, MSAL); claims aud = the token endpoint, iss = sub = client id, jti, nbf,
 *   exp, iat.
 * - AADSTS codes and texts from the Entra error reference and real answers quoted in issues:
 *   AADSTS7000215 (invalid secret), AADSTS700027 (certificate not registered / signature;
 *   AzureAD/microsoft-authentication-library-for-js#8339), AADSTS700024 (not within its valid
 *   time range; AzureAD/microsoft-authentication-library-for-dotnet#4951), AADSTS50012 (assertion
 *   audience; AzureAD/azure-activedirectory-library-for-python#79), AADSTS700016 (app not found),
 *   AADSTS90002 (tenant not found), AADSTS1002012 (scope without /.default).
 * - No RFC 7009 revocation endpoint: there is nothing to call, so nothing is served for it.
 * - Multi-tenant apps: the same app ID works at the token endpoint of every tenant where it has a
 *   service principal (consent); its tokens carry that tenant's `tid` (v2-oauth2-client-creds-grant-flow.md).
 * - Workload identity federation: the client_assertion is a token from an external issuer
 *   (a Kubernetes service-account token: iss = the cluster's OIDC issuer, sub =
 *   system:serviceaccount:<namespace>:<name>, aud = api://AzureADTokenExchange), matched against
 *   the app's federated identity credentials by issuer, subject and audience (Microsoft Graph
 *   federatedIdentityCredential resource; workload-identity-federation.md). No match: 400
 *   invalid_request "AADSTS70021: No matching federated identity record found for presented
 *   assertion. Assertion Issuer: '…'. Assertion Subject: '…'. Assertion Audience: '…'." (as quoted
 *   in Azure/azure-workload-identity docs/book/src/troubleshooting.md).
 */
import { randomUUID, type KeyObject } from 'node:crypto';

import { SignJWT } from 'jose';

import {
	decodeUnverified,
	json,
	nowSeconds,
	signatureValid,
	startEmulator,
	type Emulator,
	type EmulatorReply,
	type EmulatorRequest,
} from '../emulator';

export interface EntraApp {
	appId: string;
	secrets: string[];
	certificates: Array<{ x5t: string; x5tS256: string; publicKey: KeyObject }>;
	/** "Allow public client flows": the app may not present a secret or an assertion. */
	publicClient?: boolean;
	/** Federated identity credentials: external tokens this app accepts as client assertions. */
	federatedCredentials?: Array<{
		issuer: string;
		subject: string;
		audiences: string[];
		/** The external issuer's signing key (Entra reads it from the issuer's JWKS). */
		publicKey: KeyObject;
	}>;
}

export interface EntraConfig {
	tenantId: string;
	/** Verified domains of the tenant, usable in place of its id in the URL. */
	domains: string[];
	apps: EntraApp[];
	/** Signs the emulator's own access tokens (they are JWTs, as Entra's are). */
	signingKey: KeyObject;
	/** Other tenants where the (multi-tenant) apps have a service principal. */
	otherTenants?: Array<{ tenantId: string; domains: string[] }>;
}

export interface EntraEmulator extends Emulator {
	config: EntraConfig;
}

function aadError(
	emulator: Emulator,
	status: number,
	error: string,
	code: number,
	text: string,
): EmulatorReply {
	const traceId = randomUUID();
	const correlationId = randomUUID();
	const timestamp = new Date(emulator.now())
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, 'Z');
	return json(status, {
		error,
		error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
		error_codes: [code],
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		error_uri: `https://login.microsoftonline.com/error?code=${code}`,
	});
}

export async function startEntra(config: EntraConfig): Promise<EntraEmulator> {
	const tenantOf = (segment: string) =>
		[{ tenantId: config.tenantId, domains: config.domains }, ...(config.otherTenants ?? [])].find(
			(tenant) => segment === tenant.tenantId || tenant.domains.includes(segment.toLowerCase()),
		)?.tenantId;

	/** A token from an external issuer (workload identity federation), or undefined when it matches. */
	const federatedAssertion = async (
		token: string,
		payload: Record<string, unknown>,
		emulator: Emulator,
		app: EntraApp,
	): Promise<EmulatorReply | undefined> => {
		const audiences = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).map(String);
		const match = (app.federatedCredentials ?? []).find(
			(fic) =>
				fic.issuer === payload.iss &&
				fic.subject === payload.sub &&
				fic.audiences.some((aud) => audiences.includes(aud)),
		);
		if (!match)
			return aadError(
				emulator,
				400,
				'invalid_request',
				70021,
				`No matching federated identity record found for presented assertion. Assertion Issuer: '${String(payload.iss)}'. Assertion Subject: '${String(payload.sub)}'. Assertion Audience: '${audiences.join(',')}'.`,
			);
		if (!(await signatureValid(token, match.publicKey, ['RS256', 'ES256'])))
			return aadError(
				emulator,
				400,
				'invalid_request',
				50027,
				'JWT token is invalid or malformed.',
			);
		if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds(emulator))
			return aadError(
				emulator,
				400,
				'invalid_client',
				700024,
				'Client assertion is not within its valid time range.',
			);
		return undefined;
	};

	const clientAssertion = async (
		request: EmulatorRequest,
		emulator: Emulator,
		app: EntraApp,
		tenantSegment: string,
	): Promise<EmulatorReply | undefined> => {
		const token = request.form.get('client_assertion') ?? '';
		const decoded = decodeUnverified(token);
		if (
			request.form.get('client_assertion_type') !==
				'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
			!decoded
		) {
			return aadError(
				emulator,
				400,
				'invalid_request',
				50027,
				'JWT token is invalid or malformed.',
			);
		}
		const { header, payload } = decoded;
		// No certificate thumbprint and an external issuer: a federated token, not a certificate assertion.
		if (
			header.x5t === undefined &&
			header['x5t#S256'] === undefined &&
			payload.iss !== app.appId &&
			app.federatedCredentials
		)
			return await federatedAssertion(token, payload, emulator, app);
		const thumbprint =
			typeof header['x5t#S256'] === 'string'
				? header['x5t#S256']
				: typeof header.x5t === 'string'
					? header.x5t
					: undefined;
		const certificate = app.certificates.find(
			(cert) => cert.x5tS256 === thumbprint || cert.x5t === thumbprint,
		);
		if (!certificate) {
			return aadError(
				emulator,
				401,
				'invalid_client',
				700027,
				`The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? ''}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'.]`,
			);
		}
		if (!(await signatureValid(token, certificate.publicKey, ['RS256', 'PS256']))) {
			return aadError(
				emulator,
				401,
				'invalid_client',
				700027,
				`Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']`,
			);
		}
		if (payload.iss !== app.appId || payload.sub !== app.appId)
			return aadError(
				emulator,
				400,
				'invalid_request',
				50027,
				'JWT token is invalid or malformed.',
			);
		// The audience is the token endpoint the client called (tenant id or domain form).
		const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
		if (
			!audiences.includes(`https://login.microsoftonline.com/${tenantSegment}/oauth2/v2.0/token`)
		) {
			return aadError(
				emulator,
				401,
				'invalid_client',
				50012,
				'Client assertion audience claim does not match Realm issuer.',
			);
		}
		const now = nowSeconds(emulator);
		const nbf =
			typeof payload.nbf === 'number'
				? payload.nbf
				: typeof payload.iat === 'number'
					? payload.iat
					: 0;
		if (typeof payload.exp !== 'number' || payload.exp <= now || nbf > now + 300) {
			const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
			return aadError(
				emulator,
				400,
				'invalid_client',
				700024,
				`Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(Number(payload.exp ?? 0))}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials`,
			);
		}
		return undefined;
	};

	const emulator = (await startEmulator('entra', async (request, self) => {
		const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(request.path);
		if (!match) return { status: 404, body: '', headers: { 'content-type': 'text/html' } };
		if (request.method !== 'POST')
			return aadError(
				self,
				400,
				'invalid_request',
				900561,
				'The endpoint only accepts POST requests.',
			);
		const tenantSegment = match[1];
		const tenant = tenantOf(tenantSegment);
		if (!tenant)
			return aadError(
				self,
				400,
				'invalid_request',
				90002,
				`Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
			);
		const clientId = request.basic?.id ?? request.form.get('client_id') ?? '';
		const app = config.apps.find((candidate) => candidate.appId === clientId);
		if (!app)
			return aadError(
				self,
				400,
				'unauthorized_client',
				700016,
				`Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
			);
		if (request.form.get('grant_type') !== 'client_credentials')
			return aadError(
				self,
				400,
				'unsupported_grant_type',
				70003,
				'The app requested an unsupported grant type.',
			);
		const scope = request.form.get('scope') ?? '';
		if (!scope)
			return aadError(
				self,
				400,
				'invalid_request',
				900144,
				"The request body must contain the following parameter: 'scope'.",
			);
		if (/\s/.test(scope.trim()))
			return aadError(
				self,
				400,
				'invalid_scope',
				70011,
				`The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
			);
		if (!/^\S+\/\.default$/.test(scope)) {
			return aadError(
				self,
				400,
				'invalid_scope',
				1002012,
				`The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
			);
		}
		const secret = request.basic?.secret ?? request.form.get('client_secret');
		if (app.publicClient && (secret || request.form.has('client_assertion'))) {
			return aadError(
				self,
				401,
				'invalid_client',
				700025,
				"Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
			);
		}
		if (secret !== null && secret !== undefined) {
			if (!app.secrets.includes(secret)) {
				return aadError(
					self,
					401,
					'invalid_client',
					7000215,
					`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
				);
			}
		} else if (request.form.has('client_assertion')) {
			const refused = await clientAssertion(request, self, app, tenantSegment);
			if (refused) return refused;
		} else {
			return aadError(
				self,
				401,
				'invalid_client',
				7000218,
				"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
			);
		}
		const iat = nowSeconds(self);
		const accessToken = await new SignJWT({
			aud: scope.replace(/\/\.default$/, ''),
			iss: `https://sts.windows.net/${tenant}/`,
			appid: app.appId,
			tid: tenant,
			roles: [],
		})
			.setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
			.setIssuedAt(iat)
			.setNotBefore(iat)
			.setExpirationTime(iat + 3599)
			.sign(config.signingKey);
		return json(200, {
			token_type: 'Bearer',
			expires_in: 3599,
			ext_expires_in: 3599,
			access_token: accessToken,
		});
	})) as EntraEmulator;
	emulator.config = config;
	return emulator;
}
