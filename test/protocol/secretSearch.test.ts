/**
 * The leak search every failure-path test relies on (test/helpers/secrets.ts) must find a secret
 * in each form it can leave in: otherwise a leaked Basic header or key would pass those tests.
 */
import { generateKeyPairSync } from 'node:crypto';

import {
	basicAuthorization,
	clientConfigFromCredential,
	formUrlEncode,
	getToken,
	OAuthTransportError,
	TokenCache,
	withItemTokens,
	type HttpResponse,
	type HttpSend,
	type TokenResult,
} from '../../protocol';
import { captureConsole, expectNoSecrets, findSecret } from '../helpers/secrets';

const secret = ["s3cr+t %41:=/'(", 'x y'].join(' ');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const jwk = privateKey.export({ format: 'jwk' });
// A client assertion signed elsewhere: a bearer secret n8n sends but never shows.
const assertion = [
	Buffer.from('{"alg":"RS256"}').toString('base64url'),
	Buffer.from('{"iss":"https://oidc.example","sub":"system:serviceaccount:a:b"}').toString(
		'base64url',
	),
	Buffer.from(pem.slice(40, 296)).toString('base64url'),
].join('.');

const carriers: [string, (text: string) => unknown][] = [
	['a message', (text) => new Error(`failed: ${text}`)],
	['a description', (text) => Object.assign(new Error('x'), { description: text })],
	['a cause', (text) => new Error('x', { cause: new Error(text) })],
	['a serialised error', (text) => ({ toJSON: () => ({ detail: text }) })],
	['an output item', (text) => [{ json: { nested: { value: text } } }]],
];

describe('the secret search', () => {
	const forms: [string, string, string][] = [
		['raw', secret, secret],
		['URL-encoded', secret, encodeURIComponent(secret)],
		['form-encoded', secret, new URLSearchParams({ s: secret }).toString().slice(2)],
		['RFC 6749 form-encoded', secret, formUrlEncode(secret)],
		['JSON-escaped', secret, JSON.stringify(secret)],
		['base64', secret, Buffer.from(secret).toString('base64')],
		['base64url', secret, Buffer.from(secret).toString('base64url')],
		['a strict Basic header', secret, basicAuthorization('any-client', secret, 'strict')],
		['a raw Basic header', secret, basicAuthorization('another', secret, 'raw')],
		['one PEM line', pem, pem.split('\n')[7]],
		['a JWK "d"', pem, String(jwk.d)],
		['a JWK "p" of a JWK secret', JSON.stringify(jwk), String(jwk.p)],
		['a client assertion', assertion, assertion],
		['a client assertion in a form body', assertion, `client_assertion=${assertion}&x=1`],
		['the signature of a client assertion', assertion, assertion.split('.')[2]],
	];
	const cases = forms.flatMap(([form, value, leaked]) =>
		carriers.map(([where, carry]) => [form, where, value, carry(leaked)] as const),
	);

	it.each(cases)('finds %s in %s', (_form, _where, value, carrier) => {
		expect(findSecret(carrier, [value])).toBeDefined();
	});

	it('finds a secret in a stack only', () => {
		const error = new OAuthTransportError('token', 'x');
		error.stack = `Error: x\n    at ${secret}`;
		expect(findSecret(error, [secret])).toBeDefined();
	});

	it('finds a secret written to the console or stdout', async () => {
		const { output } = await captureConsole(async () => {
			globalThis.console.warn('request', {
				headers: { authorization: basicAuthorization('c', secret, 'strict') },
			});
			process.stdout.write(`body client_secret=${formUrlEncode(secret)}\n`);
		});
		expect(findSecret(output, [secret])).toBeDefined();
		const stdoutOnly = await captureConsole(async () => {
			process.stdout.write(`body client_secret=${formUrlEncode(secret)}\n`);
		});
		expect(findSecret(stdoutOnly.output, [secret])).toBeDefined();
	});

	it('does not cry wolf on unrelated text', () => {
		expect(
			findSecret(new Error('The token endpoint refused the request: invalid_client'), [
				secret,
				pem,
			]),
		).toBeUndefined();
	});
});

describe('token exchange: the subject and actor tokens are secrets too', () => {
	const subject = `subj+/=${'s'.repeat(24)}`;
	const actor = `act %2F${'a'.repeat(24)}`;
	const config = withItemTokens(
		clientConfigFromCredential('clientSecret', {
			endpointMode: 'manual',
			tokenUrl: 'https://as.example/token',
			clientId: 'c',
			clientSecret: 'client-secret-value',
			clientAuthentication: 'client_secret_post',
			grantType: 'tokenExchange',
			subjectTokenType: 'access_token',
			actorTokenType: 'jwt',
		}),
		{ subjectToken: subject, actorToken: actor },
	);
	const answers: [string, HttpSend][] = [
		[
			'a refused connection',
			async () => {
				throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
			},
		],
		[
			'an HTML page',
			async () => ({
				status: 502,
				headers: { 'content-type': 'text/html' },
				body: '<html>x</html>',
			}),
		],
		[
			'an OAuth error',
			async (): Promise<HttpResponse> => ({
				status: 400,
				headers: { 'content-type': 'application/json' },
				body: '{"error":"invalid_target"}',
			}),
		],
	];

	it.each(answers)('none leaks through %s, into the error or the console', async (_name, send) => {
		const { error, output } = await captureConsole(
			async () =>
				await getToken(config, send, { cache: new TokenCache<TokenResult>({ maxEntries: 1 }) }),
		);
		expect(error).toBeInstanceOf(Error);
		expectNoSecrets([error, output], [subject, actor]);
	});
});
