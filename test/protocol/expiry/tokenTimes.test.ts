import { SignJWT } from 'jose';

import { instantToMillis, tokenTimes, toIso, zoneFor } from '../../../protocol';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('token lifespans', () => {
	it.each([
		[
			'expires_in (oidc-provider)',
			{ access_token: 'a', expires_in: 3600 },
			{},
			T0 + 3_600_000,
			'expires_in',
		],
		[
			'expires_in as a string',
			{ access_token: 'a', expires_in: '1800' },
			{},
			T0 + 1_800_000,
			'expires_in',
		],
		[
			'Salesforce issued_at (ms) with the session timeout',
			{ access_token: 'a', issued_at: String(T0 - 60_000) },
			{ accessTokenSeconds: 7200 },
			T0 - 60_000 + 7_200_000,
			'issued_at+lifespan',
		],
		[
			'Entra v1 expires_on (epoch seconds string)',
			{ access_token: 'a', expires_on: String(T0 / 1000 + 3599) },
			{},
			T0 + 3_599_000,
			'expires_on',
		],
		[
			'ServiceNow with no expiry given, default lifespan',
			{ access_token: 'a' },
			{ accessTokenSeconds: 1800 },
			T0 + 1_800_000,
			'default_lifespan',
		],
		['nothing known', { access_token: 'a' }, {}, null, 'unknown'],
	])('%s', (_name, token, defaults, expected, source) => {
		const times = tokenTimes(token, T0, defaults);
		expect(times.accessExpiresAt).toBe(expected);
		expect(times.accessSource).toBe(source);
	});

	it('reads a JWT access token exp without verifying it, and labels it so', async () => {
		const jwt = await new SignJWT({})
			.setProtectedHeader({ alg: 'HS256' })
			.setExpirationTime(T0 / 1000 + 900)
			.sign(new Uint8Array(32));
		const times = tokenTimes({ access_token: jwt }, T0);
		expect(times).toMatchObject({
			accessExpiresAt: T0 + 900_000,
			accessSource: 'jwt_exp_unverified',
		});
	});

	it.each([
		[
			'Keycloak refresh_expires_in',
			{ refresh_expires_in: 1800 },
			{},
			T0 + 1_800_000,
			'refresh_expires_in',
		],
		['Keycloak offline token (0 = no expiry)', { refresh_expires_in: 0 }, {}, null, 'no_expiry'],
		[
			'GitHub refresh_token_expires_in',
			{ refresh_token_expires_in: 15_811_200 },
			{},
			T0 + 15_811_200_000,
			'refresh_token_expires_in',
		],
		[
			'ServiceNow default of 100 days',
			{},
			{ refreshTokenSeconds: 8_640_000 },
			T0 + 8_640_000_000,
			'default_lifespan',
		],
		['not known', {}, {}, null, 'unknown'],
	])('refresh token: %s', (_name, extra, defaults, expected, source) => {
		const times = tokenTimes(
			{ access_token: 'a', refresh_token: 'r', expires_in: 60, ...extra },
			T0,
			defaults,
		);
		expect(times.refreshExpiresAt).toBe(expected);
		expect(times.refreshSource).toBe(source);
	});

	it('reports no refresh expiry fields when there is no refresh token', () => {
		expect(tokenTimes({ access_token: 'a', expires_in: 60 }, T0).refreshSource).toBeNull();
	});

	it('tells epoch seconds, epoch milliseconds and ISO apart', () => {
		expect(instantToMillis(1_700_000_000)).toBe(1_700_000_000_000);
		expect(instantToMillis('1700000000000')).toBe(1_700_000_000_000);
		expect(instantToMillis('2026-11-21T12:00:00Z')).toBe(T0);
		expect(instantToMillis('not a date')).toBeUndefined();
	});

	it('formats in the workflow time zone', () => {
		expect(toIso(T0, zoneFor('Asia/Tokyo'))).toBe('2026-11-21T21:00:00.000+09:00');
		expect(toIso(T0, zoneFor('Not/AZone'))).toBe('2026-11-21T12:00:00.000+00:00');
	});
});
