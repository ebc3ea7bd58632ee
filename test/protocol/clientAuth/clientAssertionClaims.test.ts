/**
 * Claims of the client assertion (private_key_jwt, client_secret_jwt) besides the registered
 * ones: extra claims, and the scope as a claim instead of a form parameter (NetSuite's M2M flow).
 * Without claims (every credential saved before) the assertion and the key material are as before.
 */
import { decodeJwt } from 'jose';

import {
	applyClientAuth,
	clientAuthMaterial,
	clientConfigFromCredential,
	grantParameters,
	importSigningKey,
	scopeInClientAssertion,
	type ClientAuth,
} from '../../../protocol';
import { rsaKey } from '../../providers/helpers';

const key = importSigningKey({ privateKey: rsaKey().privatePem, algorithm: 'PS256' });
const AUDIENCE = { tokenEndpoint: 'https://as.example/token' };
const assertion = { audienceMode: 'tokenEndpoint' as const, lifetimeSeconds: 60 };

async function claimsOf(auth: ClientAuth, scope?: string): Promise<Record<string, unknown>> {
	const parts = { params: new URLSearchParams(), headers: {} };
	await applyClientAuth(auth, AUDIENCE, parts, Date.now(), scope);
	return decodeJwt(parts.params.get('client_assertion') ?? '');
}

describe('client assertion claims', () => {
	const base: ClientAuth = { method: 'private_key_jwt', clientId: 'c1', key, assertion };

	it('without claims: only the registered claims, whatever the scope', async () => {
		const claims = await claimsOf(base, 'a b');
		expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
		expect(scopeInClientAssertion(base)).toBe(false);
	});

	it('scope "list": the scope names as an array (spaces or commas); "string": the scope as typed', async () => {
		expect(
			(await claimsOf({ ...base, claims: { scope: 'list' } }, 'restlets, rest_webservices')).scope,
		).toEqual(['restlets', 'rest_webservices']);
		expect((await claimsOf({ ...base, claims: { scope: 'string' } }, 'a b')).scope).toBe('a b');
		expect(await claimsOf({ ...base, claims: { scope: 'list' } })).not.toHaveProperty('scope');
	});

	it('extra claims are added and can never replace iss, sub, aud, exp, iat or jti', async () => {
		const claims = await claimsOf({
			...base,
			claims: { extra: { tenant: 't1', iss: 'evil', sub: 'evil', aud: 'evil', exp: 1, jti: 'x' } },
		});
		expect(claims).toMatchObject({
			tenant: 't1',
			iss: 'c1',
			sub: 'c1',
			aud: AUDIENCE.tokenEndpoint,
		});
		expect(claims.jti).not.toBe('x');
		expect(claims.exp).not.toBe(1);
	});

	it('client_secret_jwt carries them too', async () => {
		const claims = await claimsOf(
			{
				method: 'client_secret_jwt',
				clientId: 'c1',
				clientSecret: 'k'.repeat(32),
				alg: 'HS256',
				assertion,
				claims: { extra: { purpose: 'sync' }, scope: 'string' },
			},
			'x',
		);
		expect(claims).toMatchObject({ purpose: 'sync', scope: 'x' });
	});

	it('claims are part of the key material only when there are some', () => {
		expect(clientAuthMaterial(base)).toEqual(['private_key_jwt', key.fingerprint, '']);
		expect(clientAuthMaterial({ ...base, claims: {} })).toEqual(clientAuthMaterial(base));
		expect(clientAuthMaterial({ ...base, claims: { scope: 'list' } })).not.toEqual(
			clientAuthMaterial(base),
		);
	});

	it('with the scope in the client assertion, the token request has no scope parameter', async () => {
		const data = {
			formVersion: 2,
			tokenUrl: 'https://as.example/token',
			clientId: 'c1',
			privateKey: rsaKey().privatePem,
			scope: 'a b',
		};
		const endpoints = { tokenEndpoint: 'https://as.example/token' };
		const plain = await grantParameters(
			clientConfigFromCredential('privateKeyJwt', data),
			endpoints,
			Date.now(),
		);
		expect(plain.get('scope')).toBe('a b');
		const inClaim = clientConfigFromCredential('privateKeyJwt', { ...data, scopeInClaim: true });
		expect((await grantParameters(inClaim, endpoints, Date.now())).has('scope')).toBe(false);
		// With the JWT bearer grant the fields keep meaning the grant assertion's claims.
		const bearer = clientConfigFromCredential('privateKeyJwt', {
			...data,
			grantType: 'jwtBearer',
			clientAuthentication: 'private_key_jwt',
			scopeInClaim: true,
			extraClaims: '{"x":1}',
		});
		expect(bearer.auth).not.toHaveProperty('claims');
		expect(bearer.grant).toMatchObject({ scopeInClaim: true, extraClaims: { x: 1 } });
	});
});
