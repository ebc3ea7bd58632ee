/**
 * where a client assertion from elsewhere is sent. README ("Assertion audience
 * (CVE-2025-27370)"): an assertion is never sent to a host other than the one its audience names.
 * An assertion whose `aud` is a URL of another server must not go to this token endpoint, which
 * could replay it there (only a non-URL audience, like Entra's api://AzureADTokenExchange, is
 * bound to the token endpoint's host).
 */
import {
	attemptAsync,
	clientConfigFromCredential,
	getToken,
	OAuthConfigError,
	TokenCache,
	type TokenResult,
} from '../../../protocol';
import { scriptedSend, TOKEN_ISSUED } from '../../helpers/scriptedSend';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const assertionFor = (aud: string) =>
	[
		part({ alg: 'RS256', kid: 'k8s' }),
		part({ iss: 'https://k8s.example', sub: 'system:serviceaccount:ns:sa', aud, exp: 4102444800 }),
		'c2lnbmF0dXJlLW9mLXRoZS1pc3N1ZXI',
	].join('.');

it('an assertion whose URL audience is another server (https://sso.acme.example) is not sent to https://other-as.example', async () => {
	const { send, requests } = scriptedSend(TOKEN_ISSUED);
	const config = clientConfigFromCredential('privateKeyJwt', {
		formVersion: 2,
		endpointMode: 'manual',
		tokenUrl: 'https://other-as.example/token',
		clientId: 'client',
		grantType: 'clientCredentials',
		clientAssertionOrigin: 'elsewhere',
		clientAssertionSource: 'value',
		clientAssertionValue: assertionFor('https://sso.acme.example/realms/acme'),
	});
	const outcome = await attemptAsync(
		async () =>
			await getToken(config, send, { cache: new TokenCache<TokenResult>({ maxEntries: 10 }) }),
	);
	expect(requests).toHaveLength(0);
	expect(outcome.ok).toBe(false);
	if (!outcome.ok) expect(outcome.error).toBeInstanceOf(OAuthConfigError);
});
