import {
	InvalidResponseError,
	OAuthResponseError,
	parseTokenResponse,
	type HttpResponse,
} from '../../../protocol';

const json = (status: number, body: unknown, contentType = 'application/json'): HttpResponse => ({
	status,
	headers: { 'content-type': contentType },
	body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('token response parsing (RFC 6749 §5.1/§5.2)', () => {
	it('reads a JSON response and coerces a string expires_in', () => {
		const token = parseTokenResponse(
			json(200, { access_token: 'at', token_type: 'Bearer', expires_in: '3600' }),
		);
		expect(token.expires_in).toBe(3600);
		expect(token.access_token).toBe('at');
	});

	it('drops an unusable expires_in instead of producing NaN', () => {
		const token = parseTokenResponse(
			json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 'soon' }),
		);
		expect(token).not.toHaveProperty('expires_in');
	});

	it('reads a form-encoded body (GitHub default)', () => {
		const token = parseTokenResponse(
			json(
				200,
				'access_token=gho_x&scope=repo&token_type=bearer',
				'application/x-www-form-urlencoded',
			),
		);
		expect(token).toMatchObject({ access_token: 'gho_x', scope: 'repo', token_type: 'bearer' });
	});

	it('treats an error member on a 200 as an error (GitHub answers errors with 200)', () => {
		const response = json(
			200,
			'error=bad_verification_code&error_description=The+code+passed+is+incorrect',
			'application/x-www-form-urlencoded',
		);
		expect(() => parseTokenResponse(response)).toThrow(OAuthResponseError);
		expect(() => parseTokenResponse(response)).toThrow(
			'bad_verification_code: The code passed is incorrect',
		);
	});

	it('keeps status, error, description and vendor fields (Entra AADSTS)', () => {
		const body = {
			error: 'invalid_client',
			error_description: 'AADSTS7000215: Invalid client secret provided.',
			error_codes: [7000215],
			trace_id: 't',
			correlation_id: 'c',
		};
		try {
			parseTokenResponse(json(401, body));
			throw new Error('expected an error');
		} catch (error) {
			expect(error).toBeInstanceOf(OAuthResponseError);
			const e = error as OAuthResponseError;
			expect(e.status).toBe(401);
			expect(e.error).toBe('invalid_client');
			expect(e.vendorFields).toEqual({
				error_codes: [7000215],
				trace_id: 't',
				correlation_id: 'c',
			});
			expect(e.hint).toMatch(/client ID and secret/);
		}
	});

	it('explains an HTML page instead of failing on JSON.parse', () => {
		const response = json(
			200,
			'<!DOCTYPE html><html><body>Instance hibernating</body></html>',
			'text/html',
		);
		expect(() => parseTokenResponse(response)).toThrow(InvalidResponseError);
		expect(() => parseTokenResponse(response)).toThrow(/HTML page/);
	});

	it('rejects a success without access_token', () => {
		expect(() => parseTokenResponse(json(200, { token_type: 'Bearer' }))).toThrow(
			/without an "access_token"/,
		);
	});

	it('reports a non-OAuth error status clearly', () => {
		expect(() => parseTokenResponse(json(502, '', 'text/plain'))).toThrow(
			/HTTP 502 with an empty body/,
		);
	});
});
