// Get Token over 10,000 items, split into executions that the two workers run at the same time:
// the token cache and single flight are per process, so each worker asks the server once and
// every other item in that worker reuses its token.
import assert from 'node:assert/strict';

import { tokenRequests } from '../../lib/checks.mjs';
import { manualEndpoints, PRIVATE_KEY_TYPE } from '../../lib/credentials.mjs';
import { lastFailure } from '../lib/cluster.mjs';
import { getTokenWorkflow } from '../lib/workflows.mjs';

const ITEMS = 10_000;
const EXECUTIONS = 4;

export function getTokenSuite(ctx) {
	const { server } = ctx;
	const client = server.fixtures.clients.privateKeyJwt.PS256;
	const credential = {
		id: 'queueGetToken',
		name: 'queue: Get Token (PS256)',
		type: PRIVATE_KEY_TYPE,
		data: {
			...manualEndpoints(server),
			clientId: client.client_id,
			privateKey: client.pkcs8Pem,
			algorithm: 'PS256',
			grantType: 'clientCredentials',
			scope: 'api:read',
		},
	};
	return {
		credentials: [credential],
		workflows: [getTokenWorkflow('queueGetToken', 'queue-get-token', credential)],
		async run(test) {
			await test(`Get Token over ${ITEMS.toLocaleString('en')} items in ${EXECUTIONS} executions on two workers: one token request per worker`, async () => {
				const since = Date.now();
				const results = await Promise.all(
					Array.from({ length: EXECUTIONS }, () =>
						ctx.cluster.webhook('queue-get-token', { count: ITEMS / EXECUTIONS }),
					),
				);
				const perWorker = {};
				let items = 0;
				for (const result of results) {
					if (result.status !== 200)
						assert.fail(
							`webhook answered ${result.status}: ${result.text}\n${await lastFailure(ctx.postgres, 'queueGetToken')}`,
						);
					assert.equal(result.body.withToken, ITEMS / EXECUTIONS, result.text);
					items += result.body.withToken;
					const worker = ctx.cluster.workerOf(result.body.execution) ?? 'unknown';
					perWorker[worker] = (perWorker[worker] ?? 0) + result.body.items;
				}
				const requests = await tokenRequests(server, since, client.client_id);
				const used = Object.keys(perWorker).filter((name) => name !== 'unknown');
				console.log(
					`    items per worker ${JSON.stringify(perWorker)}; token requests ${requests.length}; ${Math.round((Date.now() - since) / 100) / 10} s`,
				);
				assert.equal(items, ITEMS);
				assert.equal(
					used.length,
					2,
					`both workers should have run executions: ${JSON.stringify(perWorker)}`,
				);
				assert.equal(requests.length, used.length, 'token requests: one per worker');
			});
		},
	};
}
