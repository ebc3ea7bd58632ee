#!/usr/bin/env node
/**
 * `npm run test:mutation`: removes each protection in turn (an exact code fragment replaced by its
 * unprotected version), runs the jest files that should notice, and reports which mutants the
 * tests killed and which survived. Every file is restored afterwards, also on Ctrl-C.
 * Development only; too slow for CI (see README "Mutation check").
 *
 *   node scripts/mutation.mjs            all mutants
 *   node scripts/mutation.mjs loopback   only mutants whose id contains "loopback" (several: any)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** id, file, exact fragment, unprotected replacement, jest files that must fail. */
const MUTANTS = [
	// 1: audience replay
	{
		id: 'audience-binding-removed',
		file: 'protocol/clientAuth/assertion.ts',
		find: 'if (audienceAllows(aud, url, settings, context)) return;',
		replace: 'return;',
		tests: ['test/integration/hostileIssuer.test.ts'],
	},
	{
		id: 'client-assertion-binding-not-called',
		file: 'protocol/clientAuth/clientAuth.ts',
		find: 'checkAudienceBinding(\n\t\t\t\taud,',
		replace: 'void (\n\t\t\t\taud,',
		tests: ['test/integration/hostileIssuer.test.ts'],
	},
	{
		id: 'grant-assertion-binding-not-called',
		file: 'protocol/grants/tokenRequest.ts',
		find: 'checkAudienceBinding(audience, endpoints.tokenEndpoint, grant.assertion, context);',
		replace: '',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'issuer-audience-to-any-host',
		file: 'protocol/clientAuth/assertion.ts',
		find: 'if (context.issuerEndpoints?.includes(url)) return true;',
		replace: 'return true;',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'non-url-audience-to-any-host',
		file: 'protocol/clientAuth/assertion.ts',
		find: 'return audOrigin === undefined && originOf(context.tokenEndpoint) === target;',
		replace: 'return audOrigin === undefined;',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'auto-audience-is-token-endpoint',
		file: 'protocol/clientAuth/assertion.ts',
		find: 'return context.issuer ?? context.tokenEndpoint;',
		replace: 'return context.tokenEndpoint;',
		tests: ['test/integration/hostileIssuer.test.ts'],
	},
	{
		id: 'default-audience-token-endpoint',
		file: 'protocol/config/credentialData.ts',
		find: "(str(data, 'assertionAudience') || 'auto')",
		replace: "(str(data, 'assertionAudience') || 'tokenEndpoint')",
		tests: ['test/providers/keycloak.test.ts'],
	},
	// 2: token_type
	{
		id: 'token-type-unchecked',
		file: 'protocol/grants/tokenResponse.ts',
		find: "if (typeof value === 'string' && value.toLowerCase() === 'bearer') return value;",
		replace: "return typeof value === 'string' ? value : 'Bearer';",
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 3: discovery
	{
		id: 'discovery-issuer-unchecked',
		file: 'protocol/config/discovery.ts',
		find: 'if (body.issuer !== issuer) {',
		replace: 'if (false) {',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'discovery-issuer-slash-stripped',
		file: 'protocol/config/discovery.ts',
		find: 'if (body.issuer !== issuer) {',
		replace:
			"if (typeof body.issuer !== 'string' || body.issuer.replace(/\\/+$/, '') !== issuer.replace(/\\/+$/, '')) {",
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'discovery-any-content-type',
		file: 'protocol/config/discovery.ts',
		find: 'if (!JSON_CONTENT_TYPE.test(contentType)) {',
		replace: 'if (false) {',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'discovery-metadata-types-unchecked',
		file: 'protocol/config/discovery.ts',
		find: 'checkMetadata(url, response, body);',
		replace: '',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'discovered-token-endpoint-unchecked',
		file: 'protocol/config/endpoints.ts',
		find: "const tokenEndpoint = checkUrl(\n\t\t'Issuer URL (discovered token_endpoint)',\n\t\tmetadata.token_endpoint,\n\t\tallow,\n\t);",
		replace: 'const tokenEndpoint = metadata.token_endpoint;',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 4 and transport
	{
		id: 'url-userinfo-echoed',
		file: 'protocol/config/endpoints.ts',
		find: 'const shown = redactUrl(trimmed);',
		replace: 'const shown = trimmed;',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'url-userinfo-accepted',
		file: 'protocol/config/endpoints.ts',
		find: 'if (url.username || url.password) {\n\t\tthrow',
		replace: 'if (false) {\n\t\tthrow',
		tests: ['test/protocol/config/endpoints.test.ts'],
	},
	{
		id: 'loopback-anchors-removed',
		file: 'protocol/config/endpoints.ts',
		find: 'const LOOPBACK = /^(localhost|127(?:\\.\\d{1,3}){3}|\\[::1\\])$/i;',
		replace: 'const LOOPBACK = /(localhost|127(?:\\.\\d{1,3}){3}|\\[::1\\])/i;',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'plain-http-anywhere',
		file: 'protocol/config/endpoints.ts',
		find: "if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {",
		replace: 'if (false) {',
		tests: ['test/protocol/config/endpoints.test.ts'],
	},
	{
		id: 'redirects-followed',
		file: 'glue/send.ts',
		find: 'disableFollowRedirect: true,',
		replace: 'disableFollowRedirect: false,',
		tests: ['test/integration/redirectsAndTransport.test.ts'],
	},
	{
		id: 'n8n-transport-error-passed-on',
		file: 'glue/send.ts',
		find: ': transportError(endpoint, request, failureCause(error, deadline, cancelSignal));',
		replace: ': (error as Error);',
		tests: ['test/integration/redirectsAndTransport.test.ts'],
	},
	{
		id: 'transport-error-shows-whole-url',
		file: 'protocol/transport/transportErrors.ts',
		find: '`The request to ${new URL(request.url).origin} ${failureInWords(code)}.`',
		replace: '`The request to ${request.url} ${failureInWords(code)}.`',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 5: keys and algorithms
	{
		id: 'hmac-algorithm-unchecked',
		file: 'protocol/config/credentialData.ts',
		find: 'if (HMAC_ALGORITHMS.includes(value)) return value as HmacAlgorithm;',
		replace: 'return value as HmacAlgorithm;',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'hmac-key-length-unchecked',
		file: 'protocol/clientAuth/clientAuth.ts',
		find: "if (Buffer.byteLength(auth.clientSecret, 'utf8') < minBytes) {",
		replace: 'if (false) {',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'key-self-test-removed',
		file: 'protocol/clientAuth/keys.ts',
		find: 'if (!signsVerifiably(parsed.key, requested)) throw damagedKey();',
		replace: '',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'jwk-public-half-unchecked',
		file: 'protocol/clientAuth/keys.ts',
		find: "['n', 'e', 'x', 'y'].some((member) => member in record && record[member] !== derived[member])",
		replace: 'false',
		tests: ['test/protocol/fuzz.test.ts'],
	},
	{
		id: 'rsa-under-2048-bits',
		file: 'protocol/clientAuth/keys.ts',
		find: '(parsed.key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048',
		replace: 'false',
		tests: ['test/protocol/clientAuth/keys.test.ts'],
	},
	{
		id: 'jti-reused',
		file: 'protocol/clientAuth/assertion.ts',
		find: 'jti: randomUUID(),',
		replace: "jti: 'always-the-same',",
		tests: [
			'test/protocol/transport/retry.test.ts',
			'test/integration/lifecycleAuthMethods.test.ts',
		],
	},
	// 6: assertion lifetime
	{
		id: 'assertion-lifetime-unbounded',
		file: 'protocol/clientAuth/assertion.ts',
		find: 'if (seconds > MAX_ASSERTION_LIFETIME_SECONDS) {',
		replace: 'if (false) {',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 7: refresh single flight
	{
		id: 'refresh-flight-keyed-by-scope',
		file: 'protocol/grants/refreshToken.ts',
		find: 'const key = refreshKey(config, endpoints.tokenEndpoint, refresh);',
		replace: "const key = refreshKey(config, endpoints.tokenEndpoint, refresh) + (scope ?? '');",
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'refresh-flight-without-client-secret',
		file: 'protocol/grants/refreshToken.ts',
		find: 'clientAuthMaterial(config.auth),\n\t\t\t\trefreshToken,',
		replace: 'refreshToken,',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 8: revoke
	{
		id: 'revoke-any-2xx-body',
		file: 'protocol/grants/revokeToken.ts',
		find: 'if (!revocationAnswer(response))',
		replace: 'if (false)',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'revoke-error-on-200-ignored',
		file: 'protocol/grants/revokeToken.ts',
		find: "const explicitError = typeof body?.error === 'string' && body.error !== '';",
		replace: 'const explicitError = false;',
		tests: ['test/integration/faults.test.ts'],
	},
	// 9: bounded state
	{
		id: 'discovery-cache-unbounded',
		file: 'protocol/state/processState.ts',
		find: 'discovery: 1000,',
		replace: 'discovery: 1_000_000,',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'bounded-map-never-evicts',
		file: 'protocol/state/processState.ts',
		find: 'if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value as K);',
		replace: '',
		tests: ['test/protocol/hostileInput.test.ts', 'test/protocol/state/tokenCache.test.ts'],
	},
	{
		id: 'discovery-expired-kept',
		file: 'protocol/config/discovery.ts',
		find: 'dropExpired(now);',
		replace: '',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 10: cache keys
	{
		id: 'cache-key-nul-joined',
		file: 'protocol/grants/getToken.ts',
		find: 'clientAuthMaterial(config.auth),\n\t\t\t\tgrantMaterial(config),',
		replace: "[...clientAuthMaterial(config.auth), ...grantMaterial(config)].join('\\u0000'),",
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	{
		id: 'cache-key-without-secret',
		file: 'protocol/grants/getToken.ts',
		find: 'clientAuthMaterial(config.auth),\n\t\t\t\tgrantMaterial(config),',
		replace: '',
		tests: ['test/integration/getToken.test.ts'],
	},
	// 11: error descriptions
	{
		id: 'json-error-described-as-neither',
		file: 'protocol/transport/responseBody.ts',
		find: 'if (object) {',
		replace: 'if (false) {',
		tests: ['test/protocol/hostileInput.test.ts'],
	},
	// 12: provider rules, resource indicators, client assertions from elsewhere, token exchange
	{
		id: 'netsuite-rs256-allowed',
		file: 'protocol/providers/netsuite.ts',
		find: 'if (!ALGORITHMS.includes(key.alg)) {',
		replace: 'if (false) {',
		tests: ['test/providers/netsuite.test.ts'],
	},
	{
		id: 'netsuite-short-rsa-key-allowed',
		file: 'protocol/providers/netsuite.ts',
		find: "key.key.asymmetricKeyType === 'rsa' && bits < MIN_RSA_BITS",
		replace: 'false',
		tests: ['test/providers/netsuite.test.ts'],
	},
	{
		id: 'resource-fragment-allowed',
		file: 'protocol/config/resourceIndicators.ts',
		find: "if (value.includes('#')) return",
		replace: 'if (false) return',
		tests: ['test/protocol/grants/tokenExchange.test.ts', 'test/integration/tokenExchange.test.ts'],
	},
	{
		id: 'external-assertion-to-any-host',
		file: 'protocol/clientAuth/externalAssertion.ts',
		find: 'if (target !== undefined) {\n\t\tif (urlAudiences',
		replace: 'if (true) return;\n\tif (target !== undefined) {\n\t\tif (urlAudiences',
		tests: ['test/protocol/clientAuth/externalAssertion.test.ts'],
	},
	{
		id: 'external-assertion-url-audience-ignored',
		file: 'protocol/clientAuth/externalAssertion.ts',
		find: 'if (urlAudiences.length === 0 && target === originOf(context.tokenEndpoint)) return;',
		replace: 'if (target === originOf(context.tokenEndpoint)) return;',
		tests: ['test/protocol/clientAuth/externalAssertionTarget.test.ts'],
	},
	{
		id: 'assertion-file-read-unbounded',
		file: 'glue/assertionFile.ts',
		find: 'if (size > maxBytes) {',
		replace: 'if (false) {',
		tests: ['test/integration/perItem.test.ts'],
	},
	{
		id: 'actor-token-without-type-sent',
		file: 'protocol/grants/tokenExchange.ts',
		find: 'if (grant.actorToken && !grant.actorTokenType)',
		replace: 'if (false)',
		tests: ['test/protocol/grants/tokenExchange.test.ts'],
	},
	{
		id: 'exchange-cache-ignores-subject-token',
		file: 'protocol/grants/getToken.ts',
		find: 'sha256(grant.subjectToken),',
		replace: "'',",
		tests: ['test/protocol/grants/tokenExchange.test.ts', 'test/integration/tokenExchange.test.ts'],
	},
	{
		id: 'per-item-empty-value-falls-back',
		file: 'nodes/OauthToken/actions/getToken.operation.ts',
		find: "if (value === undefined || value === null || String(value).trim() === '')",
		replace: 'if (false)',
		tests: ['test/integration/perItem.test.ts', 'test/integration/tokenExchange.test.ts'],
	},
	{
		id: 'per-item-tenant-on-any-provider',
		file: 'protocol/config/itemOverrides.ts',
		find: 'if (!field)\n\t\t\tthrow',
		replace: 'if (false)\n\t\t\tthrow',
		tests: ['test/integration/perItem.test.ts'],
	},
];

const filters = process.argv.slice(2);
const selected = MUTANTS.filter(
	(mutant) => filters.length === 0 || filters.some((filter) => mutant.id.includes(filter)),
);
const originals = new Map();

function restoreAll() {
	for (const [file, text] of originals) writeFileSync(join(root, file), text);
	originals.clear();
}
process.on('SIGINT', () => {
	restoreAll();
	process.exit(130);
});

function runJest(tests) {
	const result = spawnSync(
		process.execPath,
		[join(root, 'node_modules/jest/bin/jest.js'), '--bail', '--silent', ...tests],
		{ cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' } },
	);
	return { passed: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}

const started = Date.now();
const results = [];
try {
	// The tests must pass unmutated, or every mutant would look killed.
	const allTests = [...new Set(selected.flatMap((mutant) => mutant.tests))];
	const baseline = runJest(allTests);
	if (!baseline.passed) {
		process.stderr.write(baseline.output);
		throw new Error('The tests fail without any mutant; fix them first.');
	}
	for (const mutant of selected) {
		const path = join(root, mutant.file);
		const text = readFileSync(path, 'utf8');
		const count = text.split(mutant.find).length - 1;
		if (count !== 1) {
			results.push({ ...mutant, outcome: `stale (fragment found ${count} times)` });
			continue;
		}
		originals.set(mutant.file, text);
		writeFileSync(
			path,
			text.replace(mutant.find, () => mutant.replace),
		);
		const t0 = Date.now();
		const { passed } = runJest(mutant.tests);
		restoreAll();
		const outcome = passed ? 'SURVIVED' : 'killed';
		results.push({ ...mutant, outcome, seconds: (Date.now() - t0) / 1000 });
		process.stdout.write(`${outcome.padEnd(8)} ${mutant.id} (${mutant.file})\n`);
	}
} finally {
	restoreAll();
}

const killed = results.filter((r) => r.outcome === 'killed').length;
const survived = results.filter((r) => r.outcome === 'SURVIVED');
const stale = results.filter((r) => r.outcome.startsWith('stale'));
const minutes = ((Date.now() - started) / 60000).toFixed(1);
process.stdout.write(
	`\n${killed} of ${results.length} mutants killed, ${survived.length} survived, ${stale.length} stale; ${minutes} min\n`,
);
for (const r of [...survived, ...stale])
	process.stdout.write(`  ${r.outcome}: ${r.id} (${r.file})\n`);
process.exitCode = survived.length || stale.length ? 1 : 0;
