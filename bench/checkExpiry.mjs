// Check Expiry throughput over the built package (dist/): the protocol core (checkExpiry +
// expiryReport: ISO dates in a named zone and the human phrase) and the node's execute path,
// against a naive luxon version (a zone looked up per item, fromISO, toRelative) measured in the
// same run. Rounds are interleaved so drift in the machine's load hits every contender alike;
// each contender's median round is reported.
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { fmt, median } from './stats.mjs';

const require = createRequire(import.meta.url);
const protocol = require('../dist/protocol/index.js');
const { OauthToken } = require('../dist/nodes/OauthToken/OauthToken.node.js');
const { DateTime, IANAZone } = require('luxon');

const ZONE = 'Asia/Tokyo';
const MARGIN_SECONDS = 300;
const GOAL_PER_SECOND = 200_000;

/** Deterministic pseudo-random numbers, so every run checks the same tokens. */
function random(seed) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const opaque = (rand, length = 40) =>
	Array.from({ length }, () => chars[Math.floor(rand() * chars.length)]).join('');
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (rand, exp) =>
	`${base64url({ alg: 'RS256', typ: 'at+jwt' })}.${base64url({ sub: opaque(rand, 8), exp, iat: exp - 3600 })}.${opaque(rand, 86)}`;

/** What a rotation workflow stores: Get Token's output, half of them with a refresh token. */
function getTokenSets(count, now) {
	const rand = random(1);
	const zone = protocol.zoneFor(ZONE);
	return Array.from({ length: count }, (_, i) => {
		// Obtained over the last two hours: a mix of valid, expiring and expired tokens.
		const obtainedAt = now - Math.floor(rand() * 7_200_000);
		const token = {
			access_token: opaque(rand),
			token_type: 'Bearer',
			expires_in: 3600,
			scope: 'api:read',
			obtained_at: protocol.toIso(obtainedAt, zone),
			expires_at: protocol.toIso(obtainedAt + 3_600_000, zone),
			expires_at_source: 'expires_in',
		};
		if (i % 2 === 0) {
			Object.assign(token, {
				refresh_token: opaque(rand),
				refresh_token_expires_at: protocol.toIso(
					obtainedAt + 86_400_000 * (1 + Math.floor(rand() * 90)),
					zone,
				),
				refresh_token_expires_at_source: 'refresh_expires_in',
			});
		}
		return token;
	});
}

/** The providers' own shapes, in rotation (see test/integration/checkExpiry.test.ts for their sources). */
function mixedTokenSets(count, now) {
	const rand = random(2);
	const shapes = [
		(t) => ({
			access_token: opaque(rand),
			token_type: 'Bearer',
			issued_at: String(t - 600_000),
			instance_url: 'https://example.my.salesforce.com',
		}),
		(t) => ({
			access_token: opaque(rand),
			refresh_token: opaque(rand),
			scope: 'useraccount',
			token_type: 'Bearer',
			expires_in: 1799,
			obtained_at: new Date(t).toISOString(),
		}),
		(t) => ({
			access_token: jwt(rand, Math.floor(t / 1000) + 3599),
			expires_in: '3599',
			expires_on: String(Math.floor(t / 1000) + 3599),
			token_type: 'Bearer',
		}),
		(t) => ({
			access_token: jwt(rand, Math.floor(t / 1000) + 300),
			expires_in: 300,
			refresh_expires_in: 1800,
			refresh_token: opaque(rand),
			token_type: 'Bearer',
			obtained_at: new Date(t).toISOString(),
		}),
		(t) => ({
			access_token: opaque(rand),
			expires_in: '28800',
			refresh_token: opaque(rand),
			refresh_token_expires_in: '15811200',
			token_type: 'bearer',
			obtained_at: new Date(t).toISOString(),
		}),
		(t) => ({ access_token: opaque(rand), expires_at: Math.floor(t / 1000) + 3600 }),
		(t) => ({ access_token: jwt(rand, Math.floor(t / 1000) + 900) }),
		() => ({ access_token: opaque(rand) }),
	];
	return Array.from({ length: count }, (_, i) =>
		shapes[i % shapes.length](now - Math.floor(rand() * 7_200_000)),
	);
}

const defaults = { accessTokenSeconds: 7200, refreshTokenSeconds: 8_640_000 };

/** The package's path: one check and one report per token. */
function optimized(tokens, now, zoneName) {
	const zone = protocol.zoneFor(zoneName);
	let needsRefresh = 0;
	for (const token of tokens) {
		const check = protocol.checkExpiry(token, { now, marginSeconds: MARGIN_SECONDS, defaults });
		const report = protocol.expiryReport(check, zone);
		if (report.needs_refresh) needsRefresh++;
	}
	return needsRefresh;
}

function naiveFigures(iso, nowDt, zone, source) {
	if (!iso)
		return {
			expires_at: null,
			seconds_left: null,
			expired: null,
			needs_refresh: null,
			human: 'unknown',
			source: 'unknown',
		};
	const expires = DateTime.fromISO(iso, { zone });
	const secondsLeft = Math.ceil(expires.diff(nowDt).as('seconds'));
	return {
		expires_at: expires.toISO(),
		seconds_left: secondsLeft,
		expired: secondsLeft <= 0,
		needs_refresh: secondsLeft <= MARGIN_SECONDS,
		human: expires.toRelative({ base: nowDt }),
		source,
	};
}

/**
 * How it is commonly written: the zone looked up per item (IANAZone.create, what `{ zone: 'Asia/Tokyo' }`
 * does; luxon caches the instance, not its offsets), luxon parsing and toRelative. Get Token shapes only.
 * (`new IANAZone(name)` per item would be slower still: it builds an Intl.DateTimeFormat to validate the name.)
 */
function naive(tokens, now, zoneName) {
	let needsRefresh = 0;
	for (const token of tokens) {
		const zone = IANAZone.create(zoneName);
		const nowDt = DateTime.fromMillis(now, { zone });
		const report = {
			checked_at: nowDt.toISO(),
			access_token: naiveFigures(token.expires_at, nowDt, zone, token.expires_at_source),
		};
		if (token.refresh_token)
			report.refresh_token = naiveFigures(
				token.refresh_token_expires_at,
				nowDt,
				zone,
				token.refresh_token_expires_at_source,
			);
		report.needs_refresh =
			report.access_token.needs_refresh || report.refresh_token?.needs_refresh === true;
		if (report.needs_refresh) needsRefresh++;
	}
	return needsRefresh;
}

/** The node's execute (router + operation) with a stand-in for n8n's context. */
async function throughNode(tokens, zoneName) {
	const items = tokens.map((json) => ({ json }));
	const parameters = {
		operation: 'checkExpiry',
		authentication: 'none',
		tokenInput: 'item',
		refreshMargin: MARGIN_SECONDS,
		treatUnknownAs: 'needsRefresh',
		options: {},
	};
	const context = {
		getInputData: () => items,
		getNode: () => ({
			id: 'bench',
			name: 'OAuth Token',
			type: 'oauthToken',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getTimezone: () => zoneName,
		continueOnFail: () => false,
		getNodeParameter: (name, _i, fallback) => parameters[name] ?? fallback,
	};
	const [, needsRefresh] = await new OauthToken().execute.call(context);
	return needsRefresh.length;
}

/** The two paths must agree on the figures before their speed means anything. */
function checkAgreement(tokens, now) {
	const zone = protocol.zoneFor(ZONE);
	for (const token of tokens.slice(0, 500)) {
		const ours = protocol.expiryReport(
			protocol.checkExpiry(token, { now, marginSeconds: MARGIN_SECONDS }),
			zone,
		);
		const nowDt = DateTime.fromMillis(now, { zone: IANAZone.create(ZONE) });
		const theirs = naiveFigures(
			token.expires_at,
			nowDt,
			IANAZone.create(ZONE),
			token.expires_at_source,
		);
		for (const field of ['expires_at', 'seconds_left', 'expired', 'needs_refresh', 'source']) {
			if (ours.access_token[field] !== theirs[field])
				throw new Error(
					`Naive and package disagree on ${field}: ${ours.access_token[field]} vs ${theirs[field]}`,
				);
		}
	}
}

async function timeRound(run, count) {
	// No forced gc() here: a full collection before a round resets feedback V8 has gathered and
	// measured a third of the steady-state speed.
	const start = performance.now();
	await run();
	return count / ((performance.now() - start) / 1000);
}

export async function runCheckExpiryBench({ count = 20_000, naiveCount = 4_000, runs = 7 } = {}) {
	const now = Date.now();
	const getTokenShaped = getTokenSets(count, now);
	const mixed = mixedTokenSets(count, now);
	checkAgreement(getTokenShaped, now);
	const contenders = {
		naive: {
			label: `naive luxon (zone per item, fromISO, toRelative), ${ZONE}, Get Token sets`,
			count: naiveCount,
			run: () => naive(getTokenShaped.slice(0, naiveCount), now, ZONE),
		},
		core: {
			label: `Check Expiry core (checkExpiry + expiryReport), ${ZONE}, Get Token sets`,
			count,
			run: () => optimized(getTokenShaped, now, ZONE),
		},
		coreMixed: {
			label: `Check Expiry core, ${ZONE}, mixed provider shapes (8 kinds, 2 of 8 JWTs)`,
			count,
			run: () => optimized(mixed, now, ZONE),
		},
		coreUtc: {
			label: 'Check Expiry core, UTC, Get Token sets',
			count,
			run: () => optimized(getTokenShaped, now, 'UTC'),
		},
		node: {
			label: `through the node's execute (router, stand-in context), ${ZONE}, Get Token sets`,
			count,
			run: async () => await throughNode(getTokenShaped, ZONE),
		},
	};
	// Warm-up: two untimed rounds each, so every path is compiled and every cache filled.
	for (const contender of Object.values(contenders))
		for (let i = 0; i < 2; i++) await contender.run();
	const rounds = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
	for (let r = 0; r < runs; r++) {
		for (const [name, contender] of Object.entries(contenders))
			rounds[name].push(await timeRound(contender.run, contender.count));
	}
	const perSecond = Object.fromEntries(
		Object.entries(rounds).map(([name, list]) => [name, median(list)]),
	);
	const lines = [
		`| scenario (median of ${runs} interleaved rounds) | tokens/s | µs per token | vs naive luxon |`,
		'|---|---|---|---|',
		...Object.entries(contenders).map(([name, contender]) => {
			const value = perSecond[name];
			return `| ${contender.label} | ${fmt(value)} | ${fmt(1e6 / value, 2)} | ${fmt(value / perSecond.naive, 1)}× |`;
		}),
		'',
		`Goal: at least ${fmt(GOAL_PER_SECOND)} tokens/s for the core with a named zone and the human phrase: ${perSecond.core >= GOAL_PER_SECOND ? 'met' : 'not met'} (${fmt(perSecond.core)}). ${count.toLocaleString('en-US')} tokens per round (naive: ${naiveCount.toLocaleString('en-US')}); Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end (other work on the machine lowers every row alike).`,
	];
	return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const table = await runCheckExpiryBench();
	console.log(table);
	await writeFile(new URL('./results/checkExpiry.md', import.meta.url), `${table}\n`);
}
