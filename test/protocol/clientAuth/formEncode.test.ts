import { basicAuthorization, formUrlEncode } from '../../../protocol';

describe('client_secret_basic encoding (RFC 6749 §2.3.1, Appendix B)', () => {
	it('encodes the PingAM worked example: secret "s=cr%t" travels as s%3Dcr%25t', () => {
		// PingAM leaves "." as is; Appendix B (HTML 4 forms) encodes every non-alphanumeric, as oauth4webapi does.
		expect(
			Buffer.from(basicAuthorization('example.com', 's=cr%t').slice(6), 'base64').toString(),
		).toBe('example%2Ecom:s%3Dcr%25t');
	});

	it('form-encodes every character that could break the user:password split or be decoded differently', () => {
		expect(formUrlEncode("a+b %c:d=e/f'g(h)i!j*k~l-m_n.o")).toBe(
			'a%2Bb+%25c%3Ad%3De%2Ff%27g%28h%29i%21j%2Ak%7El%2Dm%5Fn%2Eo',
		);
	});

	it('keeps the raw form available for servers that do not decode', () => {
		const header = basicAuthorization('id:1', 'p+w', 'raw');
		expect(Buffer.from(header.slice(6), 'base64').toString()).toBe('id:1:p+w');
	});

	it('round-trips through a form decoder for any unicode id and secret', () => {
		const samples = ['plain', 'with space', 'ü+é%/=:', "'()*!~", '日本語のシークレット'];
		for (const id of samples) {
			for (const secret of samples) {
				const decoded = Buffer.from(basicAuthorization(id, secret).slice(6), 'base64').toString();
				const [user, pass] = decoded.split(':');
				expect(decodeURIComponent(user.replace(/\+/g, ' '))).toBe(id);
				expect(decodeURIComponent(pass.replace(/\+/g, ' '))).toBe(secret);
			}
		}
	});
});
