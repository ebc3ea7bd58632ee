// Get Token's per-item values and keyless client assertions in real n8n: a Code node emits many
// items over a few mailboxes and Get Token takes Subject = {{ $json.user }} (JWT bearer grant):
// the server sees one token request per mailbox; a credential with no key reads a client assertion
// file that this suite signs "elsewhere" (as a Kubernetes token issuer would) through n8n's own file
// helpers and rules (N8N_RESTRICT_FILE_ACCESS_TO), and reads the rotated file in the next execution.
import assert from 'node:assert/strict';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { assertNoSecrets, executeOk, now, tokenRequests } from '../lib/checks.mjs';
import { manualEndpoints, PRIVATE_KEY_TYPE } from '../lib/credentials.mjs';
import { outputItems } from '../lib/n8n.mjs';
import { codeNode, manualTrigger, oauthToken, workflow } from '../lib/workflows.mjs';

const ITEMS = 500;
const MAILBOXES = 5;

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT signed with the client's registered key: the "elsewhere" n8n never sees. */
function signElsewhere(client, audience) {
	const jti = randomUUID();
	const iat = Math.floor(Date.now() / 1000);
	const input = `${b64url({ alg: 'RS256', kid: client.kid })}.${b64url({
		iss: client.client_id,
		sub: client.client_id,
		aud: audience,
		jti,
		iat,
		exp: iat + 600,
	})}`;
	const signature = createSign('RSA-SHA256').update(input).sign(client.pkcs8Pem, 'base64url');
	return { jwt: `${input}.${signature}`, jti };
}

/** Written as kubelet writes a projected token: a new file moved into place. */
function writeAtomically(path, content) {
	const temporary = `${path}.${randomUUID()}.tmp`;
	writeFileSync(temporary, content);
	renameSync(temporary, path);
}

async function introspect(server, token) {
	const { post } = server.fixtures.clients;
	const response = await fetch(server.introspectionEndpoint, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			token,
			client_id: post.client_id,
			client_secret: post.client_secret,
		}).toString(),
	});
	return await response.json();
}

export async function perItemSuite({ env, test }) {
	const { n8n, server } = env;
	const { clients, jwtBearer } = server.fixtures;
	const { ES256, RS256 } = clients.privateKeyJwt;
	const mailboxes = jwtBearer.subjects.slice(0, MAILBOXES);

	// Only this folder may be read by n8n's file helpers in this suite's executions.
	const allowed = mkdtempSync(join(tmpdir(), 'n8n-e2e-assertions-'));
	const outside = mkdtempSync(join(tmpdir(), 'n8n-e2e-outside-'));
	const tokenFile = join(allowed, 'token');
	const previous = n8n.env.N8N_RESTRICT_FILE_ACCESS_TO;
	n8n.env.N8N_RESTRICT_FILE_ACCESS_TO = allowed;

	const delegation = {
		id: 'e2ePerItemBearer',
		name: 'e2ePerItemBearer',
		type: PRIVATE_KEY_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: ES256.client_id,
			privateKey: ES256.pkcs8Pem,
			grantType: 'jwtBearer',
			clientAuthentication: 'none',
			subject: jwtBearer.subject,
			scope: 'api:read',
		},
	};
	const keyless = (id, file) => ({
		id,
		name: id,
		type: PRIVATE_KEY_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: RS256.client_id,
			clientAssertionOrigin: 'elsewhere',
			clientAssertionSource: 'file',
			clientAssertionFile: file,
			grantType: 'clientCredentials',
			scope: 'api:read',
		},
	});
	const fromFile = keyless('e2eKeyless', tokenFile);
	const blocked = keyless('e2eKeylessBlocked', join(outside, 'token'));
	await n8n.importCredentials([delegation, fromFile, blocked]);
	await n8n.importWorkflows([
		workflow(
			'perItemSubjects',
			[
				manualTrigger(),
				codeNode(
					'Mailboxes',
					`const users = ${JSON.stringify(mailboxes)};
return Array.from({ length: ${ITEMS} }, (_, index) => ({ json: { user: users[index % users.length] } }));`,
				),
				oauthToken(
					'Get Token Per Mailbox',
					{ operation: 'getToken', options: { subject: '={{ $json.user }}' } },
					delegation,
				),
			],
			[
				['Start', 'Mailboxes'],
				['Mailboxes', 'Get Token Per Mailbox'],
			],
		),
		workflow(
			'perItemKeyless',
			[manualTrigger(), oauthToken('Get Token Keyless', { operation: 'getToken' }, fromFile)],
			[['Start', 'Get Token Keyless']],
		),
		workflow(
			'perItemKeylessBlocked',
			[
				manualTrigger(),
				oauthToken('Get Token Blocked', { operation: 'getToken' }, blocked, {
					onError: 'continueRegularOutput',
				}),
			],
			[['Start', 'Get Token Blocked']],
		),
	]);

	try {
		await test(`Subject = {{ $json.user }}: ${ITEMS} items over ${MAILBOXES} mailboxes make exactly ${MAILBOXES} token requests, each token for its own mailbox`, async () => {
			const since = now();
			const run = await executeOk(n8n, 'perItemSubjects');
			const items = outputItems(run, 'Get Token Per Mailbox');
			assert.equal(items.length, ITEMS);
			const requests = (await tokenRequests(server, since, ES256.client_id)).filter((r) =>
				mailboxes.includes(r.assertion?.payload.sub),
			);
			assert.equal(requests.length, MAILBOXES, 'token requests at the server');
			assert.deepEqual(new Set(requests.map((r) => r.assertion.payload.sub)), new Set(mailboxes));
			const tokenOf = new Map();
			items.forEach((item, index) => {
				const user = mailboxes[index % MAILBOXES];
				assert.equal(tokenOf.get(user) ?? item.access_token, item.access_token, user);
				tokenOf.set(user, item.access_token);
			});
			assert.equal(new Set(tokenOf.values()).size, MAILBOXES);
			for (const [user, token] of tokenOf) {
				const seen = await introspect(server, token);
				assert.equal(seen.active, true, user);
				assert.equal(seen.sub, user, 'the server says whose token it is');
			}
		});

		await test('no key in n8n: the client assertion file is read through n8n, and the rotated file in the next execution', async () => {
			const first = signElsewhere(RS256, server.issuer);
			writeAtomically(tokenFile, `${first.jwt}\n`);
			const since = now();
			const one = await executeOk(n8n, 'perItemKeyless');
			const [tokenOne] = outputItems(one, 'Get Token Keyless');
			assert.equal(tokenOne.token_type, 'Bearer');
			const second = signElsewhere(RS256, server.issuer);
			writeAtomically(tokenFile, second.jwt);
			const two = await executeOk(n8n, 'perItemKeyless');
			const [tokenTwo] = outputItems(two, 'Get Token Keyless');
			assert.notEqual(tokenTwo.access_token, tokenOne.access_token);
			const seen = (await tokenRequests(server, since, RS256.client_id)).map((r) => [
				r.clientAssertion?.payload.jti,
				r.status,
			]);
			assert.deepEqual(seen, [
				[first.jti, 200],
				[second.jti, 200],
			]);
			assertNoSecrets(JSON.stringify([one, two]), [first.jwt, second.jwt], 'the executions');
		});

		await test("a file outside N8N_RESTRICT_FILE_ACCESS_TO: n8n's rule refuses it, with the variable to set, before any request", async () => {
			const assertion = signElsewhere(RS256, server.issuer);
			writeFileSync(join(outside, 'token'), assertion.jwt);
			const since = now();
			const run = await executeOk(n8n, 'perItemKeylessBlocked');
			const [item] = outputItems(run, 'Get Token Blocked');
			assert.match(String(item.error), /^Client Assertion File: n8n does not allow reading/);
			assert.match(String(item.description), /N8N_RESTRICT_FILE_ACCESS_TO/);
			assert.deepEqual(await tokenRequests(server, since, RS256.client_id), []);
			assertNoSecrets(JSON.stringify(run), [assertion.jwt], 'the execution');
		});
	} finally {
		if (previous === undefined) delete n8n.env.N8N_RESTRICT_FILE_ACCESS_TO;
		else n8n.env.N8N_RESTRICT_FILE_ACCESS_TO = previous;
		rmSync(allowed, { recursive: true, force: true });
		rmSync(outside, { recursive: true, force: true });
	}
}
