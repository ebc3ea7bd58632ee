/**
 * Private key import for private_key_jwt and the JWT bearer grant. Accepts what users paste:
 * PKCS#8, PKCS#1 (`BEGIN RSA PRIVATE KEY`), SEC1 (`BEGIN EC PRIVATE KEY`), encrypted PKCS#8 with a
 * passphrase, a private JWK, or a whole Google service-account JSON key. node:crypto parses every
 * one of these (jose's importPKCS8 takes PKCS#8 only), and jose signs with the resulting KeyObject.
 *
 * Over 300 lines because each accepted input form needs its own recognition and error message,
 * and they share one cache and one algorithm check.
 */
import {
	constants,
	createHash,
	createPrivateKey,
	createPublicKey,
	sign,
	verify,
	X509Certificate,
	type JsonWebKey,
	type KeyObject,
} from 'node:crypto';

import { attempt } from '../errors/attempt';
import { OAuthConfigError } from '../errors/oauthErrors';
import { processStore } from '../state/processState';

export const ASYMMETRIC_ALGORITHMS = [
	'RS256',
	'RS384',
	'RS512',
	'PS256',
	'PS384',
	'PS512',
	'ES256',
	'ES384',
	'ES512',
	'EdDSA',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export type ThumbprintHeader = 'none' | 'x5t' | 'x5t#S256';

export interface SigningKeyInput {
	/** The pasted key text: PEM, JWK JSON or a Google service-account JSON key. */
	privateKey: string;
	passphrase?: string;
	/** `auto` picks the usual algorithm for the key type (RS256, ES256/384/512, EdDSA). */
	algorithm: AsymmetricAlgorithm | 'auto';
	keyId?: string;
	/** PEM certificate for `x5t` / `x5t#S256` (Microsoft Entra certificate credentials). */
	certificate?: string;
	thumbprintHeader?: ThumbprintHeader;
}

/** Facts taken from a Google service-account JSON key, used as defaults for the JWT bearer grant. */
export interface ServiceAccountInfo {
	clientEmail: string;
	tokenUri?: string;
	clientId?: string;
}

export interface SigningKey {
	key: KeyObject;
	/** SHA-256 of the public key, to tell keys apart without keeping key material around. */
	fingerprint: string;
	alg: AsymmetricAlgorithm;
	kid?: string;
	x5t?: string;
	'x5t#S256'?: string;
	serviceAccount?: ServiceAccountInfo;
}

const FIELD = 'Private Key';

/** Undo what pasting into a one-line field does to a PEM: literal `\n`, lost line breaks, stray spaces. */
export function normalizePem(text: string): string {
	const unescaped = text
		.replace(/\\r\\n|\\n/g, '\n')
		.replace(/\r\n/g, '\n')
		.trim();
	const match = /^-----BEGIN ([A-Z0-9 ]+)-----\s*([\s\S]*?)\s*-----END \1-----$/.exec(unescaped);
	if (!match) return unescaped;
	const [, label, inner] = match;
	const headers: string[] = [];
	let body = inner;
	// Legacy encrypted PEM headers (Proc-Type / DEK-Info) must keep their own lines.
	const headerBlock = /^((?:[A-Za-z-]+: [^\n]+\n)+)\n?/.exec(inner);
	if (headerBlock) {
		headers.push(...headerBlock[1].trim().split('\n'));
		body = inner.slice(headerBlock[0].length);
	}
	const base64 = body.replace(/\s+/g, '');
	const lines = base64.match(/.{1,64}/g) ?? [];
	const headerPart = headers.length ? `${headers.join('\n')}\n\n` : '';
	return `-----BEGIN ${label}-----\n${headerPart}${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface ParsedKeyText {
	key: KeyObject;
	kid?: string;
	alg?: string;
	serviceAccount?: ServiceAccountInfo;
}

function parseJsonKey(text: string, passphrase?: string): ParsedKeyText {
	const parsedJson = attempt((): unknown => JSON.parse(text));
	if (!parsedJson.ok) {
		throw new OAuthConfigError(
			FIELD,
			'The private key looks like JSON but is not valid JSON.',
			'Paste the whole JWK or service-account key file, including the braces.',
		);
	}
	const json = parsedJson.value;
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new OAuthConfigError(
			FIELD,
			'The private key JSON must be an object (a JWK or a Google service-account key).',
		);
	}
	const record = json as Record<string, unknown>;
	if (typeof record.private_key === 'string') {
		// Google service-account key file.
		const parsed = parsePemKey(record.private_key, passphrase);
		const clientEmail = typeof record.client_email === 'string' ? record.client_email : '';
		if (!clientEmail) {
			throw new OAuthConfigError(
				FIELD,
				'The service-account key has no "client_email".',
				'Download a fresh JSON key for the service account and paste the whole file.',
			);
		}
		return {
			key: parsed.key,
			kid: typeof record.private_key_id === 'string' ? record.private_key_id : undefined,
			serviceAccount: {
				clientEmail,
				tokenUri: typeof record.token_uri === 'string' ? record.token_uri : undefined,
				clientId: typeof record.client_id === 'string' ? record.client_id : undefined,
			},
		};
	}
	if (typeof record.kty === 'string') {
		if (record.d === undefined) {
			throw new OAuthConfigError(
				FIELD,
				'The JWK is a public key; signing needs the private key (it has a "d" member).',
				'Paste the private JWK, not the one you registered with the server.',
			);
		}
		const imported = attempt(() => createPrivateKey({ key: record as JsonWebKey, format: 'jwk' }));
		if (!imported.ok) {
			throw new OAuthConfigError(
				FIELD,
				`The JWK could not be read as a private "${String(record.kty)}" key.`,
				'Check that the JWK is complete and unmodified.',
			);
		}
		// A JWK carries its public half too: a changed "d" is a valid but different key, caught here.
		const derived = createPublicKey(imported.value).export({ format: 'jwk' }) as Record<
			string,
			unknown
		>;
		if (
			['n', 'e', 'x', 'y'].some((member) => member in record && record[member] !== derived[member])
		)
			throw damagedKey();
		return {
			key: imported.value,
			kid: typeof record.kid === 'string' ? record.kid : undefined,
			alg: typeof record.alg === 'string' ? record.alg : undefined,
		};
	}
	throw new OAuthConfigError(
		FIELD,
		'The private key JSON is neither a JWK (no "kty") nor a Google service-account key (no "private_key").',
	);
}

function parsePemKey(text: string, passphrase?: string): ParsedKeyText {
	const pem = normalizePem(text);
	if (!pem.startsWith('-----BEGIN')) {
		throw new OAuthConfigError(
			FIELD,
			'The private key is not a PEM block, a JWK or a service-account JSON key.',
			'Paste the key including its "-----BEGIN … PRIVATE KEY-----" and "-----END … PRIVATE KEY-----" lines.',
		);
	}
	if (/-----BEGIN (PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY)-----/.test(pem)) {
		throw new OAuthConfigError(
			FIELD,
			'This is a public key or certificate; signing needs the private key.',
			'Paste the private key that belongs to the certificate you registered.',
		);
	}
	const encrypted = pem.includes('ENCRYPTED') || pem.includes('Proc-Type: 4,ENCRYPTED');
	if (encrypted && !passphrase) {
		throw new OAuthConfigError(
			'Passphrase',
			'The private key is encrypted and no passphrase is set.',
			'Enter the key passphrase in "Passphrase", or paste an unencrypted key.',
		);
	}
	const imported = attempt(() =>
		createPrivateKey({ key: pem, format: 'pem', passphrase: encrypted ? passphrase : undefined }),
	);
	if (imported.ok) return { key: imported.value };
	if (encrypted) {
		throw new OAuthConfigError(
			'Passphrase',
			'The private key could not be decrypted with this passphrase.',
			'Check the passphrase for this key.',
		);
	}
	throw new OAuthConfigError(
		FIELD,
		'The private key PEM could not be read.',
		'Paste the complete PEM block; PKCS#8, PKCS#1 (RSA), SEC1 (EC) and encrypted PKCS#8 are supported.',
	);
}

/** The algorithms a key can sign with, most usual first. */
export function algorithmsForKey(key: KeyObject): AsymmetricAlgorithm[] {
	switch (key.asymmetricKeyType) {
		case 'rsa':
			return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
		case 'ec': {
			const curve = key.asymmetricKeyDetails?.namedCurve;
			if (curve === 'prime256v1' || curve === 'P-256') return ['ES256'];
			if (curve === 'secp384r1' || curve === 'P-384') return ['ES384'];
			if (curve === 'secp521r1' || curve === 'P-521') return ['ES512'];
			return [];
		}
		case 'ed25519':
			return ['EdDSA'];
		default:
			return [];
	}
}

function describeKey(key: KeyObject): string {
	if (key.asymmetricKeyType === 'rsa')
		return `an RSA key (${key.asymmetricKeyDetails?.modulusLength ?? '?'} bits)`;
	if (key.asymmetricKeyType === 'ec')
		return `an EC key on curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'}`;
	return `a ${key.asymmetricKeyType ?? 'unknown'} key`;
}

function thumbprints(certificatePem: string, key: KeyObject): { x5t: string; 'x5t#S256': string } {
	const parsed = attempt(() => new X509Certificate(normalizePem(certificatePem)));
	if (!parsed.ok) {
		throw new OAuthConfigError(
			'Certificate',
			'The certificate could not be read.',
			'Paste the PEM certificate ("-----BEGIN CERTIFICATE-----") you uploaded to the provider.',
		);
	}
	const cert = parsed.value;
	const publicFromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
	const publicFromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
	if (!publicFromKey.equals(publicFromCert)) {
		throw new OAuthConfigError(
			'Certificate',
			'The certificate does not belong to the private key.',
			'Paste the certificate made from this private key (the one registered with the provider).',
		);
	}
	return {
		x5t: createHash('sha1').update(cert.raw).digest('base64url'),
		'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url'),
	};
}

const SELF_TEST_DATA = Buffer.from('n8n-nodes-oauth-token-manager key self-test');

function damagedKey(): OAuthConfigError {
	return new OAuthConfigError(
		FIELD,
		'The private key is damaged: it can be read, but its signatures do not verify with its own public key, so every server would refuse them.',
		'Paste the key again from the original file (a character may have been changed or lost), or create a new key and register its public key.',
	);
}

/**
 * Signs once and verifies with the key's own public half (for an EC key, the point it carries,
 * so a changed scalar fails too). A corrupted PEM or JWK often still parses and then signs
 * assertions nobody can verify; this catches it before any request. An Ed25519 PKCS#8 key is only
 * its 32-byte seed: a changed seed is a valid other key, which only the registered public key or
 * certificate can tell.
 */
function signsVerifiably(key: KeyObject, alg: AsymmetricAlgorithm): boolean {
	const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
	const padding = alg.startsWith('PS')
		? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
		: {};
	const tested = attempt(() => {
		// The signing path exports PKCS#8 for WebCrypto, so that must work too.
		key.export({ type: 'pkcs8', format: 'der' });
		const signature = sign(hash, SELF_TEST_DATA, { key, ...padding });
		return verify(hash, SELF_TEST_DATA, { key: createPublicKey(key), ...padding }, signature);
	});
	return tested.ok && tested.value;
}

const cache = processStore<string, SigningKey>('signingKeys');

/**
 * Import and check a signing key. Results are cached by a hash of the input, so a key is parsed
 * once per process, not once per item; the cache holds no key text.
 */
export function importSigningKey(input: SigningKeyInput): SigningKey {
	const cacheKey = createHash('sha256')
		.update(
			JSON.stringify([
				input.privateKey,
				input.passphrase ?? '',
				input.algorithm,
				input.keyId ?? '',
				input.certificate ?? '',
				input.thumbprintHeader ?? 'none',
			]),
		)
		.digest('base64url');
	const cached = cache.get(cacheKey);
	if (cached) return cached;

	const text = (input.privateKey ?? '').trim();
	if (!text) {
		throw new OAuthConfigError(
			FIELD,
			'No private key is set.',
			'Paste the private key (PEM, JWK or Google service-account JSON) into "Private Key".',
		);
	}
	const parsed = text.startsWith('{')
		? parseJsonKey(text, input.passphrase)
		: parsePemKey(text, input.passphrase);
	const allowed = algorithmsForKey(parsed.key);
	if (allowed.length === 0) {
		throw new OAuthConfigError(
			FIELD,
			`This is ${describeKey(parsed.key)}, which cannot sign JWTs here.`,
			'Use an RSA (2048 bits or more), EC P-256/P-384/P-521 or Ed25519 private key.',
		);
	}
	if (
		parsed.key.asymmetricKeyType === 'rsa' &&
		(parsed.key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048
	) {
		throw new OAuthConfigError(
			FIELD,
			`The RSA key has ${parsed.key.asymmetricKeyDetails?.modulusLength} bits; at least 2048 are required (RFC 7518 §3.3).`,
			'Generate a 2048-bit or larger RSA key and register its certificate or public key.',
		);
	}
	const requested =
		input.algorithm === 'auto'
			? ((parsed.alg as AsymmetricAlgorithm | undefined) ?? allowed[0])
			: input.algorithm;
	if (!allowed.includes(requested)) {
		throw new OAuthConfigError(
			'Algorithm',
			`The algorithm ${requested} does not match the key: this is ${describeKey(parsed.key)}, which signs with ${allowed.join(', ')}.`,
			`Choose ${allowed[0]} (or "Auto"), or paste a key of the right type.`,
		);
	}
	if (!signsVerifiably(parsed.key, requested)) throw damagedKey();
	const signingKey: SigningKey = {
		key: parsed.key,
		fingerprint: createHash('sha256')
			.update(createPublicKey(parsed.key).export({ type: 'spki', format: 'der' }))
			.digest('base64url'),
		alg: requested,
		kid: input.keyId?.trim() || parsed.kid,
		serviceAccount: parsed.serviceAccount,
	};
	const header = input.thumbprintHeader ?? 'none';
	if (header !== 'none') {
		if (!input.certificate?.trim()) {
			throw new OAuthConfigError(
				'Certificate',
				`The "${header}" header needs the certificate.`,
				'Paste the PEM certificate registered with the provider, or set "Certificate Thumbprint Header" to None.',
			);
		}
		const prints = thumbprints(input.certificate, parsed.key);
		signingKey[header] = prints[header];
	}
	cache.set(cacheKey, signingKey);
	return signingKey;
}
