/**
 * The Microsoft Entra ID preset against a local Entra v2.0 token endpoint (./emulators/entra.ts).
 *
 * Documentation followed (details in the emulator): MicrosoftDocs/entra-docs
 * v2-oauth2-client-creds-grant-flow.md (scope <resource>/.default, secret in body or Basic,
 * response with expires_in and ext_expires_in, no refresh token, AADSTS error bodies with
 * error_codes, trace_id, correlation_id) and certificate-credentials.md (PS256 + x5t#S256 or
 * RS256 + x5t, aud = token endpoint); the AADSTS texts quoted in the emulator; no RFC 7009
 * revocation endpoint.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeJwt, SignJWT } from 'jose';
import { NodeApiError, type ICredentialDataDecryptedObject, type IDataObject } from 'n8n-workflow';

import {
	attemptAsync,
	clientConfigFromCredential,
	getToken,
	OAuthConfigError,
	OAuthResponseError,
	revokeToken,
	sharedTokenCache,
	type ClientConfig,
} from '../../protocol';
import { ProviderRouter, runNodeRouted } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { loadTestServer, type PrivateKeyJwtClient } from '../server/fixtures';
import { startEntra, type EntraEmulator } from './emulators/entra';
import {
	expectNodeError,
	expectRejection,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	runtimeValue,
} from './helpers';

// n8n reads its file access rules once (on the first request): set them before any.
const tokenFolder = mkdtempSync(join(tmpdir(), 'azure-tokens-'));
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-user-'));
process.env.N8N_RESTRICT_FILE_ACCESS_TO = tokenFolder;

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const appId = '11111111-2222-4333-8444-555555555555';
const appSecret = runtimeValue('entra-secret');
const { RS256: registered, PS256: unregistered } = loadTestServer().fixtures.clients
	.privateKeyJwt as Record<'RS256' | 'PS256', Required<PrivateKeyJwtClient>>;

let entra: EntraEmulator;
let router: ProviderRouter;

beforeAll(async () => {
	entra = await startEntra({
		tenantId: TENANT,
		domains: ['contoso.onmicrosoft.com'],
		apps: [
			{
				appId,
				secrets: [appSecret],
				certificates: [
					{
						x5t: registered.x5t,
						x5tS256: registered.x5tS256,
						publicKey: createPublicKey(registered.certificatePem),
					},
				],
			},
		],
		signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
	});
	router = new ProviderRouter({ 'https://login.microsoftonline.com': entra.baseUrl });
});
afterAll(async () => await entra.close());
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	entra.log.length = 0;
	entra.resetClock();
	entra.config.apps[0].publicClient = false;
});

function secretCredential(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		provider: 'entra',
		entraTenant: TENANT,
		clientId: appId,
		clientSecret: appSecret,
		clientAuthentication: 'client_secret_post',
		grantType: 'clientCredentials',
		scope: 'https://graph.microsoft.com/.default',
		...extra,
	};
}

function certificateCredential(
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		provider: 'entra',
		entraTenant: TENANT,
		clientId: appId,
		privateKey: registered.pkcs8Pem,
		publicCertificate: registered.certificatePem,
		thumbprintHeader: 'x5t#S256',
		algorithm: 'PS256',
		grantType: 'clientCredentials',
		scope: 'https://graph.microsoft.com/.default',
		...extra,
	};
}

function vendorFields(error: NodeApiError | { errorResponse?: unknown }): Record<string, unknown> {
	return ((error as { errorResponse?: Record<string, unknown> }).errorResponse ?? {}) as Record<
		string,
		unknown
	>;
}

describe('Entra client credentials', () => {
	it.each(['client_secret_post', 'client_secret_basic'])(
		'%s: v2.0 token endpoint of the tenant; expires_in and ext_expires_in; no refresh token',
		async (method) => {
			const out = await nodeGetToken(
				router,
				'clientSecret',
				secretCredential({ clientAuthentication: method }),
			);
			expect(router.calls.map((call) => `${call.origin}${call.path}`)).toEqual([
				`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
			]);
			expect(entra.log[0]).toMatchObject({
				grantType: 'client_credentials',
				auth: method === 'client_secret_basic' ? 'basic' : 'body',
				status: 200,
			});
			expect(out).toMatchObject({
				token_type: 'Bearer',
				expires_in: 3599,
				ext_expires_in: 3599,
				expires_at_source: 'expires_in',
			});
			expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(3599 * 1000);
			expect(out.refresh_token).toBeUndefined();
			expectNoSecrets(out, [appSecret]);
		},
	);

	it("certificate, PS256 + x5t#S256 (current docs): aud = the tenant's token endpoint, iss = sub = app id", async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', certificateCredential());
		expect(out.token_type).toBe('Bearer');
		const seen = entra.log[0];
		expect(seen).toMatchObject({ auth: 'client_assertion', status: 200 });
		expect(seen.assertion?.header).toMatchObject({ alg: 'PS256', 'x5t#S256': registered.x5tS256 });
		expect(seen.assertion?.payload).toMatchObject({
			iss: appId,
			sub: appId,
			aud: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
		});
		expect(
			(seen.assertion?.payload.exp as number) - (seen.assertion?.payload.iat as number),
		).toBeLessThanOrEqual(600);
	});

	it('certificate, RS256 + x5t (older docs, MSAL): accepted too', async () => {
		await nodeGetToken(
			router,
			'privateKeyJwt',
			certificateCredential({ thumbprintHeader: 'x5t', algorithm: 'RS256' }),
		);
		expect(entra.log[0].assertion?.header).toMatchObject({ alg: 'RS256', x5t: registered.x5t });
		expect(entra.log[0].status).toBe(200);
	});

	it('a verified domain as tenant: the URL and the audience use it', async () => {
		await nodeGetToken(
			router,
			'privateKeyJwt',
			certificateCredential({ entraTenant: 'contoso.onmicrosoft.com' }),
		);
		expect(router.paths()).toEqual(['/contoso.onmicrosoft.com/oauth2/v2.0/token']);
		expect(entra.log[0].assertion?.payload.aud).toBe(
			'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
		);
	});

	it('a scope without /.default, or none, is refused before any request', async () => {
		const wrong = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', secretCredential({ scope: 'User.Read' })),
		);
		expect(wrong.message).toMatch(/^Scope: .*\/\.default/);
		const none = await expectNodeError(
			async () => await nodeGetToken(router, 'clientSecret', secretCredential({ scope: '' })),
		);
		expect(none.message).toMatch(/^Scope: /);
		expect(none.description).toMatch(/https:\/\/graph\.microsoft\.com\/\.default/);
		expect(router.calls).toEqual([]);
	});
});

describe('Entra errors: AADSTS codes with their hints', () => {
	it('AADSTS7000215 (invalid secret): the hint says to paste the secret Value, not its ID; trace and correlation ids are kept', async () => {
		const wrong = runtimeValue('secret-id');
		const error = (await expectNodeError(
			async () =>
				await nodeGetToken(router, 'clientSecret', secretCredential({ clientSecret: wrong })),
		)) as NodeApiError;
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/invalid_client \(AADSTS7000215: Invalid client secret provided/);
		expect(error.description).toMatch(/Value \(not its Secret ID\)/);
		expect(vendorFields(error)).toMatchObject({ error_codes: [7000215] });
		expect(typeof vendorFields(error).trace_id).toBe('string');
		expect(typeof vendorFields(error).correlation_id).toBe('string');
		expectNoSecrets(error, [wrong, appSecret]);
	});

	it('AADSTS700027 (certificate not registered): the hint says to upload the certificate and send its thumbprint', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					certificateCredential({
						privateKey: unregistered.pkcs8Pem,
						publicCertificate: unregistered.certificatePem,
					}),
				),
		);
		expect(error.message).toMatch(
			/AADSTS700027: The certificate with identifier used to sign the client assertion is not registered/,
		);
		expect(error.description).toMatch(/Upload the certificate/);
		expect(error.description).toMatch(/x5t#S256 with PS256/);
	});

	it('without a thumbprint header Entra cannot find the certificate: refused before any request', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					certificateCredential({ thumbprintHeader: 'none' }),
				),
		);
		expect(error.message).toMatch(/^Certificate Thumbprint Header: /);
		expect(router.calls).toEqual([]);
	});

	it('AADSTS700024 (assertion not within its valid time range): the hint names the host clock', async () => {
		entra.advance(60 * 60 * 1000);
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', certificateCredential()),
		);
		expect(error.message).toMatch(
			/AADSTS700024: Client assertion is not within its valid time range/,
		);
		expect(error.description).toMatch(/clock \(NTP\)/);
	});

	it('AADSTS700016 (unknown application) and AADSTS90002 (unknown tenant): the hints name the field to check', async () => {
		const app = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					secretCredential({ clientId: '99999999-2222-4333-8444-555555555555' }),
				),
		);
		expect(app.message).toMatch(/AADSTS700016/);
		expect(app.description).toMatch(/"Client ID"/);
		const tenant = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					secretCredential({ entraTenant: 'fabrikam.onmicrosoft.com' }),
				),
		);
		expect(tenant.message).toMatch(/AADSTS90002/);
		expect(tenant.description).toMatch(/"Tenant"/);
	});

	it('AADSTS700025 (the app registration is a public client): the hint says to turn off public client flows', async () => {
		entra.config.apps[0].publicClient = true;
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'clientSecret', secretCredential()),
		);
		expect(error.message).toMatch(/AADSTS700025/);
		expect(error.description).toMatch(/Allow public client flows/);
		expect(error.description).not.toMatch(/clock/);
	});

	it("AADSTS50012 (assertion audience) and AADSTS1002012 (scope without /.default), with the preset's checks bypassed: each gets its hint", async () => {
		const config = clientConfigFromCredential('privateKeyJwt', certificateCredential());
		const auth = config.auth as Extract<ClientConfig['auth'], { method: 'private_key_jwt' }>;
		const wrongAudience: ClientConfig = {
			...config,
			auth: {
				...auth,
				assertion: {
					...auth.assertion,
					audienceMode: 'custom',
					customAudience: 'https://login.microsoftonline.com/',
				},
			},
		};
		const audience = (await attemptAsync(
			async () => await getToken(wrongAudience, router.send),
		)) as { ok: false; error: OAuthResponseError };
		expect(audience.error.errorDescription).toMatch(
			/^AADSTS50012: Client assertion audience claim does not match/,
		);
		expect(audience.error.hint).toMatch(/"Tenant"/);
		const scope = (await attemptAsync(
			async () => await getToken({ ...config, scope: 'User.Read' }, router.send),
		)) as { ok: false; error: OAuthResponseError };
		expect(scope.error.errorDescription).toMatch(/^AADSTS1002012/);
		expect(scope.error.hint).toMatch(/\/\.default/);
	});

	it('AADSTS70011 (two resources in one request): the hint says one resource per request', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'clientSecret',
					secretCredential({
						scope: 'https://graph.microsoft.com/.default https://management.azure.com/.default',
					}),
				),
		);
		expect(error.message).toMatch(/AADSTS70011/);
		expect(error.description).toMatch(/one resource per request/);
	});
});

describe('Entra revoke', () => {
	it('there is no revocation endpoint: a clear configuration error, before any request', async () => {
		const config = clientConfigFromCredential('clientSecret', secretCredential());
		const error = await expectRejection(
			async () => await revokeToken(config, runtimeValue('some-access-token'), router.send),
		);
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect(error.message).toMatch(/Microsoft Entra ID has no OAuth token revocation endpoint/);
		expect(error.message).toMatch(/revokeSignInSessions/);
		expect(router.calls).toEqual([]);
		expect(entra.log).toEqual([]);
	});
});

describe('Entra Check Expiry', () => {
	it('a Get Token output is Valid, with ext_expires_in reported as the extended expiry', async () => {
		const out = await nodeGetToken(router, 'clientSecret', secretCredential());
		const { output, expiry } = await nodeCheckExpiry(router, 'none', undefined, out);
		expect(output).toBe('valid');
		expect(expiry.access_token).toMatchObject({ source: 'expires_in', expired: false });
		expect(
			ms((expiry.access_token as Record<string, unknown>).extended_expires_at) -
				ms(out.obtained_at),
		).toBe(3599 * 1000);
		expect(expiry.refresh_token).toBeUndefined();
	});

	it('the raw response stored without obtained_at: the access token is a JWT, its exp is read unverified and labelled so', async () => {
		const out = await nodeGetToken(router, 'clientSecret', secretCredential());
		const { output, expiry } = await nodeCheckExpiry(router, 'none', undefined, {
			token_type: out.token_type,
			expires_in: out.expires_in,
			ext_expires_in: out.ext_expires_in,
			access_token: out.access_token,
		});
		expect(output).toBe('valid');
		expect(expiry.access_token).toMatchObject({ source: 'jwt_exp_unverified', expired: false });
	});
});

describe('Entra per-item Tenant (multi-tenant apps, partner access)', () => {
	const FABRIKAM = '0b0a0c0d-1111-4222-8333-444455556666';

	beforeAll(() => {
		entra.config.otherTenants = [{ tenantId: FABRIKAM, domains: ['fabrikam.onmicrosoft.com'] }];
	});
	afterAll(() => {
		entra.config.otherTenants = undefined;
	});

	async function getTokens(tenants: string[], credential = certificateCredential()) {
		const { output } = await runNodeRouted(
			{
				parameters: { authentication: 'privateKeyJwt', operation: 'getToken', options: {} },
				itemParameters: tenants.map((tenant) => ({ options: { tenant } })),
				items: tenants.map((tenant) => ({ json: { tenant } })),
				credentials: { oauthPrivateKeyJwtApi: credential },
			},
			router,
		);
		return output[0].map((item) => item.json);
	}

	it("each item's tenant replaces the credential's: its token endpoint, its assertion audience and the token's tid follow; one request per tenant", async () => {
		const out = await getTokens([
			'',
			'fabrikam.onmicrosoft.com',
			FABRIKAM,
			TENANT,
			'fabrikam.onmicrosoft.com',
		]);
		expect(router.paths()).toEqual([
			`/${TENANT}/oauth2/v2.0/token`,
			'/fabrikam.onmicrosoft.com/oauth2/v2.0/token',
			`/${FABRIKAM}/oauth2/v2.0/token`,
		]);
		expect(entra.log.map((entry) => [entry.assertion?.payload.aud, entry.status])).toEqual([
			[`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, 200],
			['https://login.microsoftonline.com/fabrikam.onmicrosoft.com/oauth2/v2.0/token', 200],
			[`https://login.microsoftonline.com/${FABRIKAM}/oauth2/v2.0/token`, 200],
		]);
		const tid = (json: IDataObject) => decodeJwt(String(json.access_token)).tid;
		expect(out.map(tid)).toEqual([TENANT, FABRIKAM, FABRIKAM, TENANT, FABRIKAM]);
		expect(out.map((json) => json.reused_cached_token)).toEqual([false, false, false, true, true]);
	});

	it("a tenant that is not an ID or domain is refused by the preset's own check, before any request", async () => {
		const error = await expectNodeError(async () => await getTokens(['contoso/../evil']));
		expect(error.message).toMatch(/^Tenant: "contoso\/\.\.\/evil" is not a tenant ID or domain/);
		expect(router.calls).toEqual([]);
	});
});

describe('Entra workload identity federation (client assertion from elsewhere, no key in n8n)', () => {
	// What AKS's OIDC issuer signs for the pod's service account.
	const clusterIssuer = 'https://oidc.prod-aks.azure.com/00000000-aaaa-4bbb-8ccc-dddddddddddd/';
	const serviceAccount = 'system:serviceaccount:automation:n8n';
	const clusterKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const tokenFile = join(tokenFolder, 'azure-identity-token');

	beforeAll(() => {
		entra.config.apps[0].federatedCredentials = [
			{
				issuer: clusterIssuer,
				subject: serviceAccount,
				audiences: ['api://AzureADTokenExchange'],
				publicKey: clusterKey.publicKey,
			},
		];
	});
	afterAll(() => {
		entra.config.apps[0].federatedCredentials = undefined;
	});

	async function projectedToken(subject = serviceAccount): Promise<string> {
		const now = Math.floor(Date.now() / 1000);
		return await new SignJWT({ kubernetes: { namespace: 'automation' } })
			.setProtectedHeader({ alg: 'RS256', kid: 'cluster-key' })
			.setIssuer(clusterIssuer)
			.setSubject(subject)
			.setAudience('api://AzureADTokenExchange')
			.setIssuedAt(now)
			.setNotBefore(now)
			.setExpirationTime(now + 3600)
			.sign(clusterKey.privateKey);
	}

	const keyless = (extra: ICredentialDataDecryptedObject = {}) => ({
		provider: 'entra',
		entraTenant: TENANT,
		clientId: appId,
		clientAssertionOrigin: 'elsewhere',
		clientAssertionSource: 'file',
		clientAssertionFile: tokenFile,
		grantType: 'clientCredentials',
		scope: 'https://graph.microsoft.com/.default',
		...extra,
	});

	it('the projected service-account token (AZURE_FEDERATED_TOKEN_FILE) is sent as client_assertion; Entra matches it to the federated credential', async () => {
		const token = await projectedToken();
		writeFileSync(tokenFile, token);
		const out = await nodeGetToken(router, 'privateKeyJwt', keyless());
		expect(out).toMatchObject({ token_type: 'Bearer', expires_at_source: 'expires_in' });
		expect(entra.log[0]).toMatchObject({ auth: 'client_assertion', status: 200 });
		expect(entra.log[0].assertion?.payload).toMatchObject({
			iss: clusterIssuer,
			sub: serviceAccount,
			aud: 'api://AzureADTokenExchange',
		});
		expectNoSecrets(out, [token]);
	});

	it('AADSTS70021 (no matching federated credential): the hint says which issuer, subject and audience to register', async () => {
		const token = await projectedToken('system:serviceaccount:default:other');
		writeFileSync(tokenFile, token);
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', keyless()),
		);
		expect(error.message).toMatch(/AADSTS70021: No matching federated identity record found/);
		expect(error.description).toMatch(/Federated credentials/);
		expect(error.description).toMatch(/api:\/\/AzureADTokenExchange/);
		expectNoSecrets(error, [token]);
	});
});
