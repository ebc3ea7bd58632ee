/** Client assertions from elsewhere: shape, expiry, size and where they may be sent (protocol/clientAuth/externalAssertion.ts). */
import {
	assertionSourceMaterial,
	attemptAsync,
	checkExternalAssertionTarget,
	obtainClientAssertion,
	OAuthConfigError,
	type ClientAssertionSource,
} from '../../../protocol';
import { expectNoSecrets } from '../../helpers/secrets';

const NOW = Date.UTC(2026, 0, 1);
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(claims: Record<string, unknown>): string {
	return [part({ alg: 'RS256' }), part(claims), 'c2lnbmF0dXJlLW9mLXRoZS1pc3N1ZXI'].join('.');
}
const valid = jwt({ aud: 'api://AzureADTokenExchange', exp: NOW / 1000 + 3600 });

async function failure(source: ClientAssertionSource): Promise<OAuthConfigError> {
	const outcome = await attemptAsync(async () => await obtainClientAssertion(source, NOW));
	if (outcome.ok) throw new Error('expected a refusal');
	expect(outcome.error).toBeInstanceOf(OAuthConfigError);
	return outcome.error as OAuthConfigError;
}

describe('obtainClientAssertion', () => {
	it('reads the file each time it is asked, trimmed, with the 64 KiB bound passed to the reader', async () => {
		const reads: number[] = [];
		const source: ClientAssertionSource = {
			kind: 'file',
			path: '/tokens/token',
			read: async (_path, maxBytes) => {
				reads.push(maxBytes);
				return `${valid}\n`;
			},
		};
		expect(await obtainClientAssertion(source, NOW)).toBe(valid);
		expect(await obtainClientAssertion(source, NOW)).toBe(valid);
		expect(reads).toEqual([65536, 65536]);
	});

	it.each([
		['two parts', 'abc.def'],
		['a header that is not JSON', 'bm90LWpzb24.e30.c2ln'],
		['a header without alg', `${part({ typ: 'JWT' })}.e30.c2ln`],
		['Bearer in front', `Bearer ${valid}`],
		['a PEM key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'],
	])('refuses %s, naming the field, without the value', async (_name, value) => {
		const error = await failure({ kind: 'value', value });
		expect(error.field).toBe('Client Assertion');
		expect(error.message).toMatch(/does not hold a signed JWT/);
		expectNoSecrets(error, [value]);
	});

	it('says when the assertion expired, and when; an assertion without exp is left to the server', async () => {
		const expired = jwt({ exp: NOW / 1000 - 1 });
		const error = await failure({ kind: 'file', path: '/t', read: async () => expired });
		expect(error.field).toBe('Client Assertion File');
		expect(error.message).toContain('expired at 2025-12-31T23:59:59.000Z');
		expectNoSecrets(error, [expired]);
		expect(await obtainClientAssertion({ kind: 'value', value: jwt({}) }, NOW)).toBe(jwt({}));
	});

	it('refuses an empty file, an empty value, a value over 64 KiB, and a file source with no reader (the HTTP Request node)', async () => {
		expect((await failure({ kind: 'file', path: '/t', read: async () => ' \n' })).message).toMatch(
			/is empty/,
		);
		expect((await failure({ kind: 'value', value: '' })).field).toBe('Client Assertion');
		expect(
			(await failure({ kind: 'value', value: `${valid}${'a'.repeat(65536)}` })).message,
		).toMatch(/64 KiB/);
		const noReader = await failure({ kind: 'file', path: '/t' });
		expect(noReader.field).toBe('Client Assertion Source');
		expect(noReader.hint).toMatch(/OAuth Token node/);
	});
});

describe('checkExternalAssertionTarget', () => {
	const context = { tokenEndpoint: 'https://login.example.com/tenant/token' };

	it('sends it to the token endpoint host only, unless its URL audience names the other host', () => {
		expect(() =>
			checkExternalAssertionTarget(valid, 'https://login.example.com/revoke', context),
		).not.toThrow();
		const error = (() => {
			try {
				checkExternalAssertionTarget(valid, 'https://evil.example.net/introspect', context);
			} catch (caught) {
				return caught as OAuthConfigError;
			}
			throw new Error('expected a refusal');
		})();
		expect(error.message).toMatch(
			/^Refused to send the client assertion to https:\/\/evil\.example\.net/,
		);
		expectNoSecrets(error, [valid]);
		const named = jwt({ aud: ['https://login.example.com', 'https://other.example.org'] });
		expect(() =>
			checkExternalAssertionTarget(named, 'https://other.example.org/introspect', context),
		).not.toThrow();
	});
});

describe('assertionSourceMaterial', () => {
	it('keys a file by its path (its content rotates), a value by the value', () => {
		const read = async () => valid;
		expect(assertionSourceMaterial({ kind: 'file', path: '/a', read })).toEqual(['file', '/a']);
		expect(assertionSourceMaterial({ kind: 'value', value: ` ${valid} ` })).toEqual([
			'value',
			valid,
		]);
	});
});
