/**
 * The two credential forms as n8n 2.41 draws, saves and resolves them (editorModel.ts): what
 * each preset shows, its defaults and required marks, and that credentials saved by 0.1.0
 * (fixtures/form1.ts) still resolve to the same ClientConfig.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { OAuthClientSecretApi } from '../../credentials/OAuthClientSecretApi.credentials';
import { OAuthPrivateKeyJwtApi } from '../../credentials/OAuthPrivateKeyJwtApi.credentials';
import { clientConfigFromCredential, OAuthConfigError, type CredentialKind } from '../../protocol';
import { rsaKey } from '../providers/helpers';
import {
	drawnFields,
	drawnNames,
	editorForm,
	editorOpen,
	editorSave,
	n8nResolve,
	OAUTH_PINNED_FIELDS,
	type Values,
} from './editorModel';
import { FORM1_CLIENT_SECRET, FORM1_PRIVATE_KEY } from './fixtures/form1';

const secret = new OAuthClientSecretApi();
const key = new OAuthPrivateKeyJwtApi();
const PROPS: Record<CredentialKind, INodeProperties[]> = {
	clientSecret: secret.properties,
	privateKeyJwt: key.properties,
};
const FORM1: Record<CredentialKind, INodeProperties[]> = {
	clientSecret: FORM1_CLIENT_SECRET,
	privateKeyJwt: FORM1_PRIVATE_KEY,
};
const PEM = rsaKey().privatePem;

/** Fill a new form as a user would, save it, and resolve it as n8n does at run time. */
function saveNew(kind: CredentialKind, edits: Values): { stored: Values; resolved: Values } {
	const stored = editorSave(PROPS[kind], editorForm(PROPS[kind], edits));
	return { stored, resolved: n8nResolve(PROPS[kind], stored) };
}

function configOf(kind: CredentialKind, resolved: Values) {
	return clientConfigFromCredential(kind, resolved);
}

function required(fields: INodeProperties[]): string[] {
	return fields.filter((field) => field.required).map((field) => field.name);
}

describe('ServiceNow preset (client secret)', () => {
	const edits = {
		provider: 'servicenow',
		servicenowInstance: 'dev12345',
		clientId: 'id',
		clientSecret: 's3cret',
		username: 'integration',
		password: 'pw',
	};

	it('leads with Provider and Grant Type, defaults to the password grant with the secret in the body', () => {
		const values = editorForm(PROPS.clientSecret, { provider: 'servicenow' });
		const fields = drawnFields(PROPS.clientSecret, values);
		expect(fields.map((field) => field.name)).toEqual([
			'provider',
			'servicenowGrantType',
			'servicenowNotice',
			'servicenowInstance',
			'introspectionUrl',
			'clientId',
			'clientSecret',
			'username',
			'password',
			'scope',
			'showAdvancedSettings',
		]);
		expect(values.servicenowGrantType).toBe('password');
		expect(required(fields)).toEqual([
			'servicenowInstance',
			'clientId',
			'clientSecret',
			'username',
			'password',
		]);
		expect(fields.find((field) => field.name === 'servicenowNotice')?.displayName).toMatch(
			/request body/,
		);
	});

	it('a new credential stores form 2 and runs as client_secret_post + password', () => {
		const { stored, resolved } = saveNew('clientSecret', edits);
		expect(stored.formVersion).toBe(2);
		const config = configOf('clientSecret', resolved);
		expect(config.auth.method).toBe('client_secret_post');
		expect(config.grant).toEqual({ type: 'password', username: 'integration', password: 'pw' });
		expect(config.endpoints.tokenUrl).toBe('https://dev12345.service-now.com/oauth_token.do');
	});

	it('client credentials stays one choice away', () => {
		const { resolved } = saveNew('clientSecret', {
			...edits,
			servicenowGrantType: 'clientCredentials',
		});
		expect(drawnNames(PROPS.clientSecret, resolved)).not.toContain('username');
		const config = configOf('clientSecret', resolved);
		expect(config.grant.type).toBe('client_credentials');
		expect(config.auth.method).toBe('client_secret_post');
	});

	it('a credential saved by 0.1.0 with the old defaults keeps Basic + client credentials', () => {
		// What 0.1.0's editor stored for a ServiceNow credential left at its defaults.
		const stored = editorSave(
			FORM1.clientSecret,
			editorForm(FORM1.clientSecret, {
				provider: 'servicenow',
				servicenowInstance: 'dev1',
				clientId: 'id',
				clientSecret: 's',
			}),
		);
		expect(stored).not.toHaveProperty('clientAuthentication');
		expect(stored).not.toHaveProperty('grantType');
		const config = configOf('clientSecret', n8nResolve(PROPS.clientSecret, stored));
		expect(config.auth.method).toBe('client_secret_basic');
		expect(config.grant.type).toBe('client_credentials');
	});
});

describe('Salesforce preset', () => {
	it('private key: no grant choice (JWT bearer), Subject required, Grant fixed before key ID and thumbprint', () => {
		const values = editorForm(PROPS.privateKeyJwt, { provider: 'salesforce' });
		const fields = drawnFields(PROPS.privateKeyJwt, values);
		expect(fields.map((field) => field.name)).toEqual([
			'provider',
			'salesforceNotice',
			'salesforceEnvironment',
			'salesforceJwtAudience',
			'clientId',
			'privateKey',
			'passphrase',
			'keyId',
			'thumbprintHeader',
			'subject',
			'scope',
			'showAdvancedSettings',
		]);
		expect(required(fields)).toEqual(['clientId', 'privateKey', 'subject']);
		const { resolved } = saveNew('privateKeyJwt', {
			provider: 'salesforce',
			clientId: 'consumer',
			privateKey: PEM,
			subject: 'user@acme.example',
		});
		const config = configOf('privateKeyJwt', resolved);
		expect(config.grant.type).toBe('jwt_bearer');
		expect(config.auth.method).toBe('none');
	});

	it('JWT bearer with an empty Subject is refused before any request, naming Subject', () => {
		const { resolved } = saveNew('privateKeyJwt', {
			provider: 'salesforce',
			clientId: 'consumer',
			privateKey: PEM,
		});
		const error = catchError(() => configOf('privateKeyJwt', resolved));
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect((error as OAuthConfigError).field).toBe('Subject');
		expect(error.message).toMatch(/"Subject" is empty/);
	});

	it.each(['production', 'sandbox'])(
		'client secret + %s + client credentials is refused before any request, with the My Domain hint',
		(environment) => {
			const { resolved } = saveNew('clientSecret', {
				provider: 'salesforce',
				salesforceEnvironment: environment,
				clientId: 'consumer',
				clientSecret: 's',
			});
			const error = catchError(() => configOf('clientSecret', resolved));
			expect(error).toBeInstanceOf(OAuthConfigError);
			expect(error.message).toMatch(/not supported on (login|test)\.salesforce\.com/);
			expect((error as OAuthConfigError).hint).toMatch(/My Domain/);
		},
	);

	it('client secret + My Domain + client credentials passes', () => {
		const { resolved } = saveNew('clientSecret', {
			provider: 'salesforce',
			salesforceEnvironment: 'myDomain',
			salesforceMyDomainUrl: 'acme.my.salesforce.com',
			clientId: 'consumer',
			clientSecret: 's',
		});
		expect(configOf('clientSecret', resolved).endpoints.tokenUrl).toBe(
			'https://acme.my.salesforce.com/services/oauth2/token',
		);
	});

	it('a 0.1.0 private key credential keeps its own grant (explicit JWT bearer still works)', () => {
		const stored = editorSave(
			FORM1.privateKeyJwt,
			editorForm(FORM1.privateKeyJwt, {
				provider: 'salesforce',
				clientId: 'consumer',
				privateKey: PEM,
				grantType: 'jwtBearer',
				subject: 'user@acme.example',
			}),
		);
		const config = configOf('privateKeyJwt', n8nResolve(PROPS.privateKeyJwt, stored));
		expect(config.grant).toMatchObject({ type: 'jwt_bearer', subject: 'user@acme.example' });
		expect(config.auth.method).toBe('none');
	});
});

describe('Salesforce JWT audience (external client apps)', () => {
	const base = {
		provider: 'salesforce',
		clientId: 'consumer',
		privateKey: PEM,
		subject: 'user@acme.example',
	};

	it('a new credential defaults to login/test by environment: the audience stays https://login.salesforce.com', () => {
		const { stored, resolved } = saveNew('privateKeyJwt', base);
		expect(stored).not.toHaveProperty('salesforceJwtAudience');
		expect(resolved.salesforceJwtAudience).toBe('environment');
		const config = configOf('privateKeyJwt', resolved);
		expect(config.grant).toMatchObject({
			assertion: { audienceMode: 'custom', customAudience: 'https://login.salesforce.com' },
		});
	});

	it('"My Domain URL (External Client Apps)" with My Domain: aud and token URL are the My Domain origin', () => {
		const { resolved } = saveNew('privateKeyJwt', {
			...base,
			salesforceEnvironment: 'myDomain',
			salesforceMyDomainUrl: 'acme.my.salesforce.com/',
			salesforceJwtAudience: 'myDomain',
		});
		const config = configOf('privateKeyJwt', resolved);
		expect(config.endpoints.tokenUrl).toBe('https://acme.my.salesforce.com/services/oauth2/token');
		expect(config.grant).toMatchObject({
			assertion: { customAudience: 'https://acme.my.salesforce.com' },
		});
	});

	it('the My Domain audience without Environment = My Domain is refused before any request, naming Salesforce Environment', () => {
		const { resolved } = saveNew('privateKeyJwt', { ...base, salesforceJwtAudience: 'myDomain' });
		const error = catchError(() => configOf('privateKeyJwt', resolved));
		expect(error).toBeInstanceOf(OAuthConfigError);
		expect((error as OAuthConfigError).field).toBe('Salesforce Environment');
		expect((error as OAuthConfigError).hint).toMatch(/Login \/ Test by Environment/);
	});

	it('an old (form 1) credential shows the choice only with the JWT bearer grant', () => {
		const form1 = { ...base, formVersion: 1 };
		expect(drawnNames(PROPS.privateKeyJwt, editorForm(PROPS.privateKeyJwt, form1))).not.toContain(
			'salesforceJwtAudience',
		);
		expect(
			drawnNames(
				PROPS.privateKeyJwt,
				editorForm(PROPS.privateKeyJwt, { ...form1, grantType: 'jwtBearer' }),
			),
		).toContain('salesforceJwtAudience');
	});
});

describe('NetSuite preset (private key)', () => {
	it('Account ID, Key ID and Scope are required; no grant choice; the token URL comes from the account ID', () => {
		const values = editorForm(PROPS.privateKeyJwt, { provider: 'netsuite' });
		const fields = drawnFields(PROPS.privateKeyJwt, values);
		const names = fields.map((field) => field.name);
		expect(names).not.toContain('grantType');
		expect(names).not.toContain('clientAuthentication');
		expect(names).not.toContain('tokenUrl');
		expect(required(fields)).toEqual([
			'netsuiteAccountId',
			'clientId',
			'privateKey',
			'keyId',
			'scope',
		]);
		expect(fields.find((field) => field.name === 'keyId')?.description).toMatch(/Certificate ID/);
		const advanced = drawnNames(PROPS.privateKeyJwt, { ...values, showAdvancedSettings: true });
		expect(advanced).toContain('extraClaims');
		expect(advanced).not.toContain('scopeInClaim');
		expect(advanced).not.toContain('assertionAudience');
	});

	it('a saved NetSuite credential runs as client credentials + private_key_jwt, aud = token URL, scope as a list claim', () => {
		const { resolved } = saveNew('privateKeyJwt', {
			provider: 'netsuite',
			netsuiteAccountId: '1234567_SB1',
			clientId: 'client',
			privateKey: rsaKey(3072).privatePem,
			keyId: 'cert-1',
			scope: 'rest_webservices',
		});
		const config = configOf('privateKeyJwt', resolved);
		expect(config.grant.type).toBe('client_credentials');
		expect(config.endpoints.tokenUrl).toBe(
			'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
		);
		expect(config.auth).toMatchObject({
			method: 'private_key_jwt',
			assertion: { audienceMode: 'tokenEndpoint' },
			claims: { scope: 'list' },
			key: { alg: 'PS256', kid: 'cert-1' },
		});
	});
});

describe('Client assertion claims (private key, without the JWT bearer grant)', () => {
	const generic = {
		tokenUrl: 'https://auth.example.com/token',
		clientId: 'id',
		privateKey: PEM,
		scope: 'a b',
	};

	it('form 2: "Send Scope as Claim" and "Extra Claims" are drawn for client credentials and reach the client assertion', () => {
		const open = editorForm(PROPS.privateKeyJwt, { ...generic, showAdvancedSettings: true });
		const names = drawnNames(PROPS.privateKeyJwt, open);
		expect(names).toContain('scopeInClaim');
		expect(names).toContain('extraClaims');
		expect(names).not.toContain('assertionIssuer');
		const { resolved } = saveNew('privateKeyJwt', {
			...generic,
			scopeInClaim: true,
			extraClaims: '{"tenant":"t1"}',
		});
		expect(configOf('privateKeyJwt', resolved).auth).toMatchObject({
			claims: { scope: 'string', extra: { tenant: 't1' } },
		});
	});

	it('left at their defaults, the client assertion has no claims (as before)', () => {
		const { resolved } = saveNew('privateKeyJwt', generic);
		expect(configOf('privateKeyJwt', resolved).auth).not.toHaveProperty('claims');
	});

	it('form 1 (credentials saved before): not drawn, so a stray stored value is dropped as before', () => {
		const resolved = n8nResolve(PROPS.privateKeyJwt, {
			...generic,
			scopeInClaim: true,
			extraClaims: '{"x":1}',
		});
		expect(configOf('privateKeyJwt', resolved).auth).not.toHaveProperty('claims');
	});
});

describe('Form layout', () => {
	it.each<CredentialKind>(['clientSecret', 'privateKeyJwt'])(
		'%s: Provider, then Grant Type, then Client Authentication; Client ID required',
		(kind) => {
			const values = editorForm(PROPS[kind], { grantType: 'jwtBearer' });
			const names = drawnNames(PROPS[kind], values);
			expect(names.slice(0, 3)).toEqual(['provider', 'grantType', 'clientAuthentication']);
			expect(drawnFields(PROPS[kind], values).find((f) => f.name === 'clientId')?.required).toBe(
				true,
			);
		},
	);

	it('private key, generic: Grant Type comes before Key ID and the thumbprint', () => {
		const names = drawnNames(PROPS.privateKeyJwt, editorForm(PROPS.privateKeyJwt));
		expect(names.indexOf('grantType')).toBeLessThan(names.indexOf('keyId'));
		expect(names.indexOf('grantType')).toBeLessThan(names.indexOf('thumbprintHeader'));
	});

	it('far fewer fields at once: expert fields wait behind Show Advanced Settings', () => {
		const generic = editorForm(PROPS.clientSecret);
		const before = drawnNames(FORM1.clientSecret, editorForm(FORM1.clientSecret));
		const now = drawnNames(PROPS.clientSecret, generic);
		expect(now.length).toBeLessThanOrEqual(11);
		expect(before.length - now.length).toBeGreaterThanOrEqual(7);
		for (const expert of [
			'timeout',
			'audience',
			'resource',
			'basicEncoding',
			'accessTokenLifespan',
		])
			expect(now).not.toContain(expert);
		const open = drawnNames(PROPS.clientSecret, { ...generic, showAdvancedSettings: true });
		for (const expert of [
			'timeout',
			'audience',
			'resource',
			'basicEncoding',
			'accessTokenLifespan',
		])
			expect(open).toContain(expert);
	});

	it('the preset hides what it fixes: Google has no "Send Scope as Claim", Salesforce no audience rule', () => {
		const google = drawnNames(
			PROPS.privateKeyJwt,
			editorForm(PROPS.privateKeyJwt, {
				provider: 'google',
				grantType: 'jwtBearer',
				showAdvancedSettings: true,
			}),
		);
		expect(google).not.toContain('scopeInClaim');
		expect(google).toContain('assertionIssuer');
		expect(
			drawnFields(
				PROPS.privateKeyJwt,
				editorForm(PROPS.privateKeyJwt, { provider: 'google' }),
			).find((f) => f.name === 'clientId')?.required,
		).toBe(false);
		const salesforce = drawnNames(
			PROPS.privateKeyJwt,
			editorForm(PROPS.privateKeyJwt, { provider: 'salesforce', showAdvancedSettings: true }),
		);
		expect(salesforce).not.toContain('assertionAudience');
		expect(salesforce).toContain('assertionIssuer');
	});

	it('a value set behind the toggle keeps applying when the toggle is closed again', () => {
		const { stored, resolved } = saveNew('clientSecret', {
			tokenUrl: 'https://auth.example.com/token',
			clientId: 'id',
			clientSecret: 's',
			showAdvancedSettings: false,
			timeout: 5,
			audience: 'https://api.example.com',
		});
		expect(stored).toMatchObject({ timeout: 5, audience: 'https://api.example.com' });
		const config = configOf('clientSecret', resolved);
		expect(config.timeoutMs).toBe(5000);
		expect(config.audience).toBe('https://api.example.com');
	});

	it('no field is `hidden` under a name whose stored value n8n deletes then (grantType)', () => {
		for (const property of [...PROPS.clientSecret, ...PROPS.privateKeyJwt])
			if (OAUTH_PINNED_FIELDS.includes(property.name)) expect(property.type).not.toBe('hidden');
	});

	it('labels are written as shown (no title-cased protocol names)', () => {
		const labels = [...PROPS.clientSecret, ...PROPS.privateKeyJwt].flatMap((field) => [
			field.displayName,
			...(field.options ?? []).map((option) => option.name),
		]);
		for (const label of labels)
			expect(label).not.toMatch(/Client_secret|Private_key|X5t|Login\.s|Test\.s/);
		expect(labels).toEqual(
			expect.arrayContaining([
				'Basic Auth Header (client_secret_basic)',
				'Signed JWT (private_key_jwt)',
				'Production (login.salesforce.com)',
				'x5t (SHA-1, with RS256)',
			]),
		);
	});

	// Any combination of the values that steer the form: a name is drawn at most once.
	it.each<CredentialKind>(['clientSecret', 'privateKeyJwt'])(
		'%s: no field is drawn twice',
		(kind) => {
			const providers = (PROPS[kind].find((f) => f.name === 'provider')?.options ?? []).map(
				(option) => ('value' in option ? option.value : ''),
			);
			for (const provider of providers)
				for (const grantType of ['clientCredentials', 'password', 'jwtBearer', 'tokenExchange'])
					for (const clientAuthentication of [
						'client_secret_basic',
						'client_secret_jwt',
						'private_key_jwt',
						'none',
					])
						for (const servicenowGrantType of ['password', 'clientCredentials'])
							for (const [formVersion, showAdvancedSettings] of [
								[1, false],
								[1, true],
								[2, false],
								[2, true],
							] as const) {
								const values = editorForm(PROPS[kind], {
									formVersion,
									provider,
									grantType,
									clientAuthentication,
									servicenowGrantType,
									showAdvancedSettings,
									assertionAudience: 'custom',
									thumbprintHeader: 'x5t',
									subjectTokenType: 'custom',
									actorTokenType: 'custom',
									requestedTokenType: 'custom',
								});
								const names = drawnNames(PROPS[kind], values);
								expect({ provider, names }).toEqual({ provider, names: [...new Set(names)] });
							}
		},
	);
});

describe('Credentials saved by 0.1.0 resolve to the same ClientConfig', () => {
	const generic = { tokenUrl: 'https://auth.example.com/token', clientId: 'id' };
	const samples: Array<[CredentialKind, Values]> = [
		['clientSecret', { ...generic, clientSecret: 's' }],
		// One resource that RFC 8707 would refuse (not an absolute URI): still sent as before.
		['clientSecret', { ...generic, clientSecret: 's', resource: 'orders-api' }],
		[
			'clientSecret',
			{
				...generic,
				clientSecret: 's',
				clientAuthentication: 'client_secret_post',
				grantType: 'password',
				username: 'u',
				password: 'p',
			},
		],
		[
			'clientSecret',
			{
				...generic,
				clientSecret: 's',
				basicEncoding: 'raw',
				timeout: 7,
				audience: 'a',
				resource: 'https://r',
				additionalParameters: '{"x":"1"}',
				accessTokenLifespan: 99,
				refreshTokenLifespan: 999,
				scope: 'x y',
			},
		],
		[
			'clientSecret',
			{
				...generic,
				clientSecret: 'k'.repeat(40),
				clientAuthentication: 'client_secret_jwt',
				hmacAlgorithm: 'HS384',
				assertionAudience: 'custom',
				customAudience: 'aud',
				assertionLifetime: 30,
				assertionType: 'client-authentication+jwt',
			},
		],
		[
			'clientSecret',
			{
				provider: 'servicenow',
				servicenowInstance: 'dev1',
				clientId: 'id',
				clientSecret: 's',
				clientAuthentication: 'client_secret_post',
				grantType: 'password',
				username: 'u',
				password: 'p',
				servicenowTokenSource: 'thirdParty',
				introspectionUrl: 'https://dev1.service-now.com/i',
			},
		],
		[
			'clientSecret',
			{
				provider: 'servicenow',
				servicenowInstance: 'dev1',
				clientId: 'id',
				clientSecret: 's',
				basicEncoding: 'raw',
				timeout: 9,
			},
		],
		[
			'clientSecret',
			{
				provider: 'servicenow',
				servicenowInstance: 'dev1',
				clientId: 'id',
				clientSecret: 'k'.repeat(40),
				clientAuthentication: 'client_secret_jwt',
				assertionLifetime: 20,
			},
		],
		[
			'clientSecret',
			{
				provider: 'salesforce',
				salesforceEnvironment: 'myDomain',
				salesforceMyDomainUrl: 'acme.my.salesforce.com',
				clientId: 'id',
				clientSecret: 's',
				salesforceSessionTimeout: 900,
			},
		],
		[
			'clientSecret',
			{
				provider: 'okta',
				oktaDomain: 'dev-1.okta.com',
				clientId: 'id',
				clientSecret: 's',
				allowInsecureHttp: true,
			},
		],
		[
			'clientSecret',
			{
				provider: 'generic',
				endpointMode: 'discovery',
				issuerUrl: 'https://issuer.example.com',
				clientId: 'id',
				clientSecret: 's',
				allowInsecureHttp: true,
			},
		],
		['privateKeyJwt', { ...generic, privateKey: PEM }],
		[
			'privateKeyJwt',
			{
				...generic,
				privateKey: PEM,
				algorithm: 'PS256',
				keyId: 'k1',
				assertionAudience: 'issuer',
				assertionLifetime: 45,
				timeout: 3,
			},
		],
		[
			'privateKeyJwt',
			{
				...generic,
				privateKey: PEM,
				grantType: 'jwtBearer',
				subject: 'me',
				assertionIssuer: 'iss',
				scopeInClaim: true,
				extraClaims: '{"a":1}',
				scope: 's',
			},
		],
		[
			'privateKeyJwt',
			{
				...generic,
				privateKey: PEM,
				grantType: 'jwtBearer',
				clientAuthentication: 'private_key_jwt',
				subject: 'me',
			},
		],
		[
			'privateKeyJwt',
			{ ...generic, privateKey: PEM, grantType: 'password', username: 'u', password: 'p' },
		],
		[
			'privateKeyJwt',
			{
				provider: 'salesforce',
				salesforceEnvironment: 'sandbox',
				clientId: 'c',
				privateKey: PEM,
				grantType: 'jwtBearer',
				subject: 'u@x',
				assertionIssuer: 'c',
				extraClaims: '{"b":2}',
				assertionLifetime: 100,
			},
		],
		[
			'privateKeyJwt',
			{
				provider: 'entra',
				entraTenant: 'contoso.onmicrosoft.com',
				clientId: 'c',
				privateKey: PEM,
				algorithm: 'RS256',
				scope: 'https://graph.microsoft.com/.default',
			},
		],
		[
			'privateKeyJwt',
			{
				provider: 'google',
				privateKey: PEM,
				clientId: 'c',
				grantType: 'jwtBearer',
				subject: 'admin@x',
			},
		],
		[
			'privateKeyJwt',
			{
				provider: 'servicenow',
				servicenowInstance: 'dev1',
				clientId: 'c',
				privateKey: PEM,
				grantType: 'jwtBearer',
				subject: 'u',
			},
		],
	];

	it.each(samples.map(([kind, edits], i) => [i, kind, edits] as const))(
		'sample %i (%s)',
		(_i, kind, edits) => {
			// As 0.1.0's editor saved it, then resolved against 0.1.0's form and against today's.
			const stored = editorSave(FORM1[kind], editorForm(FORM1[kind], edits));
			const before = attempt(() => configOf(kind, n8nResolve(FORM1[kind], stored)));
			const now = attempt(() => configOf(kind, n8nResolve(PROPS[kind], stored)));
			expect(now).toEqual(before);
			// Opened in today's editor, nothing it held is hidden and dropped on Save (the
			// fields that form 2 replaces aside: they are the preset's choices now).
			const reopened = editorOpen(PROPS[kind], stored);
			const saved = editorSave(PROPS[kind], reopened);
			const replaced = [
				'clientAuthentication',
				'grantType',
				'hmacAlgorithm',
				'basicEncoding',
				'assertionLifetime',
				'assertionType',
				'assertionAudience',
				'customAudience',
				'username',
				'password',
				'subject',
				'assertionIssuer',
				'scopeInClaim',
				'extraClaims',
			];
			const special = kind === 'clientSecret' ? 'servicenow' : 'salesforce';
			for (const [name, value] of Object.entries(stored))
				if (!(edits.provider === special && replaced.includes(name)))
					expect({ [name]: saved[name] }).toEqual({ [name]: value });
		},
	);
});

describe('Icons', () => {
	it('each credential type has its own light and dark icon, unlike the node', () => {
		const files = [secret.icon, key.icon].flatMap((icon) =>
			typeof icon === 'object' ? [icon.light, icon.dark] : [icon],
		);
		const contents = files.map((file) =>
			readFileSync(join(__dirname, '../../credentials', String(file).replace('file:', '')), 'utf8'),
		);
		expect(new Set(contents).size).toBe(4);
		const node = readFileSync(join(__dirname, '../../nodes/OauthToken/oauthToken.svg'), 'utf8');
		expect(contents).not.toContain(node);
	});
});

function catchError(run: () => unknown): Error {
	try {
		run();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected an error');
}

function attempt<T>(run: () => T): T | { error: string } {
	try {
		return run();
	} catch (error) {
		return { error: (error as Error).message };
	}
}

describe('Client assertion from elsewhere (private key credential, no key in n8n)', () => {
	const props = PROPS.privateKeyJwt;
	const KEY_FIELDS = ['privateKey', 'passphrase', 'keyId', 'thumbprintHeader', 'algorithm'];

	it('client credentials: Provider, Grant Type, then Client Authentication, which defaults to the key signing (old credentials unchanged)', () => {
		const values = editorForm(props);
		const names = drawnNames(props, values);
		expect(names.slice(0, 3)).toEqual(['provider', 'grantType', 'clientAssertionOrigin']);
		expect(values.clientAssertionOrigin).toBe('signed');
		expect(names).toContain('privateKey');
		for (const sample of [{}, { grantType: 'password' }]) {
			const resolved = n8nResolve(props, { clientId: 'c', privateKey: PEM, ...sample });
			expect(resolved.clientAssertionOrigin).toBe('signed');
		}
	});

	it('"From Elsewhere": no private key field at all (nor passphrase, key ID, thumbprint, algorithm, assertion settings); a file path, or a password value', () => {
		const file = editorForm(props, {
			clientAssertionOrigin: 'elsewhere',
			showAdvancedSettings: true,
		});
		const names = drawnNames(props, file);
		for (const name of [...KEY_FIELDS, 'assertionAudience', 'assertionLifetime', 'assertionType'])
			expect(names).not.toContain(name);
		expect(names).toEqual(expect.arrayContaining(['clientAssertionSource', 'clientAssertionFile']));
		expect(names).not.toContain('clientAssertionValue');
		expect(drawnFields(props, file).find((f) => f.name === 'clientAssertionFile')?.required).toBe(
			true,
		);
		const value = drawnFields(props, { ...file, clientAssertionSource: 'value' });
		const field = value.find((f) => f.name === 'clientAssertionValue');
		expect(field?.typeOptions?.password).toBe(true);
		expect(value.map((f) => f.name)).not.toContain('clientAssertionFile');
	});

	it('saved and resolved as n8n does, it runs as client_assertion with the file path and no key', () => {
		const { stored, resolved } = saveNew('privateKeyJwt', {
			tokenUrl: 'https://auth.example.com/token',
			clientId: 'workload',
			clientAssertionOrigin: 'elsewhere',
			clientAssertionFile: '/var/run/secrets/tokens/token',
		});
		expect(stored.privateKey).toBeUndefined();
		const config = clientConfigFromCredential('privateKeyJwt', resolved, {
			readAssertionFile: async () => '',
		});
		expect(config.auth).toMatchObject({
			method: 'client_assertion',
			clientId: 'workload',
			source: { kind: 'file', path: '/var/run/secrets/tokens/token' },
		});
	});

	it('not offered where it cannot work: the JWT bearer grant (its assertion needs the key), Google and Salesforce', () => {
		for (const values of [
			{ grantType: 'jwtBearer' },
			{ provider: 'google' },
			{ provider: 'salesforce' },
			{ provider: 'salesforce', formVersion: 1 },
		])
			expect(drawnNames(props, editorForm(props, values))).not.toContain('clientAssertionOrigin');
	});
});
