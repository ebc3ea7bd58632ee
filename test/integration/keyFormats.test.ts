/** Every supported key format signs an assertion the real test server accepts. */
import { sharedTokenCache, clientConfigFromCredential, getToken } from '../../protocol';
import { realSend } from '../helpers/realSend';
import { loadTestServer, resetServerLog, serverRequests } from '../server/fixtures';

const server = loadTestServer();
const { privateKeyJwt } = server.fixtures.clients;
const rs = privateKeyJwt.RS256;

async function tokenWith(data: Record<string, unknown>) {
	const config = clientConfigFromCredential('privateKeyJwt', {
		endpointMode: 'manual',
		tokenUrl: server.tokenEndpoint,
		grantType: 'clientCredentials',
		algorithm: 'auto',
		...data,
	});
	return await getToken(config, realSend(), { forceNew: true });
}

beforeEach(async () => {
	sharedTokenCache.clear();
	await resetServerLog();
});

describe('key formats accepted by the server', () => {
	it.each([
		['RSA PKCS#8', () => ({ clientId: rs.client_id, privateKey: rs.pkcs8Pem })],
		['RSA PKCS#1', () => ({ clientId: rs.client_id, privateKey: rs.pkcs1Pem })],
		[
			'encrypted PKCS#8 with passphrase',
			() => ({
				clientId: rs.client_id,
				privateKey: rs.encryptedPkcs8Pem,
				passphrase: rs.passphrase,
			}),
		],
		['private JWK', () => ({ clientId: rs.client_id, privateKey: JSON.stringify(rs.jwk) })],
		[
			'PEM pasted as one line with literal \\n',
			() => ({ clientId: rs.client_id, privateKey: (rs.pkcs8Pem as string).replace(/\n/g, '\\n') }),
		],
		[
			'Google service-account JSON key',
			() => ({ clientId: rs.client_id, privateKey: rs.googleServiceAccountJson }),
		],
		[
			'EC SEC1',
			() => ({ clientId: privateKeyJwt.ES256.client_id, privateKey: privateKeyJwt.ES256.sec1Pem }),
		],
		[
			'Ed25519 PKCS#8',
			() => ({ clientId: privateKeyJwt.EdDSA.client_id, privateKey: privateKeyJwt.EdDSA.pkcs8Pem }),
		],
		[
			'RSA-PSS with PS256',
			() => ({
				clientId: privateKeyJwt.PS256.client_id,
				privateKey: privateKeyJwt.PS256.pkcs1Pem ?? privateKeyJwt.PS256.pkcs8Pem,
				algorithm: 'PS256',
			}),
		],
	])('%s', async (_name, data) => {
		const result = await tokenWith(data());
		expect(result.token.access_token).toBeTruthy();
		const [request] = await serverRequests();
		expect(request.status).toBe(200);
	});

	it.each(['x5t', 'x5t#S256'] as const)(
		'sends the %s certificate thumbprint header (Microsoft Entra ID)',
		async (header) => {
			await tokenWith({
				clientId: rs.client_id,
				privateKey: rs.pkcs8Pem,
				thumbprintHeader: header,
				publicCertificate: rs.certificatePem,
			});
			const [request] = await serverRequests();
			expect(request.status).toBe(200);
			expect(request.clientAssertion?.header[header]).toBe(header === 'x5t' ? rs.x5t : rs.x5tS256);
		},
	);

	it('JWT bearer grant with a Google service-account key: iss is the service-account email, scope can be a claim', async () => {
		const result = await tokenWith({
			privateKey: rs.googleServiceAccountJson,
			grantType: 'jwtBearer',
			clientAuthentication: 'none',
			subject: server.fixtures.users.alice.username,
			scope: 'api:read',
			scopeInClaim: true,
		});
		expect(result.token.access_token).toBeTruthy();
		const [request] = await serverRequests();
		expect(request.assertion?.payload).toMatchObject({
			iss: rs.serviceAccountEmail,
			scope: 'api:read',
		});
		expect(request.bodyKeys).not.toContain('scope');
	});

	it('10 assertions in a row carry 10 different jti values', async () => {
		for (let i = 0; i < 10; i++)
			await tokenWith({ clientId: rs.client_id, privateKey: rs.pkcs8Pem });
		const jtis = (await serverRequests()).map((r) => r.clientAssertion?.payload.jti);
		expect(new Set(jtis).size).toBe(10);
	});
});
