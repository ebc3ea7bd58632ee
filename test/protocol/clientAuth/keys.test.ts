import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';

import { importSigningKey, normalizePem, signAssertion } from '../../../protocol';
import { expectConfigError } from '../../helpers/errors';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const small = generateKeyPairSync('rsa', { modulusLength: 1024 });

describe('private key import', () => {
	it('repairs a PEM pasted into a one-line field (literal \\n, lost line breaks)', () => {
		const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
		const flattened = pem.replace(/\n/g, '\\n');
		const oneLine = pem.replace(/\n/g, ' ');
		expect(normalizePem(flattened)).toBe(pem);
		expect(normalizePem(oneLine)).toBe(pem);
		expect(importSigningKey({ privateKey: oneLine, algorithm: 'auto' }).alg).toBe('RS256');
	});

	it('picks the algorithm from an EC key and refuses one that does not match it', () => {
		const pem = ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
		expect(importSigningKey({ privateKey: pem, algorithm: 'auto' }).alg).toBe('ES384');
		const error = expectConfigError(() =>
			importSigningKey({ privateKey: pem, algorithm: 'RS256' }),
		);
		expect(error.field).toBe('Algorithm');
		expect(error.message).toMatch(
			/RS256 does not match the key: this is an EC key on curve secp384r1, which signs with ES384/,
		);
	});

	it('refuses RSA keys under 2048 bits', () => {
		const pem = small.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
		expect(
			expectConfigError(() => importSigningKey({ privateKey: pem, algorithm: 'auto' })).message,
		).toMatch(/1024 bits; at least 2048/);
	});

	it('asks for the passphrase of an encrypted key, and says when it is wrong', () => {
		const pem = rsa.privateKey.export({
			type: 'pkcs8',
			format: 'pem',
			cipher: 'aes-256-cbc',
			passphrase: 'right horse',
		}) as string;
		expect(
			expectConfigError(() => importSigningKey({ privateKey: pem, algorithm: 'auto' })).field,
		).toBe('Passphrase');
		const wrong = expectConfigError(() =>
			importSigningKey({ privateKey: pem, passphrase: 'wrong', algorithm: 'auto' }),
		);
		expect(wrong.message).toMatch(/could not be decrypted/);
		expect(wrong.message).not.toContain('wrong');
		expect(
			importSigningKey({ privateKey: pem, passphrase: 'right horse', algorithm: 'PS256' }).alg,
		).toBe('PS256');
	});

	it('explains a public key or a public JWK pasted by mistake', () => {
		const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
		expect(
			expectConfigError(() => importSigningKey({ privateKey: spki, algorithm: 'auto' })).message,
		).toMatch(/public key/);
		const jwk = JSON.stringify(rsa.publicKey.export({ format: 'jwk' }));
		expect(
			expectConfigError(() => importSigningKey({ privateKey: jwk, algorithm: 'auto' })).message,
		).toMatch(/public key/);
	});

	it('reads kid and alg from a private JWK and signs a verifiable assertion', async () => {
		const jwk = { ...(ec.privateKey.export({ format: 'jwk' }) as object), kid: 'ec-key-1' };
		const key = importSigningKey({ privateKey: JSON.stringify(jwk), algorithm: 'auto' });
		expect(key.kid).toBe('ec-key-1');
		const jwt = await signAssertion(
			{ iss: 'c', sub: 'c', aud: 'a', exp: 2e9 },
			{ kind: 'key', key },
		);
		expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES384', typ: 'JWT', kid: 'ec-key-1' });
		const [h, p, s] = jwt.split('.');
		expect(
			verify(
				'sha384',
				Buffer.from(`${h}.${p}`),
				{ key: createPublicKey(ec.privateKey), dsaEncoding: 'ieee-p1363' },
				Buffer.from(s, 'base64url'),
			),
		).toBe(true);
	});

	it('takes a whole Google service-account key file', () => {
		const file = JSON.stringify({
			type: 'service_account',
			private_key_id: 'abc123',
			private_key: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }),
			client_email: 'robot@project.iam.gserviceaccount.com',
			token_uri: 'https://oauth2.googleapis.com/token',
		});
		const key = importSigningKey({ privateKey: file, algorithm: 'auto' });
		expect(key).toMatchObject({
			alg: 'RS256',
			kid: 'abc123',
			serviceAccount: {
				clientEmail: 'robot@project.iam.gserviceaccount.com',
				tokenUri: 'https://oauth2.googleapis.com/token',
			},
		});
	});

	it('never puts key material in an error message', () => {
		const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
		const broken = pem.slice(0, 200) + '!!!' + pem.slice(203);
		const error = expectConfigError(() =>
			importSigningKey({ privateKey: broken, algorithm: 'auto' }),
		);
		const body = pem.split('\n')[1];
		expect(`${error.message} ${error.hint}`).not.toContain(body.slice(0, 20));
	});
});
