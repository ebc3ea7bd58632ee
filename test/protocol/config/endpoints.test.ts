import { checkUrl } from '../../../protocol';
import { expectConfigError } from '../../helpers/errors';

describe('endpoint URL checks (before any request)', () => {
	it('accepts https anywhere and http only on this machine', () => {
		expect(checkUrl('Token URL', ' https://as.example.com/token ')).toBe(
			'https://as.example.com/token',
		);
		for (const local of [
			'http://127.0.0.1:8080/token',
			'http://localhost/token',
			'http://[::1]:9/token',
		])
			expect(checkUrl('Token URL', local)).toBe(local);
	});

	it('refuses plain http to another host unless explicitly allowed, and says why', () => {
		const error = expectConfigError(() => checkUrl('Token URL', 'http://as.example.com/token'));
		expect(error.field).toBe('Token URL');
		expect(error.message).toMatch(/unencrypted/);
		expect(error.hint).toMatch(/Allow Insecure HTTP/);
		expect(checkUrl('Token URL', 'http://as.example.com/token', true)).toBe(
			'http://as.example.com/token',
		);
	});

	it('refuses non-URLs, other schemes and credentials in the URL', () => {
		expect(expectConfigError(() => checkUrl('Token URL', 'as.example.com/token')).message).toMatch(
			/not a valid URL/,
		);
		expect(
			expectConfigError(() => checkUrl('Token URL', 'ftp://as.example.com/token')).message,
		).toMatch(/https/);
		expect(
			expectConfigError(() => checkUrl('Token URL', 'https://user:pw@as.example.com/token'))
				.message,
		).toMatch(/user name or password/);
	});
});
