// Refresh-token rotation across workers, on a Data Table that lives in n8n's Postgres database,
// with e2e/queue/workflows/token-rotation-lease.json. The test server rotates refresh tokens and,
// when a used one comes back, revokes the whole grant (oidc-provider's rotateRefreshToken; the
// reuse detection RFC 9700 §4.14.2 describes, RFC 6749 §10.4): so a second refresh of one stored
// set would not just waste a request, it would lose the grant. Checked first, then:
// - two executions on two workers race for one expiring set: one refresh, both get the new token;
// - the worker holding the lease is SIGKILLed while its refresh is in flight: the set still holds
//   a working refresh token, and the next execution rotates it once the lease has expired.
import assert from 'node:assert/strict';

import { DEMO, CLIENT_SECRET_TYPE } from '../../lib/credentials.mjs';
import { lastFailure } from '../lib/cluster.mjs';
import { loadQueueWorkflow } from '../lib/workflows.mjs';

const TABLE = 'oauth_token_sets';
const SET_NAME = 'crm-sync';
const WORKFLOW = 'exRotationLease';
const PATH = 'rotate-token-set';
/** Short lease for the test (the workflow's default is 60 s): the kill test waits it out. */
const LEASE_SECONDS = 20;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function rotationSuite(ctx) {
	const { server, proxy } = ctx;
	const client = server.fixtures.clients.post;
	const alice = server.fixtures.users.alice;
	const credential = {
		...DEMO.password,
		type: CLIENT_SECRET_TYPE,
		data: {
			provider: 'generic',
			endpointMode: 'manual',
			// Through the proxy, which can hold a refresh in flight.
			tokenUrl: proxy.tokenEndpoint,
			revocationUrl: server.revocationEndpoint,
			introspectionUrl: server.introspectionEndpoint,
			clientId: client.client_id,
			clientSecret: client.client_secret,
			clientAuthentication: 'client_secret_post',
			grantType: 'password',
			username: alice.username,
			password: alice.password,
			scope: 'api:read',
		},
	};

	/** Straight to the server, as the client the credential is. */
	async function tokenCall(params) {
		const response = await fetch(server.tokenEndpoint, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: client.client_id,
				client_secret: client.client_secret,
				...params,
			}),
		});
		return { status: response.status, body: await response.json() };
	}
	const passwordGrant = async () => {
		const answer = await tokenCall({
			grant_type: 'password',
			username: alice.username,
			password: alice.password,
			scope: 'api:read',
		});
		assert.equal(answer.status, 200, JSON.stringify(answer.body));
		assert.ok(answer.body.refresh_token, 'the password grant issued no refresh token');
		return answer.body;
	};
	/** RFC 7662 introspection: does the server still honour this token? (does not use it up) */
	async function active(token) {
		const response = await fetch(server.introspectionEndpoint, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				token,
				client_id: client.client_id,
				client_secret: client.client_secret,
			}),
		});
		return (await response.json()).active === true;
	}
	const refreshesAtServer = async (since) => {
		const response = await fetch(`${server.requestLogUrl}?since=${since}`);
		return (await response.json()).filter(
			(entry) =>
				entry.path === '/token' &&
				entry.grantType === 'refresh_token' &&
				entry.clientId === client.client_id,
		);
	};

	let tableId = '';
	let projectId = '';
	const rest = (method, path, body) =>
		ctx.session.call(method, `/rest/projects/${projectId}/data-tables${path}`, body);
	async function readSet() {
		const answer = await rest(
			'GET',
			`/${tableId}/rows?filter=${encodeURIComponent(
				JSON.stringify({
					type: 'and',
					filters: [{ columnName: 'name', condition: 'eq', value: SET_NAME }],
				}),
			)}`,
		);
		assert.equal(answer.status, 200, JSON.stringify(answer.body));
		const rows = answer.body.data.data;
		assert.equal(rows.length, 1, `rows named ${SET_NAME}: ${rows.length}`);
		return rows[0];
	}
	/** Stores a fresh set from the server, marked as expiring in 30 s (inside the 60 s margin). */
	async function storeExpiringSet() {
		const tokens = await passwordGrant();
		const answer = await rest('PATCH', `/${tableId}/rows`, {
			filter: { type: 'and', filters: [{ columnName: 'name', condition: 'eq', value: SET_NAME }] },
			data: {
				access_token: tokens.access_token,
				refresh_token: tokens.refresh_token,
				expires_at: new Date(Date.now() + 30_000).toISOString(),
				lease_owner: '',
				lease_until: 0,
			},
		});
		assert.equal(answer.status, 200, JSON.stringify(answer.body));
		return tokens;
	}
	const rotate = (timeoutMs) =>
		ctx.cluster.webhook(PATH, { name: SET_NAME, lease_seconds: LEASE_SECONDS }, timeoutMs);
	async function until(condition, what, timeoutMs = 120_000) {
		const deadline = Date.now() + timeoutMs;
		while (!(await condition())) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await sleep(200);
		}
	}
	const expectOk = async (result) => {
		if (result.status !== 200)
			assert.fail(
				`webhook answered ${result.status}: ${result.text}\n${await lastFailure(ctx.postgres, WORKFLOW)}`,
			);
		return result.body;
	};

	return {
		credentials: [credential],
		workflows: [
			(() => {
				const lease = loadQueueWorkflow('token-rotation-lease.json');
				// Test-only: n8n saves the run data after every node, so the test can see that the
				// loser has lost its claim before it lets the winner's refresh through.
				lease.settings = { ...lease.settings, saveExecutionProgress: true };
				return lease;
			})(),
		],

		async setup() {
			const personal = await ctx.session.call('GET', '/rest/projects/personal');
			assert.equal(personal.status, 200, JSON.stringify(personal.body));
			projectId = personal.body.data.id;
			const created = await rest('POST', '/', {
				name: TABLE,
				columns: [
					{ name: 'name', type: 'string' },
					{ name: 'access_token', type: 'string' },
					{ name: 'refresh_token', type: 'string' },
					{ name: 'expires_at', type: 'string' },
					{ name: 'lease_owner', type: 'string' },
					{ name: 'lease_until', type: 'number' },
				],
			});
			assert.equal(created.status, 200, JSON.stringify(created.body));
			tableId = created.body.data.id;
			const inserted = await rest('POST', `/${tableId}/insert`, {
				data: [{ name: SET_NAME, lease_owner: '', lease_until: 0 }],
			});
			assert.equal(inserted.status, 200, JSON.stringify(inserted.body));
		},

		async race(test) {
			await test('The test server revokes the grant when a rotated refresh token is used again', async () => {
				const tokens = await passwordGrant();
				const first = await tokenCall({
					grant_type: 'refresh_token',
					refresh_token: tokens.refresh_token,
				});
				assert.equal(first.status, 200);
				assert.notEqual(first.body.refresh_token, tokens.refresh_token, 'not rotated');
				const second = await tokenCall({
					grant_type: 'refresh_token',
					refresh_token: tokens.refresh_token,
				});
				assert.equal(second.body.error, 'invalid_grant');
				assert.equal(await active(first.body.refresh_token), false, 'grant not revoked');
			});

			await test('Rotation on a Postgres Data Table: two executions on two workers race for one expiring set, one refresh, both end with the new token', async () => {
				const initial = await storeExpiringSet();
				const since = Date.now();
				const lastId = Number(
					await ctx.postgres.query('select coalesce(max(id), 0) from execution_entity'),
				);
				proxy.hold();
				const both = Promise.all([rotate(), rotate()]);
				try {
					// The winner's refresh is held at the (slow) server until the other execution has
					// read the expiring set and lost its claim: a real race, however the two are timed.
					await proxy.whenHeld();
					await until(async () => {
						const lost = await ctx.postgres.query(
							`select count(*) from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" = '${WORKFLOW}' and e.id > ${lastId} and d.data like '%Tries Left?%'`,
						);
						return Number(lost) >= 1;
					}, 'the other execution to lose its claim');
				} finally {
					proxy.release();
				}
				const results = await Promise.all((await both).map(expectOk));
				const outcomes = results.map((result) => result.outcome).sort();
				const workers = results.map((result) => ctx.cluster.workerOf(result.execution));
				console.log(
					`    outcomes ${JSON.stringify(outcomes)} on ${JSON.stringify(workers)}; refresh requests at the server ${(await refreshesAtServer(since)).length}`,
				);
				assert.notEqual(workers[0], workers[1], 'both executions ran on one worker');
				assert.deepEqual(outcomes, ['refreshed', 'waited']);
				const refreshes = await refreshesAtServer(since);
				assert.deepEqual(
					refreshes.map((entry) => [entry.status, entry.error]),
					[[200, null]],
					'refresh requests at the server',
				);
				const stored = await readSet();
				assert.notEqual(stored.refresh_token, initial.refresh_token, 'the set was not rotated');
				assert.equal(stored.lease_until, 0, 'the lease was not released');
				for (const result of results)
					assert.equal(
						result.access_token,
						stored.access_token,
						`${result.outcome}: not the new token`,
					);
				assert.equal(await active(stored.access_token), true, 'the new access token is not active');
				assert.equal(
					await active(stored.refresh_token),
					true,
					'the new refresh token is not active',
				);
			});
		},

		async kill(test) {
			await test('A worker SIGKILLed while its refresh is in flight: the set still holds a working refresh token, the next execution rotates it', async () => {
				const initial = await storeExpiringSet();
				const since = Date.now();
				proxy.hold();
				let victim;
				// Its webhook call ends when main gives up on the dead job; nobody waits for it.
				rotate(240_000).catch(() => undefined);
				try {
					await proxy.whenHeld();
					const leased = await readSet();
					victim = ctx.cluster.workers.find((worker) =>
						worker.executions.has(String(leased.lease_owner)),
					);
					assert.ok(victim, `no worker logged execution ${leased.lease_owner}, the lease holder`);
					await victim.kill();
				} finally {
					proxy.release();
				}
				const dropped = proxy.log.filter(
					(entry) => entry.at >= since && entry.outcome === 'dropped',
				);
				assert.equal(dropped.length, 1, 'the held refresh should have died with its worker');
				assert.equal((await refreshesAtServer(since)).length, 0, 'the refresh reached the server');
				const afterKill = await readSet();
				assert.equal(afterKill.refresh_token, initial.refresh_token);
				assert.equal(
					await active(afterKill.refresh_token),
					true,
					'the stored refresh token is dead',
				);

				const survivor = ctx.cluster.workers.find((worker) => worker !== victim);
				const next = await expectOk(await rotate());
				console.log(
					`    killed ${victim.name} holding execution ${afterKill.lease_owner}; next execution ${next.execution} on ${ctx.cluster.workerOf(next.execution)}: ${next.outcome} after ${Math.round((Date.now() - since) / 1000)} s`,
				);
				assert.equal(next.outcome, 'refreshed');
				assert.equal(ctx.cluster.workerOf(next.execution), survivor.name);
				assert.deepEqual(
					(await refreshesAtServer(since)).map((entry) => [entry.status, entry.error]),
					[[200, null]],
				);
				const stored = await readSet();
				assert.notEqual(stored.refresh_token, initial.refresh_token);
				assert.equal(await active(stored.refresh_token), true, 'the rotated refresh token is dead');
				assert.equal(stored.access_token, next.access_token);
			});
		},
	};
}
