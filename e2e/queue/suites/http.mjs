// n8n's HTTP Request node with both package credentials, 40 executions at once over two workers:
// each worker asks for a token at most once per token lifetime (the core's single flight inside a
// worker), the token is saved to the credential in Postgres, and the next wave, wherever it runs,
// uses the saved one and asks for none. A third wave after the token entered its renewal margin
// asks again, at most once per worker.
import assert from 'node:assert/strict';

import { tokenRequests } from '../../lib/checks.mjs';
import { bearerCredentials } from '../../lib/credentials.mjs';
import { httpWorkflow } from '../lib/workflows.mjs';

const WAVE = 40;
const KINDS = /** @type {const} */ (['clientSecret', 'privateKeyJwt']);
/** The credential renews a token with less than this left (credentials/shared/bearerToken.ts). */
const RENEW_MARGIN_S = 60;

export function httpSuite(ctx) {
	const { server, api } = ctx;
	const credentials = bearerCredentials(server, 'queueHttp');

	/** Epoch ms of each credential's first token of the run. */
	const firstIssued = {};

	/** 40 webhook calls at once; every one must answer with both API calls accepted. */
	async function wave(label) {
		const since = Date.now();
		const results = await Promise.all(
			Array.from({ length: WAVE }, () => ctx.cluster.webhook('queue-http', {})),
		);
		for (const result of results) {
			assert.equal(
				result.status,
				200,
				`${label}: webhook answered ${result.status}: ${result.text}`,
			);
			assert.equal(result.body.secret, true, `${label}: ${result.text}`);
			assert.equal(result.body.key, true, `${label}: ${result.text}`);
		}
		const perWorker = {};
		for (const result of results) {
			const worker = ctx.cluster.workerOf(result.body.execution) ?? 'unknown';
			perWorker[worker] = (perWorker[worker] ?? 0) + 1;
		}
		const counts = {};
		const tokensSent = {};
		for (const kind of KINDS) {
			counts[kind] = (await tokenRequests(server, since, credentials[kind].data.clientId)).length;
			tokensSent[kind] = new Set(
				api
					.since(since)
					.filter(
						(request) => request.path === `/api/${kind === 'clientSecret' ? 'secret' : 'key'}`,
					)
					.map((request) => request.token),
			);
		}
		const line = `${label}: executions per worker ${JSON.stringify(perWorker)}; token requests ${KINDS.map((kind) => `${kind} ${counts[kind]}`).join(', ')}; distinct tokens at the API ${KINDS.map((kind) => `${kind} ${tokensSent[kind].size}`).join(', ')}; ${Math.round((Date.now() - since) / 100) / 10} s`;
		console.log(`    ${line}`);
		return { since, perWorker, counts, tokensSent, line };
	}

	const workersUsed = (perWorker) => Object.keys(perWorker).filter((name) => name !== 'unknown');

	return {
		credentials: Object.values(credentials),
		workflows: [httpWorkflow('queueHttp', 'queue-http', api.url, credentials)],

		async waves12(test) {
			await test(`HTTP Request node, ${WAVE} concurrent executions over two workers: at most one token request per worker, and the next wave none`, async () => {
				const first = await wave('wave 1');
				const used = workersUsed(first.perWorker);
				assert.equal(used.length, 2, `both workers should have run executions: ${first.line}`);
				for (const kind of KINDS) {
					assert.ok(
						first.counts[kind] >= 1 && first.counts[kind] <= used.length,
						`${kind}: ${first.counts[kind]} token requests for ${used.length} workers`,
					);
					const [issued] = await tokenRequests(
						server,
						first.since,
						credentials[kind].data.clientId,
					);
					firstIssued[kind] = issued.at;
				}
				const second = await wave('wave 2');
				assert.ok(
					Date.now() <
						Math.min(...Object.values(firstIssued)) +
							(ctx.ACCESS_TOKEN_TTL - RENEW_MARGIN_S) * 1000,
					'wave 2 ran after the tokens entered their renewal margin: the test is too slow to tell',
				);
				for (const kind of KINDS) {
					assert.equal(second.counts[kind], 0, `${kind}: wave 2 asked for a token: ${second.line}`);
					assert.equal(
						second.tokensSent[kind].size,
						1,
						`${kind}: wave 2 should send the one token saved in n8n's database`,
					);
					const stored = await ctx.base.credentialData(credentials[kind].id);
					assert.deepEqual(
						[...second.tokensSent[kind]],
						[stored.accessToken],
						`${kind}: not the saved token`,
					);
				}
			});
		},

		async wave3(test) {
			await test('HTTP Request node, next token lifetime: again at most one token request per worker', async () => {
				const renewAt =
					Math.max(...Object.values(firstIssued)) +
					(ctx.ACCESS_TOKEN_TTL - RENEW_MARGIN_S) * 1000 +
					2000;
				const wait = renewAt - Date.now();
				if (wait > 0) {
					console.log(
						`    waiting ${Math.round(wait / 1000)} s for the saved tokens to enter their renewal margin`,
					);
					await new Promise((resolve) => setTimeout(resolve, wait));
				}
				const third = await wave('wave 3');
				const used = workersUsed(third.perWorker);
				for (const kind of KINDS) {
					assert.ok(
						third.counts[kind] >= 1 && third.counts[kind] <= used.length,
						`${kind}: ${third.counts[kind]} token requests for ${used.length} workers: ${third.line}`,
					);
				}
			});
		},
	};
}
