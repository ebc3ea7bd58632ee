/**
 * the NetSuite Test button URL (credentials/shared/bearerToken.ts
 * AUTH_SERVER_URL) rebuilds the host from "Account ID" on its own, without the core's parsing
 * (protocol/providers/netsuite.ts netsuiteAccountHost). For an Account ID the core accepts, the
 * Test button's request, which n8n sends with the Bearer token just obtained, must go to the
 * host the token came from.
 */
import { runInNewContext } from 'node:vm';

import { credentialTestRequest } from '../../credentials/shared/bearerToken';
import { PRESETS } from '../../protocol';

function testUrl(credentials: Record<string, unknown>): string {
	const url = credentialTestRequest.request.url ?? '';
	const body = /^=\{\{ ([\s\S]*) \}\}$/.exec(url)?.[1];
	if (!body) throw new Error(`not an expression: ${url}`);
	return runInNewContext(body, { $credentials: credentials, String }) as string;
}

it.each([
	// A pasted URL, which the core documents as accepted.
	'https://1234567.app.netsuite.com',
	// A backslash: the core reads the account 1234567; WHATWG URL parsing (axios) reads the host before it.
	'1234567.attacker.example\\.netsuite.com',
])('Account ID %p: the Test button request goes to the token host', (accountId) => {
	const data = { provider: 'netsuite', netsuiteAccountId: accountId };
	const tokenUrl = PRESETS.netsuite.settings(data).endpoints.tokenUrl ?? '';
	expect(new URL(tokenUrl).hostname).toBe('1234567.suitetalk.api.netsuite.com');
	expect(new URL(testUrl(data)).hostname).toBe(new URL(tokenUrl).hostname);
});
