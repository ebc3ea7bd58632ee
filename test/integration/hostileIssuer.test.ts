/**
 * The audience-replay attack (CVE-2025-27370, issue 13 finding 1): a hostile issuer's discovery
 * document lists the honest server's token endpoint, while its own revocation and introspection
 * endpoints collect the client assertions sent to them. Every assertion collected there, for
 * every audience mode and every preset's audience rule, must be refused at the honest token
 * endpoint (the real oidc-provider); an assertion that would be accepted there is never sent.
 */
import {
	CLIENT_ASSERTION_TYPE,
	OAuthConfigError,
	PRESETS,
	assertionClaims,
	attemptAsync,
	clientConfigFromCredential,
	importSigningKey,
	introspectToken,
	resetProcessState,
	revokeToken,
	signAssertion,
	type AssertionSettings,
	type ClientConfig,
} from '../../protocol';
import { realSend } from '../helpers/realSend';
import { json, startLocalServer, type LocalServer } from '../helpers/localServer';
import { loadTestServer } from '../server/fixtures';

const server = loadTestServer();
const { clients } = server.fixtures;
const rs256 = clients.privateKeyJwt.RS256;
const send = realSend();

let hostile: LocalServer;
let hostileIssuer: string;

beforeAll(async () => {
	hostile = await startLocalServer((request, res) => {
		if (request.method === 'GET' && request.path.startsWith('/.well-known/')) {
			json(res, 200, {
				issuer: hostileIssuer,
				token_endpoint: server.tokenEndpoint,
				revocation_endpoint: hostile.url('/revoke'),
				introspection_endpoint: hostile.url('/introspect'),
			});
			return;
		}
		if (request.path === '/revoke') return void res.writeHead(200).end();
		if (request.path === '/introspect') return json(res, 200, { active: false });
		json(res, 404, { error: 'not_found' });
	});
	hostileIssuer = hostile.url('');
});

afterAll(async () => await hostile.close());

beforeEach(() => resetProcessState());

type Kind = 'clientSecret' | 'privateKeyJwt';

function config(kind: Kind, assertion: Partial<AssertionSettings>): ClientConfig {
	const base = clientConfigFromCredential(
		kind,
		kind === 'clientSecret'
			? {
					endpointMode: 'discovery',
					issuerUrl: hostileIssuer,
					clientId: clients.secretJwt.client_id,
					clientSecret: clients.secretJwt.client_secret,
					clientAuthentication: 'client_secret_jwt',
					allowInsecureHttp: true,
				}
			: {
					endpointMode: 'discovery',
					issuerUrl: hostileIssuer,
					clientId: rs256.client_id,
					privateKey: rs256.pkcs8Pem,
					algorithm: 'RS256',
					allowInsecureHttp: true,
				},
	);
	if (base.auth.method !== 'client_secret_jwt' && base.auth.method !== 'private_key_jwt')
		throw new Error('expected a JWT client authentication');
	return { ...base, auth: { ...base.auth, assertion: { ...base.auth.assertion, ...assertion } } };
}

/** A client-credentials request at the honest token endpoint carrying a given assertion. */
async function replay(clientId: string, assertion: string): Promise<number> {
	const response = await fetch(server.tokenEndpoint, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_assertion_type: CLIENT_ASSERTION_TYPE,
			client_assertion: assertion,
			scope: 'api:read',
		}).toString(),
	});
	return response.status;
}

const modes: [string, Partial<AssertionSettings>][] = [
	['default (issuer when known)', { audienceMode: 'auto' }],
	['token endpoint (the old default)', { audienceMode: 'tokenEndpoint' }],
	['issuer', { audienceMode: 'issuer' }],
	['each endpoint (Okta)', { audienceMode: 'endpoint' }],
	['custom = the honest token endpoint', { audienceMode: 'custom', customAudience: 'TOKEN' }],
	['custom = the honest issuer', { audienceMode: 'custom', customAudience: 'ISSUER' }],
	['custom = not a URL (ServiceNow client ID)', { audienceMode: 'custom', customAudience: 'n8n' }],
];
// Each preset's own audience rule; Keycloak, ServiceNow and Generic use the modes above.
for (const preset of Object.values(PRESETS)) {
	const data = {
		salesforceEnvironment: 'myDomain',
		salesforceMyDomainUrl: 'acme.my.salesforce.com',
		servicenowInstance: 'acme',
		entraTenant: 'contoso.onmicrosoft.com',
		oktaDomain: 'acme.okta.com',
		oktaAuthorizationServer: 'default',
		auth0Domain: ['acme', 'eu.auth0.com'].join('.'),
		keycloakBaseUrl: 'https://sso.acme.example',
		keycloakRealm: 'acme',
		netsuiteAccountId: '1234567_SB1',
	};
	// Salesforce external client apps: the My Domain URL as the audience.
	const variants =
		preset.id === 'salesforce' ? [data, { ...data, salesforceJwtAudience: 'myDomain' }] : [data];
	for (const [index, variant] of variants.entries()) {
		const audience = preset.settings(variant).assertionAudience;
		if (audience)
			modes.push([
				`the ${preset.label} preset's audience${index ? ' (My Domain URL)' : ''}`,
				{
					audienceMode: audience.mode,
					customAudience: audience.custom,
					acceptedOrigins: audience.acceptedOrigins,
				},
			]);
	}
}

const kinds: Kind[] = ['privateKeyJwt', 'clientSecret'];
const cases = kinds.flatMap((kind) => modes.map(([name, mode]) => [kind, name, mode] as const));

describe('a hostile issuer collects assertions at its revocation and introspection endpoints', () => {
	it('the replay harness itself gets a token with an assertion made for the honest server', async () => {
		// Without this, a harness that can never succeed would make every case below pass.
		const claims = assertionClaims({
			issuer: rs256.client_id,
			subject: rs256.client_id,
			audience: server.tokenEndpoint,
			lifetimeSeconds: 60,
			now: Date.now(),
		});
		const key = importSigningKey({ privateKey: rs256.pkcs8Pem, algorithm: 'RS256' });
		expect(await replay(rs256.client_id, await signAssertion(claims, { kind: 'key', key }))).toBe(
			200,
		);
	});

	it.each(cases)(
		'%s, audience %s: nothing collected works at the honest server',
		async (kind, _name, mode) => {
			const resolved = {
				...mode,
				customAudience:
					mode.customAudience === 'TOKEN'
						? server.tokenEndpoint
						: mode.customAudience === 'ISSUER'
							? server.issuer
							: mode.customAudience,
			};
			const before = hostile.requests().length;
			const settings = config(kind, resolved);
			const outcomes = [
				await attemptAsync(async () => await revokeToken(settings, 'some-token', send)),
				await attemptAsync(async () => await introspectToken(settings, 'some-token', send)),
			];
			for (const outcome of outcomes) {
				// Either it was sent (and is checked below), or refused before sending, naming the setting.
				if (!outcome.ok) {
					expect(outcome.error).toBeInstanceOf(OAuthConfigError);
					expect((outcome.error as OAuthConfigError).field).toBe('Assertion Audience');
				}
			}
			const collected = hostile
				.requests()
				.slice(before)
				.map((request) => request.form.get('client_assertion'))
				.filter((assertion): assertion is string => !!assertion);
			expect(collected.length).toBe(outcomes.filter((outcome) => outcome.ok).length);
			const clientId = kind === 'clientSecret' ? clients.secretJwt.client_id : rs256.client_id;
			for (const assertion of collected) expect(await replay(clientId, assertion)).not.toBe(200);
		},
	);

	it('with the default audience both requests are sent, bound to the hostile issuer', async () => {
		const before = hostile.requests().length;
		const settings = config('privateKeyJwt', { audienceMode: 'auto' });
		await revokeToken(settings, 'some-token', send);
		await introspectToken(settings, 'some-token', send);
		const auds = hostile
			.requests()
			.slice(before)
			.map((request) => request.form.get('client_assertion'))
			.filter((assertion): assertion is string => !!assertion)
			.map(
				(jwt) =>
					(JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { aud: string })
						.aud,
			);
		expect(auds).toEqual([hostileIssuer, hostileIssuer]);
	});

	it('with the token endpoint audience the assertion is refused before it leaves, and the message says why', async () => {
		const before = hostile.requests().length;
		const outcome = await attemptAsync(
			async () =>
				await revokeToken(config('privateKeyJwt', { audienceMode: 'tokenEndpoint' }), 'x', send),
		);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		expect(outcome.error).toMatchObject({
			field: 'Assertion Audience',
			message: expect.stringMatching(/could replay it there/),
			hint: expect.stringMatching(/Issuer/),
		});
		expect(
			hostile
				.requests()
				.slice(before)
				.map((request) => request.path),
		).not.toContain('/revoke');
	});
});
