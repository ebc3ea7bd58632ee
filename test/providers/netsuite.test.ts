/**
 * The NetSuite preset against a local NetSuite token endpoint (./emulators/netsuite.ts).
 *
 * Documentation followed (details in the emulator): NetSuite help "OAuth 2.0 Client Credentials
 * (M2M) Setup" (section_162686838198), "POST Request to the Token Endpoint and the Access Token
 * Response" (section_162755359851), "The Request Token Structure" (section_162790605110): the
 * client credentials grant with a client assertion; header alg PS256/384/512 or ES256/384/512
 * (RS256 refused since 1 March 2025) and kid = the Certificate ID; payload iss = client ID, scope,
 * aud = the token endpoint, exp under 60 minutes after iat; a 60-minute access token.
 */
import { generateKeyPairSync } from 'node:crypto';

import { type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { clientConfigFromCredential, sharedTokenCache } from '../../protocol';
import { ProviderRouter } from '../helpers/routingFetch';
import { expectNoSecrets } from '../helpers/secrets';
import { startNetSuite, type NetSuiteEmulator } from './emulators/netsuite';
import {
	expectNodeError,
	ms,
	nodeCheckExpiry,
	nodeGetToken,
	rsaKey,
	runtimeValue,
} from './helpers';

const ORIGIN = 'https://1234567-sb1.suitetalk.api.netsuite.com';
const TOKEN_URL = `${ORIGIN}/services/rest/auth/oauth2/v1/token`;
const rsa = rsaKey(3072);
const small = rsaKey(2048);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const clientId = runtimeValue('netsuite-client');

let netsuite: NetSuiteEmulator;
let router: ProviderRouter;

beforeAll(async () => {
	netsuite = await startNetSuite({
		accountHost: '1234567-sb1',
		clientId,
		allowedScopes: ['rest_webservices', 'restlets'],
		mappings: {
			'cert-rsa': { publicKey: rsa.publicKey },
			'cert-ec': { publicKey: ec.publicKey },
			'cert-small': { publicKey: small.publicKey },
			'cert-revoked': { publicKey: rsa.publicKey, revoked: true },
		},
	});
	router = new ProviderRouter({ [ORIGIN]: netsuite.baseUrl });
});
afterAll(async () => await netsuite.close());
beforeEach(() => {
	sharedTokenCache.clear();
	router.reset();
	netsuite.log.length = 0;
	netsuite.auditTrail.length = 0;
	netsuite.resetClock();
});

function credential(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		formVersion: 2,
		provider: 'netsuite',
		netsuiteAccountId: '1234567_SB1',
		clientId,
		privateKey: rsa.privatePem,
		keyId: 'cert-rsa',
		scope: 'rest_webservices',
		...extra,
	};
}

describe('NetSuite client credentials (M2M)', () => {
	it('an RSA key signs PS256 with kid = Certificate ID; scope is a claim (a list), not a form parameter; aud = the token URL', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', credential());
		expect(out).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
		expect(router.calls.map((call) => call.url)).toEqual([TOKEN_URL]);
		const [seen] = netsuite.log;
		expect(seen).toMatchObject({
			status: 200,
			grantType: 'client_credentials',
			auth: 'client_assertion',
		});
		expect(seen.formKeys.sort()).toEqual([
			'client_assertion',
			'client_assertion_type',
			'client_id',
			'grant_type',
		]);
		expect(seen.assertion?.header).toMatchObject({ alg: 'PS256', typ: 'JWT', kid: 'cert-rsa' });
		const claims = seen.assertion?.payload ?? {};
		expect(claims).toMatchObject({ iss: clientId, aud: TOKEN_URL, scope: ['rest_webservices'] });
		expect((claims.exp as number) - (claims.iat as number)).toBeLessThan(3600);
		expectNoSecrets(out, [rsa.privatePem.split('\n')[1]]);
	});

	it('several scopes (spaces or commas) become the list; an EC P-256 key signs ES256', async () => {
		await nodeGetToken(
			router,
			'privateKeyJwt',
			credential({ privateKey: ecPem, keyId: 'cert-ec', scope: 'rest_webservices, restlets' }),
		);
		expect(netsuite.log[0]).toMatchObject({ status: 200 });
		expect(netsuite.log[0].assertion?.header.alg).toBe('ES256');
		expect(netsuite.log[0].assertion?.payload.scope).toEqual(['rest_webservices', 'restlets']);
	});

	it('expires_in is 3600; without it the 60-minute lifespan applies', async () => {
		const out = await nodeGetToken(router, 'privateKeyJwt', credential());
		expect(ms(out.expires_at) - ms(out.obtained_at)).toBe(3600 * 1000);
		const config = clientConfigFromCredential('privateKeyJwt', credential());
		expect(config.lifespans.accessTokenSeconds).toBe(3600);
		const { expiry } = await nodeCheckExpiry(router, 'privateKeyJwt', credential(), {
			access_token: out.access_token,
			obtained_at: out.obtained_at,
		});
		expect(expiry.access_token).toMatchObject({ source: 'default_lifespan' });
	});

	it('the account ID names the endpoints: lower case, _ → -', () => {
		const config = clientConfigFromCredential(
			'privateKeyJwt',
			credential({ netsuiteAccountId: ' TSTDRV_SB2 ' }),
		);
		expect(config.endpoints).toMatchObject({
			tokenUrl: 'https://tstdrv-sb2.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
			revocationUrl:
				'https://tstdrv-sb2.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/revoke',
		});
	});
});

describe('NetSuite rules, enforced before any request', () => {
	it.each([
		[
			'RS256 (refused since 1 March 2025)',
			{ algorithm: 'RS256' },
			/^Algorithm: NetSuite refuses RS256 .*since 1 March 2025/,
		],
		[
			'EdDSA',
			{
				algorithm: 'EdDSA',
				privateKey: generateKeyPairSync('ed25519')
					.privateKey.export({ type: 'pkcs8', format: 'pem' })
					.toString(),
			},
			/^Algorithm: NetSuite does not take EdDSA/,
		],
		[
			'a 2048-bit RSA key',
			{ privateKey: small.privatePem, keyId: 'cert-small' },
			/^Private Key: The RSA key has 2048 bits; NetSuite takes RSA keys of 3072 or 4096 bits/,
		],
		[
			'no Certificate ID',
			{ keyId: '' },
			/^Certificate ID: "Certificate ID" is empty: NetSuite finds the certificate by the "kid" header/,
		],
		['no scope', { scope: '' }, /^Scope: "Scope" is empty/],
		[
			'an unknown scope',
			{ scope: 'rest_webservices full_access' },
			/^Scope: NetSuite has no scope "full_access"/,
		],
		[
			'an assertion lifetime of an hour (exp would be 60 minutes or more after iat)',
			{ assertionLifetime: 3600 },
			/^Assertion Lifetime: NetSuite accepts assertions that live at most 3594 seconds/,
		],
		['no account ID', { netsuiteAccountId: '' }, /^Account ID: "Account ID" is empty/],
		[
			'an account ID that would change the host',
			{ netsuiteAccountId: 'evil.example.com/x' },
			/^Account ID: .*is not a NetSuite account ID/,
		],
	])('%s', async (_name, extra, message) => {
		const error = await expectNodeError(
			async () => await nodeGetToken(router, 'privateKeyJwt', credential(extra)),
		);
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(message);
		expect(router.calls).toEqual([]);
		expect(netsuite.log).toEqual([]);
	});

	it('a pasted NetSuite URL gives its account: https://1234567-sb1.app.netsuite.com', () => {
		const config = clientConfigFromCredential(
			'privateKeyJwt',
			credential({ netsuiteAccountId: 'https://1234567-sb1.app.netsuite.com/app/center' }),
		);
		expect(config.endpoints.tokenUrl).toBe(TOKEN_URL);
	});
});

describe('NetSuite answers (the emulator enforces the documented rules) and their hints', () => {
	it('a Key ID that is not a Certificate ID of the account: invalid_request, and the hint names the Certificate ID and the Login Audit Trail', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', credential({ keyId: 'cert-unknown' })),
		);
		expect(netsuite.auditTrail).toEqual(['UnknownCertificateId']);
		expect(netsuite.log[0]).toMatchObject({ status: 400, error: 'invalid_request' });
		expect(error.message).toMatch(/invalid_request/);
		expect(error.description).toMatch(/Certificate ID/);
		expect(error.description).toMatch(/Login Audit Trail/);
	});

	it('a wrong client ID: invalid_client, and the hint names the integration record', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(
					router,
					'privateKeyJwt',
					credential({ clientId: runtimeValue('other') }),
				),
		);
		expect(netsuite.auditTrail).toEqual(['InvalidIntegration']);
		expect(error.description).toMatch(/Client Credentials \(Machine to Machine\) Grant/);
	});

	it('the key does not match the mapped certificate: invalid_client (InvalidSignature)', async () => {
		const other = rsaKey(3072);
		await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', credential({ privateKey: other.privatePem })),
		);
		expect(netsuite.auditTrail).toEqual(['InvalidSignature']);
	});

	it('a revoked mapping: invalid_grant, and the hint says to create a new mapping', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', credential({ keyId: 'cert-revoked' })),
		);
		expect(netsuite.auditTrail).toEqual(['CertificateRevoked']);
		expect(error.description).toMatch(/new mapping/);
	});

	it('a scope the integration record lacks: invalid_scope, and the hint names the record', async () => {
		const error = await expectNodeError(
			async () =>
				await nodeGetToken(router, 'privateKeyJwt', credential({ scope: 'suite_analytics' })),
		);
		expect(netsuite.log[0]).toMatchObject({ status: 400, error: 'invalid_scope' });
		expect(error.description).toMatch(/integration record/);
	});

	it('the emulator itself refuses what the preset prevents: RS256, a scope form parameter instead of the claim, aud = the issuer, a long exp', async () => {
		const generic = {
			provider: 'generic',
			endpointMode: 'manual',
			tokenUrl: TOKEN_URL,
			clientId,
			privateKey: rsa.privatePem,
			keyId: 'cert-rsa',
			grantType: 'clientCredentials',
			scope: 'rest_webservices',
			assertionAudience: 'tokenEndpoint',
			algorithm: 'PS256',
		};
		const cases: Array<[ICredentialDataDecryptedObject, string]> = [
			[{ ...generic, algorithm: 'RS256' }, 'UnsupportedAlgorithm RS256'],
			[generic, 'InvalidScope (empty)'],
			[
				{ ...generic, scopeInClaim: true, assertionAudience: 'custom', customAudience: ORIGIN },
				'InvalidAudience',
			],
			[{ ...generic, scopeInClaim: true, assertionLifetime: 3600 }, 'InvalidTokenLifetime'],
		];
		for (const [data, detail] of cases) {
			netsuite.auditTrail.length = 0;
			sharedTokenCache.clear();
			await expectNodeError(
				async () => await nodeGetToken(router, 'privateKeyJwt', { formVersion: 2, ...data }),
			);
			expect(netsuite.auditTrail).toEqual([detail]);
		}
		// The generic credential can do what the preset does: "Send Scope as Claim" in the client assertion.
		sharedTokenCache.clear();
		netsuite.log.length = 0;
		await nodeGetToken(router, 'privateKeyJwt', {
			formVersion: 2,
			...generic,
			scopeInClaim: true,
			extraClaims: '{"purpose":"sync"}',
		});
		expect(netsuite.log[0]).toMatchObject({ status: 200 });
		expect(netsuite.log[0].formKeys).not.toContain('scope');
		expect(netsuite.log[0].assertion?.payload).toMatchObject({
			scope: 'rest_webservices',
			purpose: 'sync',
		});
		expect(netsuite.log[0].assertion?.header.typ).toBe('JWT');
	});
});
