/**
 * The Test button's own request (after n8n's preAuthentication got a token): it goes to the
 * authorization server of each provider preset. The URL is an n8n expression; here its body is
 * evaluated as plain JavaScript (real n8n evaluates the Generic case in e2e/suites/proxy.mjs).
 */
import { runInNewContext } from 'node:vm';

import { credentialTestRequest } from '../../credentials/shared/bearerToken';

function testUrl(credentials: Record<string, unknown>): string {
	const url = credentialTestRequest.request.url ?? '';
	const body = /^=\{\{ ([\s\S]*) \}\}$/.exec(url)?.[1];
	if (!body) throw new Error(`not an expression: ${url}`);
	return runInNewContext(body, { $credentials: credentials, String }) as string;
}

describe('the Test button request', () => {
	it.each([
		[
			{ provider: 'generic', endpointMode: 'manual', tokenUrl: 'https://a.example/token' },
			'https://a.example/token',
		],
		[
			{ provider: 'generic', endpointMode: 'discovery', issuerUrl: 'https://a.example' },
			'https://a.example',
		],
		[{ endpointMode: 'manual', tokenUrl: 'http://127.0.0.1:1/token' }, 'http://127.0.0.1:1/token'],
		[
			{ provider: 'salesforce', salesforceEnvironment: 'production' },
			'https://login.salesforce.com',
		],
		[{ provider: 'salesforce', salesforceEnvironment: 'sandbox' }, 'https://test.salesforce.com'],
		[
			{
				provider: 'salesforce',
				salesforceEnvironment: 'myDomain',
				salesforceMyDomainUrl: 'acme.my.salesforce.com',
			},
			'https://acme.my.salesforce.com',
		],
		[
			{ provider: 'servicenow', servicenowInstance: 'dev12345' },
			'https://dev12345.service-now.com',
		],
		[
			{ provider: 'servicenow', servicenowInstance: 'https://x.service-now.com' },
			'https://x.service-now.com',
		],
		[{ provider: 'entra', entraTenant: 't' }, 'https://login.microsoftonline.com'],
		[{ provider: 'google' }, 'https://oauth2.googleapis.com'],
		[{ provider: 'okta', oktaDomain: 'dev-1.okta.com' }, 'https://dev-1.okta.com'],
		[{ provider: 'auth0', auth0Domain: 'https://t.eu.auth0.com' }, 'https://t.eu.auth0.com'],
		[
			{ provider: 'keycloak', keycloakBaseUrl: 'https://sso.example.com' },
			'https://sso.example.com',
		],
		[
			{ provider: 'netsuite', netsuiteAccountId: '1234567_SB1' },
			'https://1234567-sb1.suitetalk.api.netsuite.com',
		],
	])('%j → %s', (credentials, expected) => {
		expect(testUrl(credentials)).toBe(expected);
	});

	it('passes on any HTTP answer: the token request before it is the test', () => {
		expect(credentialTestRequest.request).toMatchObject({
			method: 'GET',
			ignoreHttpStatusErrors: true,
		});
	});
});
