/**
 * Per-item overrides and old-credential compatibility in the core: a per-item value is checked
 * whatever the credential's form, and credentials saved before resolve to the same request.
 */
import { generateKeyPairSync } from 'node:crypto';

import {
	clientConfigFromCredential,
	clientConfigWithOverrides,
	getToken,
	OAuthConfigError,
	TokenCache,
	type ClientConfig,
	type CredentialData,
	type TokenResult,
} from '../../../protocol';
import { scriptedSend, TOKEN_ISSUED } from '../../helpers/scriptedSend';

async function sentForm(config: ClientConfig): Promise<URLSearchParams> {
	const { send, requests } = scriptedSend(TOKEN_ISSUED);
	await getToken(config, send, { cache: new TokenCache<TokenResult>({ maxEntries: 10 }) });
	expect(requests).toHaveLength(1);
	return new URLSearchParams(String(requests[0].body));
}

const secretCredential = (extra: CredentialData = {}): CredentialData => ({
	endpointMode: 'manual',
	tokenUrl: 'https://as.example/token',
	clientId: 'client',
	clientSecret: 'a-client-secret-value',
	clientAuthentication: 'client_secret_post',
	grantType: 'clientCredentials',
	scope: 'api:read',
	...extra,
});

function refusal(run: () => unknown): OAuthConfigError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(OAuthConfigError);
		return error as OAuthConfigError;
	}
	throw new Error('expected a configuration error');
}

describe('per-item Resource is an RFC 8707 absolute URI whatever the credential form', () => {
	it.each([
		['not an absolute URI', 'orders-api'],
		['a fragment', 'https://api.example/#frag'],
	])(
		'a per-item Resource with %s is refused on a credential saved before formVersion 2',
		(_what, value) => {
			const error = refusal(() =>
				clientConfigWithOverrides('clientSecret', secretCredential(), { resource: value }),
			);
			expect(error.field).toBe('Resource');
		},
	);
});

describe('per-item Tenant names a tenant, not a path', () => {
	// ".." would take the tenant segment out of the token URL.
	it.each(['..', '.'])('the Entra tenant %p is refused before any request', (tenant) => {
		const entra = secretCredential({
			provider: 'entra',
			entraTenant: 'contoso.onmicrosoft.com',
			scope: 'https://graph.microsoft.com/.default',
		});
		const error = refusal(() => clientConfigWithOverrides('clientSecret', entra, { tenant }));
		expect(error.field).toBe('Tenant');
	});
});

describe('old credentials resolve to the same request as before several resources and client-assertion claims', () => {
	// Before, the credential's Resource was sent trimmed as one "resource" parameter, whatever it held.
	it('a formVersion 2 credential saved before this change keeps sending its single Resource', async () => {
		const form = await sentForm(
			clientConfigFromCredential(
				'clientSecret',
				secretCredential({ formVersion: 2, resource: 'orders-api' }),
			),
		);
		expect(form.getAll('resource')).toEqual(['orders-api']);
	});

	it('a form 1 credential whose Resource holds a space still sends it as one parameter', async () => {
		const form = await sentForm(
			clientConfigFromCredential('clientSecret', secretCredential({ resource: 'urn:a urn:b' })),
		);
		expect(form.getAll('resource')).toEqual(['urn:a urn:b']);
	});

	// Form 1 read scopeInClaim / extraClaims only for the JWT bearer grant; a value kept from an
	// earlier grant choice (or set through the API) changed nothing for client credentials.
	it('a form 1 private key credential with a leftover "Send Scope as Claim" still sends scope in the form', async () => {
		const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const config = clientConfigFromCredential('privateKeyJwt', {
			endpointMode: 'manual',
			tokenUrl: 'https://as.example/token',
			clientId: 'client',
			privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
			grantType: 'clientCredentials',
			scope: 'api:read',
			scopeInClaim: true,
			extraClaims: '{"role":"admin"}',
		});
		const form = await sentForm(config);
		expect(form.get('scope')).toBe('api:read');
		const claims = JSON.parse(
			Buffer.from(String(form.get('client_assertion')).split('.')[1], 'base64url').toString(),
		) as Record<string, unknown>;
		expect(claims).not.toHaveProperty('scope');
		expect(claims).not.toHaveProperty('role');
	});
});
