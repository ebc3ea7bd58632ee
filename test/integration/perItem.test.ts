/**
 * Get Token's per-item values (Subject, Scope, Resource, Audience, Tenant, Client Assertion) and
 * keyless client assertions, through the node's real code and n8n-core 2.41.1's real request and
 * file helpers, against the real oidc-provider test server (test/server/authServer.mjs). Token
 * requests are counted at the server, and which subject or scope a token is for is what the
 * server's own introspection endpoint (RFC 7662) says.
 */
import { randomUUID, createPrivateKey } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SignJWT } from 'jose';
import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { OAuthPrivateKeyJwtApi } from '../../credentials/OAuthPrivateKeyJwtApi.credentials';
import { attemptAsync, sharedTokenCache } from '../../protocol';
import { runNode } from '../helpers/executeContext';
import { n8nHttpHelper } from '../helpers/n8nContext';
import { expectNoSecrets } from '../helpers/secrets';
import { loadTestServer, serverRequests, type RecordedRequest } from '../server/fixtures';

// n8n's file rules, as an instance would set them: only this folder may be read.
const allowedDir = mkdtempSync(join(tmpdir(), 'oauth-assertions-'));
const blockedDir = mkdtempSync(join(tmpdir(), 'oauth-elsewhere-'));
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-user-'));
process.env.N8N_RESTRICT_FILE_ACCESS_TO = allowedDir;

const server = loadTestServer();
const { clients, jwtBearer } = server.fixtures;
const es256 = clients.privateKeyJwt.ES256;
const rs256 = clients.privateKeyJwt.RS256;

type Kind = 'clientSecret' | 'privateKeyJwt';
const TYPE: Record<Kind, string> = {
	clientSecret: 'oauthClientSecretApi',
	privateKeyJwt: 'oauthPrivateKeyJwtApi',
};

async function getTokens(
	kind: Kind,
	credential: ICredentialDataDecryptedObject,
	perItem: IDataObject[],
	extra: { continueOnFail?: boolean; options?: IDataObject } = {},
): Promise<IDataObject[]> {
	const { output } = await runNode({
		parameters: { authentication: kind, operation: 'getToken', options: extra.options ?? {} },
		itemParameters: perItem.map((options) => ({ options: { ...extra.options, ...options } })),
		items: perItem.map((options): INodeExecutionData => ({ json: options })),
		credentials: { [TYPE[kind]]: credential },
		continueOnFail: extra.continueOnFail,
	});
	return output[0].map((item) => item.json);
}

async function tokenRequestsSince(since: number): Promise<RecordedRequest[]> {
	return (await serverRequests(since)).filter((r) => r.path === '/token');
}

/** What the server says about a token (RFC 7662), asked by another client. */
async function introspect(token: string): Promise<Record<string, unknown>> {
	const response = await fetch(server.introspectionEndpoint, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({
			token,
			client_id: clients.post.client_id,
			client_secret: clients.post.client_secret,
		}).toString(),
	});
	return (await response.json()) as Record<string, unknown>;
}

async function expectNodeFailure(run: () => Promise<unknown>): Promise<NodeOperationError> {
	const outcome = await attemptAsync(run);
	if (outcome.ok) throw new Error('expected the node to fail');
	expect(outcome.error).toBeInstanceOf(NodeOperationError);
	return outcome.error as NodeOperationError;
}

function bearerCredential(extra: ICredentialDataDecryptedObject = {}) {
	return {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		clientId: es256.client_id,
		privateKey: es256.pkcs8Pem,
		grantType: 'jwtBearer',
		clientAuthentication: 'none',
		subject: jwtBearer.subject,
		scope: 'api:read',
		...extra,
	};
}

function secretCredential(extra: ICredentialDataDecryptedObject = {}) {
	return {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		clientId: clients.post.client_id,
		clientSecret: clients.post.client_secret,
		clientAuthentication: 'client_secret_post',
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

beforeEach(() => sharedTokenCache.clear());

describe('Per-item Subject (JWT bearer: domain-wide delegation over many mailboxes)', () => {
	it("1,000 items over 10 subjects make exactly 10 token requests, and each item's token is for its own subject", async () => {
		const since = Date.now();
		const subjects = jwtBearer.subjects;
		expect(subjects).toHaveLength(10);
		const items = Array.from({ length: 1000 }, (_, index) => ({
			subject: subjects[index % subjects.length],
		}));
		const out = await getTokens('privateKeyJwt', bearerCredential(), items);
		expect(out).toHaveLength(1000);

		const requests = (await tokenRequestsSince(since)).filter(
			(r) => r.clientId === es256.client_id && subjects.includes(String(r.assertion?.payload.sub)),
		);
		expect(requests).toHaveLength(10);
		expect(requests.every((r) => r.status === 200)).toBe(true);
		expect(new Set(requests.map((r) => r.assertion?.payload.sub))).toEqual(new Set(subjects));

		// One token per subject, the same for all of that subject's items.
		const tokenOf = new Map<string, string>();
		out.forEach((json, index) => {
			const subject = items[index].subject;
			const token = String(json.access_token);
			expect(tokenOf.get(subject) ?? token).toBe(token);
			tokenOf.set(subject, token);
		});
		expect(new Set(tokenOf.values()).size).toBe(10);
		expect(out.filter((json) => json.reused_cached_token === false)).toHaveLength(10);
		for (const [subject, token] of tokenOf) {
			expect(await introspect(token)).toMatchObject({ active: true, sub: subject });
		}
	});

	it('Subject with a grant that has no assertion subject is refused before any request, naming the option', async () => {
		const since = Date.now();
		const error = await expectNodeFailure(
			async () =>
				await getTokens('clientSecret', secretCredential(), [{ subject: jwtBearer.subject }]),
		);
		expect(error.message).toMatch(/^Subject: .*client_credentials.*JWT bearer grant only/);
		expect(await tokenRequestsSince(since)).toEqual([]);
	});

	it("an expression that gives an item no Subject fails that item (it would get the credential's mailbox), and the other items run", async () => {
		const since = Date.now();
		const [alice, bob] = jwtBearer.subjects;
		const out = await getTokens(
			'privateKeyJwt',
			bearerCredential(),
			[{ subject: alice }, { subject: '' }, { subject: bob }],
			{ continueOnFail: true, options: { subject: '={{ $json.user }}' } },
		);
		expect(out).toHaveLength(3);
		expect(out[1].error).toMatch(/^Subject: "Subject" is empty for this item/);
		expect(out[1]).not.toHaveProperty('access_token');
		const sent = (await tokenRequestsSince(since)).map((r) => r.assertion?.payload.sub);
		expect(sent.sort()).toEqual([alice, bob].sort());
		expect(await introspect(String(out[0].access_token))).toMatchObject({ sub: alice });
		expect(await introspect(String(out[2].access_token))).toMatchObject({ sub: bob });
	});
});

describe('Per-item Scope, Resource and Audience', () => {
	it('300 items over 3 scopes make exactly 3 token requests; the server says each token has its own scope', async () => {
		const since = Date.now();
		const scopes = ['api:read', 'api:write', 'api:read api:write'];
		const items = Array.from({ length: 300 }, (_, index) => ({ scope: scopes[index % 3] }));
		const out = await getTokens('clientSecret', secretCredential(), items);
		const requests = (await tokenRequestsSince(since)).filter(
			(r) => r.clientId === clients.post.client_id,
		);
		expect(requests).toHaveLength(3);
		const tokens = new Map<string, string>();
		out.forEach((json, index) => tokens.set(items[index].scope, String(json.access_token)));
		expect(new Set(tokens.values()).size).toBe(3);
		for (const [scope, token] of tokens) {
			const seen = await introspect(token);
			expect(seen.active).toBe(true);
			expect(String(seen.scope).split(' ').sort()).toEqual(scope.split(' ').sort());
		}
	});

	it('an empty option is the credential value; Resource and Audience are sent and keyed on', async () => {
		const since = Date.now();
		const out = await getTokens('clientSecret', secretCredential(), [
			{ scope: '' },
			{ scope: '   ' },
			{ resource: server.fixtures.resource },
			{ resource: server.fixtures.resource, audience: 'https://api.example.test' },
		]);
		const requests = (await tokenRequestsSince(since)).filter(
			(r) => r.clientId === clients.post.client_id,
		);
		expect(requests).toHaveLength(3);
		expect(requests[0].bodyKeys).not.toContain('resource');
		expect(requests[1].bodyKeys).toContain('resource');
		expect(requests[2].bodyKeys).toEqual(expect.arrayContaining(['resource', 'audience']));
		expect(out[0].access_token).toBe(out[1].access_token);
		expect(await introspect(String(out[2].access_token))).toMatchObject({
			active: true,
			aud: server.fixtures.resource,
		});
	});

	it('Tenant with a provider that has no tenant is refused before any request, naming the option', async () => {
		const since = Date.now();
		const error = await expectNodeFailure(
			async () => await getTokens('clientSecret', secretCredential(), [{ tenant: 'contoso' }]),
		);
		expect(error.message).toMatch(/^Tenant: The credential's provider \(Generic\) has no tenant/);
		expect(await tokenRequestsSince(since)).toEqual([]);
	});
});

/** What a Kubernetes token issuer would do for the n8n pod: sign a client assertion with a key n8n never sees. */
async function assertionFromElsewhere(
	claims: { exp?: number; jti?: string } = {},
): Promise<{ jwt: string; jti: string }> {
	const jti = claims.jti ?? randomUUID();
	const now = Math.floor(Date.now() / 1000);
	const jwt = await new SignJWT({ jti })
		.setProtectedHeader({ alg: 'RS256', kid: rs256.kid })
		.setIssuer(rs256.client_id)
		.setSubject(rs256.client_id)
		.setAudience(server.issuer)
		.setIssuedAt(now - 5)
		.setExpirationTime(claims.exp ?? now + 600)
		.sign(createPrivateKey(rs256.pkcs8Pem));
	return { jwt, jti };
}

/** Written as kubelet does: a new file moved into place. */
function writeAtomically(path: string, content: string): void {
	const temporary = `${path}.${randomUUID()}.tmp`;
	writeFileSync(temporary, content);
	renameSync(temporary, path);
}

function keylessCredential(extra: ICredentialDataDecryptedObject = {}) {
	return {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		clientId: rs256.client_id,
		clientAssertionOrigin: 'elsewhere',
		clientAssertionSource: 'file',
		clientAssertionFile: join(allowedDir, 'token'),
		grantType: 'clientCredentials',
		scope: 'api:read',
		...extra,
	};
}

describe('Client assertion from elsewhere (no key in n8n)', () => {
	const path = join(allowedDir, 'token');

	it('reads the file on each token request, not on cache hits; a rotated file keeps the cached token until a new one is needed', async () => {
		const since = Date.now();
		const first = await assertionFromElsewhere();
		writeAtomically(path, `${first.jwt}\n`);
		const [one] = await getTokens('privateKeyJwt', keylessCredential(), [{}]);
		expect(one.reused_cached_token).toBe(false);

		// A cache hit reads nothing: the file may even hold garbage meanwhile.
		writeAtomically(path, 'not a token');
		const [two] = await getTokens('privateKeyJwt', keylessCredential(), [{}]);
		expect(two).toMatchObject({ reused_cached_token: true, access_token: one.access_token });

		// Rotated (as kubelet does hourly): the still-valid token is kept…
		const second = await assertionFromElsewhere();
		writeAtomically(path, second.jwt);
		const [three] = await getTokens('privateKeyJwt', keylessCredential(), [{}]);
		expect(three).toMatchObject({ reused_cached_token: true, access_token: one.access_token });
		// …and the next token request sends the new assertion.
		const [four] = await getTokens('privateKeyJwt', keylessCredential(), [{}], {
			options: { forceNew: true },
		});
		expect(four.reused_cached_token).toBe(false);
		expect(four.access_token).not.toBe(one.access_token);

		const requests = (await tokenRequestsSince(since)).filter(
			(r) => r.clientId === rs256.client_id && r.clientAssertion !== null,
		);
		expect(requests.map((r) => [r.clientAssertion?.payload.jti, r.status])).toEqual([
			[first.jti, 200],
			[second.jti, 200],
		]);
		expect(requests[0].bodyKeys).toEqual(
			expect.arrayContaining(['client_id', 'client_assertion_type', 'client_assertion']),
		);
		expectNoSecrets([one, two, three, four], [first.jwt, second.jwt]);
	});

	it('another path, or a per-item Client Assertion value, does not share the token', async () => {
		const since = Date.now();
		const a = await assertionFromElsewhere();
		const b = await assertionFromElsewhere();
		const c = await assertionFromElsewhere();
		const other = join(allowedDir, 'other-token');
		writeAtomically(path, a.jwt);
		writeAtomically(other, b.jwt);
		const [fromPath] = await getTokens('privateKeyJwt', keylessCredential(), [{}]);
		const [fromOther] = await getTokens(
			'privateKeyJwt',
			keylessCredential({ clientAssertionFile: other }),
			[{}],
		);
		const [fromValue] = await getTokens('privateKeyJwt', keylessCredential(), [
			{ clientAssertion: c.jwt },
		]);
		expect(new Set([fromPath, fromOther, fromValue].map((o) => o.access_token)).size).toBe(3);
		const jtis = (await tokenRequestsSince(since))
			.filter((r) => r.clientId === rs256.client_id)
			.map((r) => r.clientAssertion?.payload.jti);
		expect(jtis).toEqual([a.jti, b.jti, c.jti]);
		expectNoSecrets([fromPath, fromOther, fromValue], [a.jwt, b.jwt, c.jwt]);
	});

	it('refuses, before any request and naming the field, an expired assertion, a file that is not a JWT, a file over 64 KiB, a blocked path and a missing file; the assertion is in no error', async () => {
		const since = Date.now();
		const expired = await assertionFromElsewhere({ exp: Math.floor(Date.now() / 1000) - 60 });
		const cases: Array<[string, string | undefined, RegExp]> = [
			[
				expired.jwt,
				undefined,
				/^Client Assertion File: The file ".*" holds a client assertion that expired at \d{4}-/,
			],
			[
				es256.pkcs8Pem,
				undefined,
				/^Client Assertion File: The file ".*" does not hold a signed JWT/,
			],
			['e'.repeat(70 * 1024), undefined, /^Client Assertion File: .* larger than 64 KiB/],
			[
				(await assertionFromElsewhere()).jwt,
				join(blockedDir, 'token'),
				/^Client Assertion File: n8n does not allow reading/,
			],
			['', join(allowedDir, 'missing', 'token'), /^Client Assertion File: .*could not be found/],
		];
		for (const [content, file, message] of cases) {
			sharedTokenCache.clear();
			const target = file ?? path;
			if (!target.includes('missing')) writeAtomically(target, content);
			const error = await expectNodeFailure(
				async () =>
					await getTokens('privateKeyJwt', keylessCredential({ clientAssertionFile: target }), [
						{},
					]),
			);
			expect(error.message).toMatch(message);
			if (content) expectNoSecrets(error, [content.slice(0, 2000)]);
		}
		expect((await tokenRequestsSince(since)).filter((r) => r.clientId === rs256.client_id)).toEqual(
			[],
		);
	});

	it('the per-item Client Assertion: a bad value is refused naming it; with a credential that signs its own, refused', async () => {
		const bad = await expectNodeFailure(
			async () =>
				await getTokens('privateKeyJwt', keylessCredential(), [{ clientAssertion: 'abc.def' }]),
		);
		expect(bad.message).toMatch(
			/^Client Assertion: The client assertion does not hold a signed JWT/,
		);
		const { jwt } = await assertionFromElsewhere();
		const signing = await expectNodeFailure(
			async () =>
				await getTokens(
					'privateKeyJwt',
					bearerCredential({
						grantType: 'clientCredentials',
						clientAuthentication: 'private_key_jwt',
					}),
					[{ clientAssertion: jwt }],
				),
		);
		expect(signing.message).toMatch(/^Client Assertion: The credential does not take/);
		expectNoSecrets([bad, signing], [jwt]);
	});

	it('a server refusal keeps the assertion out of the error (a replayed assertion: oidc-provider takes each jti once)', async () => {
		const { jwt } = await assertionFromElsewhere();
		const credential = keylessCredential({
			clientAssertionSource: 'value',
			clientAssertionValue: jwt,
		});
		await getTokens('privateKeyJwt', credential, [{}]);
		const outcome = await attemptAsync(
			async () =>
				await getTokens('privateKeyJwt', credential, [{}], { options: { forceNew: true } }),
		);
		expect(outcome.ok).toBe(false);
		const error = (outcome as { error: NodeApiError }).error;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/invalid_client/);
		// Not the generic "this package signs a fresh one per request": it signs nothing here.
		expect(error.description).toMatch(/used before: n8n sends it as it is/);
		expectNoSecrets(error, [jwt]);
	});

	it('in the HTTP Request node (preAuthentication, no file helper): the file source is refused with what to use instead; the value source works', async () => {
		const { jwt } = await assertionFromElsewhere();
		writeAtomically(path, jwt);
		const type = new OAuthPrivateKeyJwtApi();
		const refused = await attemptAsync(
			async () => await type.preAuthentication.call(n8nHttpHelper(), keylessCredential()),
		);
		expect(refused.ok).toBe(false);
		const message = (refused as { error: Error }).error.message;
		expect(message).toMatch(/Client Assertion Source: .*only be read by the OAuth Token node/);
		expect(message).toMatch(/Value with an expression/);
		const saved = await type.preAuthentication.call(
			n8nHttpHelper(),
			keylessCredential({ clientAssertionSource: 'value', clientAssertionValue: jwt }),
		);
		expect(typeof saved.accessToken).toBe('string');
		expectNoSecrets(saved, [jwt]);
	});
});
