// Key material for the test authorization server, generated fresh at every start (nothing is
// committed). Each private_key_jwt client gets its private key in every format the package imports.
import { createHash, generateKeyPair, randomBytes, sign, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';

import { calculateJwkThumbprint } from 'jose';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * @typedef {'RS256' | 'PS256' | 'ES256' | 'EdDSA'} PrivateKeyJwtAlg
 *
 * @typedef {object} PrivateKeyFixture
 * @property {string} client_id
 * @property {string} kid
 * @property {PrivateKeyJwtAlg} alg
 * @property {string} pkcs8Pem            -----BEGIN PRIVATE KEY-----
 * @property {Record<string, unknown>} jwk        private JWK, with kid and alg
 * @property {Record<string, unknown>} publicJwk  exactly what the client has registered in `jwks`
 * @property {string} [pkcs1Pem]          RSA only: -----BEGIN RSA PRIVATE KEY-----
 * @property {string} [encryptedPkcs8Pem] RS256 only: -----BEGIN ENCRYPTED PRIVATE KEY----- (aes-256-cbc)
 * @property {string} [passphrase]        RS256 only
 * @property {string} [certificatePem]    RSA only: self-signed X.509 certificate of the key
 * @property {string} [x5t]               RSA only: base64url SHA-1 thumbprint of the certificate
 * @property {string} [x5tS256]           RSA only: base64url SHA-256 thumbprint of the certificate
 * @property {string} [serviceAccountEmail]      RS256 only
 * @property {string} [googleServiceAccountJson] RS256 only: a Google-style service-account key file
 * @property {string} [sec1Pem]           ES256 only: -----BEGIN EC PRIVATE KEY-----
 */

/** @type {Record<PrivateKeyJwtAlg, { client_id: string, type: 'rsa' | 'ec' | 'ed25519' }>} */
export const PRIVATE_KEY_JWT_CLIENTS = {
	RS256: { client_id: 'pkjwt-rs256', type: 'rsa' },
	PS256: { client_id: 'pkjwt-ps256', type: 'rsa' },
	ES256: { client_id: 'pkjwt-es256', type: 'ec' },
	EdDSA: { client_id: 'pkjwt-eddsa', type: 'ed25519' },
};

/** Printable, URL-unsafe characters on purpose, so form-encoding mistakes show up. */
export function randomSecret(bytes = 32) {
	return randomBytes(bytes).toString('base64');
}

/**
 * @param {PrivateKeyJwtAlg} alg
 * @param {{ tokenEndpoint: string }} context
 * @returns {Promise<PrivateKeyFixture>}
 */
export async function generatePrivateKeyFixture(alg, { tokenEndpoint }) {
	const { client_id: clientId, type } = PRIVATE_KEY_JWT_CLIENTS[alg];
	const { privateKey, publicKey } =
		type === 'rsa'
			? await generateKeyPairAsync('rsa', { modulusLength: 2048 })
			: type === 'ec'
				? await generateKeyPairAsync('ec', { namedCurve: 'P-256' })
				: await generateKeyPairAsync('ed25519');

	const bareJwk = publicKey.export({ format: 'jwk' });
	const kid = await calculateJwkThumbprint(/** @type {import('jose').JWK} */ (bareJwk));
	/** @type {Record<string, unknown>} */
	const publicJwk = { ...bareJwk, kid, alg, use: 'sig' };

	/** @type {PrivateKeyFixture} */
	const fixture = {
		client_id: clientId,
		kid,
		alg,
		pkcs8Pem: /** @type {string} */ (privateKey.export({ type: 'pkcs8', format: 'pem' })),
		jwk: { ...privateKey.export({ format: 'jwk' }), kid, alg },
		publicJwk,
	};

	if (type === 'rsa') {
		fixture.pkcs1Pem = /** @type {string} */ (privateKey.export({ type: 'pkcs1', format: 'pem' }));
		const certificateDer = selfSignedRsaCertificate(privateKey, publicKey, clientId);
		fixture.certificatePem = toPem('CERTIFICATE', certificateDer);
		fixture.x5t = createHash('sha1').update(certificateDer).digest('base64url');
		fixture.x5tS256 = createHash('sha256').update(certificateDer).digest('base64url');
		// Registered like a certificate-based client (Entra ID style): x5c lets the server check an
		// x5t / x5t#S256 assertion header against the certificate.
		publicJwk.x5c = [certificateDer.toString('base64')];
	}

	if (alg === 'RS256') {
		fixture.passphrase = `pass phrase+${randomSecret(9)}`;
		fixture.encryptedPkcs8Pem = /** @type {string} */ (
			privateKey.export({
				type: 'pkcs8',
				format: 'pem',
				cipher: 'aes-256-cbc',
				passphrase: fixture.passphrase,
			})
		);
		fixture.serviceAccountEmail = `${clientId}@test.iam.gserviceaccount.com`;
		fixture.googleServiceAccountJson = JSON.stringify(
			{
				type: 'service_account',
				project_id: 'test',
				private_key_id: kid,
				private_key: fixture.pkcs8Pem,
				client_email: fixture.serviceAccountEmail,
				client_id: clientId,
				auth_uri: 'https://accounts.google.com/o/oauth2/auth',
				token_uri: tokenEndpoint,
				universe_domain: 'googleapis.com',
			},
			null,
			2,
		);
	}

	if (type === 'ec') {
		fixture.sec1Pem = /** @type {string} */ (privateKey.export({ type: 'sec1', format: 'pem' }));
	}

	return fixture;
}

/** The provider's own signing key (ID tokens); supplying it silences the dev-keys warning. */
export async function generateProviderJwks() {
	const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
	return {
		keys: [
			{ ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'provider-es256' },
		],
	};
}

/**
 * @param {string} label
 * @param {Buffer} der
 */
function toPem(label, der) {
	const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
	return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

// --- A minimal DER writer, just enough for one self-signed RSA certificate (RFC 5280). ---
// Pure JS so the test server needs no openssl binary.

/**
 * @param {number} tag
 * @param {Buffer} content
 */
function tlv(tag, content) {
	const { length } = content;
	let header;
	if (length < 0x80) {
		header = Buffer.from([tag, length]);
	} else {
		const bytes = [];
		for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
		header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
	}
	return Buffer.concat([header, content]);
}

/** @param {Buffer[]} items */
const sequence = (...items) => tlv(0x30, Buffer.concat(items));
/** @param {Buffer[]} items */
const set = (...items) => tlv(0x31, Buffer.concat(items));
const nullValue = () => tlv(0x05, Buffer.alloc(0));
/** @param {Buffer} bytes big-endian magnitude */
const integer = (bytes) =>
	tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
/** @param {Buffer} bytes */
const bitString = (bytes) => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
/** @param {Buffer} bytes */
const octetString = (bytes) => tlv(0x04, bytes);
/** @param {string} text */
const utf8String = (text) => tlv(0x0c, Buffer.from(text, 'utf8'));
/** @param {number} n @param {Buffer} content */
const explicit = (n, content) => tlv(0xa0 + n, content);

/** @param {string} dotted */
function oid(dotted) {
	const [first, second, ...rest] = dotted.split('.').map(Number);
	const bytes = [first * 40 + second];
	for (const arc of rest) {
		const chunk = [arc & 0x7f];
		for (let n = arc >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
		bytes.push(...chunk);
	}
	return tlv(0x06, Buffer.from(bytes));
}

/** @param {Date} date UTCTime, valid until 2049 */
function utcTime(date) {
	const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
	const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
	return tlv(0x17, Buffer.from(text, 'ascii'));
}

/**
 * @param {import('node:crypto').KeyObject} privateKey
 * @param {import('node:crypto').KeyObject} publicKey
 * @param {string} commonName
 */
function selfSignedRsaCertificate(privateKey, publicKey, commonName) {
	const sha256WithRsa = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
	const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(commonName))));
	const now = Date.now();
	const serial = randomBytes(16);
	// Positive, and a first byte that is never 0: a leading zero byte before one below 0x80 is not
	// minimal DER, which the X.509 parser refuses ("illegal padding", once in 256 runs).
	serial[0] = (serial[0] & 0x3f) | 0x40;

	const extensions = sequence(
		// basicConstraints (critical): not a CA
		sequence(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), octetString(sequence())),
		// keyUsage (critical): digitalSignature
		sequence(
			oid('2.5.29.15'),
			tlv(0x01, Buffer.from([0xff])),
			octetString(tlv(0x03, Buffer.from([0x07, 0x80]))),
		),
	);

	const tbs = sequence(
		explicit(0, integer(Buffer.from([2]))), // v3
		integer(serial),
		sha256WithRsa,
		name,
		sequence(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 365 * 24 * 3600_000))),
		name,
		/** @type {Buffer} */ (publicKey.export({ type: 'spki', format: 'der' })),
		explicit(3, extensions),
	);

	const der = sequence(tbs, sha256WithRsa, bitString(sign('sha256', tbs, privateKey)));

	// Parse it back with node's own X.509 parser so a broken encoding fails at startup, not in a test.
	const parsed = new X509Certificate(der);
	if (!parsed.verify(publicKey) || !parsed.checkPrivateKey(privateKey)) {
		throw new Error('generated test certificate does not verify');
	}
	return der;
}
