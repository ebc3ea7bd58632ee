// The provider hosts real n8n cannot reach, on this machine: a test CA made at run time with the
// openssl CLI, one HTTPS server that answers as NetSuite's and Salesforce's token endpoints (the
// same wire rules as the jest emulators, test/providers/emulators/{netsuite,salesforce}.ts, which
// cite the documentation), and a forward proxy that tunnels CONNECT for those host names to it.
// n8n is started with HTTPS_PROXY = the proxy and NODE_EXTRA_CA_CERTS = the CA, so it talks to
// https://<account>.suitetalk.api.netsuite.com and https://<org>.my.salesforce.com as it would
// in production, and nothing else leaves through the proxy.
import { execFileSync } from 'node:child_process';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Host names the proxy sends to the emulators (everything else is refused). */
const EMULATED = [
	/^[a-z0-9-]+\.suitetalk\.api\.netsuite\.com$/,
	/^login\.salesforce\.com$/,
	/^test\.salesforce\.com$/,
	/^[a-z0-9-]+\.my\.salesforce\.com$/,
];

/** A CA and a server certificate for the emulated names, in a temp dir (removed by cleanup()). */
export function makeTestCa() {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-e2e-ca-'));
	const file = (name) => join(dir, name);
	const openssl = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
	openssl(
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key')]
			.concat(['-out', file('ca.pem'), '-days', '1', '-subj', '/CN=n8n e2e test CA'])
			.concat(['-addext', 'basicConstraints=critical,CA:TRUE'])
			.concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
	);
	openssl(
		['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key')].concat([
			'-out',
			file('server.csr'),
			'-subj',
			'/CN=n8n e2e provider emulators',
		]),
	);
	writeFileSync(
		file('ext.cnf'),
		'subjectAltName=DNS:login.salesforce.com,DNS:test.salesforce.com,DNS:*.my.salesforce.com,DNS:*.suitetalk.api.netsuite.com\n' +
			'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
	);
	openssl(
		['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem')]
			.concat(['-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem')])
			.concat(['-days', '1', '-extfile', file('ext.cnf')]),
	);
	return {
		caFile: file('ca.pem'),
		key: readFileSync(file('server.key')),
		cert: readFileSync(file('server.pem')),
		cleanup: () => rmSync(dir, { recursive: true, force: true }),
	};
}

const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** Decodes a compact JWS and verifies it with `publicKey` under its own alg (PS256, ES256, RS256). */
function verifyJws(token, publicKey) {
	const [h, p, s] = String(token).split('.');
	if (!s) return undefined;
	const header = b64json(h);
	const payload = b64json(p);
	const data = Buffer.from(`${h}.${p}`);
	const signature = Buffer.from(s, 'base64url');
	const key = publicKey?.type === 'public' ? publicKey : createPublicKey(publicKey);
	const options = {
		PS256: { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 },
		RS256: { key },
		ES256: { key, dsaEncoding: 'ieee-p1363' },
	}[header.alg];
	const valid = options ? verify('sha256', data, options, signature) : false;
	return { header, payload, valid };
}

const oauthError = (error, description) => ({
	status: 400,
	body: description === undefined ? { error } : { error, error_description: description },
});

/**
 * NetSuite's client credentials (M2M) token endpoint: alg allowlist, kid = a mapping's Certificate
 * ID, iss = the client ID, aud = this token URL, a scope claim, exp - iat ≤ 3600. Errors as
 * NetSuite sends them: `{"error": code}`, the reason kept as the Login Audit Trail detail.
 */
function netsuiteToken(form, host, account, audit) {
	const refuse = (error, detail) => {
		audit.push(detail);
		return oauthError(error);
	};
	const tokenUrl = `https://${host}/services/rest/auth/oauth2/v1/token`;
	if (form.get('grant_type') !== 'client_credentials')
		return refuse('unsupported_grant_type', 'UnsupportedGrantType');
	if (
		form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
	)
		return refuse('invalid_request', 'InvalidClientAssertionType');
	let jws;
	try {
		const header = b64json(String(form.get('client_assertion')).split('.')[0]);
		const mapping = account.mappings[header.kid];
		if (!mapping) return refuse('invalid_request', 'UnknownCertificateId');
		jws = verifyJws(form.get('client_assertion'), mapping.publicKey);
	} catch {
		return refuse('invalid_request', 'InvalidJWT');
	}
	const { header, payload } = jws;
	if (
		header.typ !== 'JWT' ||
		!['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'].includes(header.alg)
	)
		return refuse('invalid_request', `UnsupportedAlgorithm ${header.alg}`);
	if (payload.iss !== account.clientId) return refuse('invalid_client', 'InvalidIntegration');
	if (!jws.valid) return refuse('invalid_client', 'InvalidSignature');
	if (payload.aud !== tokenUrl) return refuse('invalid_request', 'InvalidAudience');
	if (!(payload.exp - payload.iat <= 3600) || payload.exp <= Date.now() / 1000)
		return refuse('invalid_request', 'InvalidTokenLifetime');
	const scopes = Array.isArray(payload.scope)
		? payload.scope
		: String(payload.scope ?? '')
				.split(',')
				.filter(Boolean);
	if (!scopes.length) return refuse('invalid_request', 'InvalidScope (empty)');
	if (!scopes.every((scope) => account.allowedScopes.includes(scope)))
		return refuse('invalid_scope', 'InvalidScope');
	return {
		status: 200,
		body: {
			access_token: `eyJ${randomBytes(32).toString('base64url')}`,
			expires_in: '3600',
			token_type: 'Bearer',
		},
	};
}

/**
 * Salesforce's JWT bearer grant for an external client app (Spring '26): aud login/test →
 * 400 app_not_found "External client app is not installed in this org"; aud = the org's My Domain
 * URL → a token.
 */
function salesforceToken(form, org) {
	if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
		return oauthError('unsupported_grant_type', 'grant type not supported');
	let jws;
	try {
		jws = verifyJws(form.get('assertion'), org.certificateKey);
	} catch {
		return oauthError('invalid_grant', 'invalid assertion');
	}
	const { payload } = jws;
	if (payload.iss !== org.consumerKey)
		return oauthError('invalid_client_id', 'client identifier invalid');
	if (!jws.valid) return oauthError('invalid_grant', 'invalid assertion');
	if (['https://login.salesforce.com', 'https://test.salesforce.com'].includes(payload.aud))
		return oauthError('app_not_found', 'External client app is not installed in this org');
	if (payload.aud !== `https://${org.myDomainHost}`)
		return oauthError('invalid_grant', 'audience is invalid');
	if (!(payload.exp > Date.now() / 1000))
		return oauthError('invalid_grant', 'expired authorization code');
	if (payload.sub !== org.username)
		return oauthError('invalid_grant', "user hasn't approved this consumer");
	return {
		status: 200,
		body: {
			access_token: `00D!${randomBytes(32).toString('base64url')}`,
			scope: 'api',
			instance_url: `https://${org.myDomainHost}`,
			id: `https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA`,
			token_type: 'Bearer',
		},
	};
}

/**
 * Starts the HTTPS emulators and the CONNECT proxy. `netsuite`: { clientId, allowedScopes,
 * mappings: { [certificateId]: { publicKey } } }; `salesforce`: { consumerKey, certificateKey,
 * myDomainHost, username }. The log holds the decoded (unverified) assertions, never a secret.
 */
export async function startProviderEmulators({ tls, netsuite, salesforce }) {
	const log = [];
	const audit = [];
	const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
			const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
			const path = new URL(req.url ?? '/', 'https://x').pathname;
			let reply = { status: 404, body: { error: 'not_found' } };
			if (
				req.method === 'POST' &&
				host.endsWith('.suitetalk.api.netsuite.com') &&
				path === '/services/rest/auth/oauth2/v1/token'
			)
				reply = netsuiteToken(form, host, netsuite, audit);
			else if (
				req.method === 'POST' &&
				host.endsWith('salesforce.com') &&
				path === '/services/oauth2/token'
			)
				reply = salesforceToken(form, salesforce);
			const assertion = form.get('client_assertion') ?? form.get('assertion');
			let decoded;
			try {
				const [h, p] = String(assertion).split('.');
				decoded = { header: b64json(h), payload: b64json(p) };
			} catch {
				decoded = undefined;
			}
			log.push({
				host,
				path,
				status: reply.status,
				error: reply.body.error ?? null,
				formKeys: [...form.keys()],
				assertion: decoded,
			});
			res.writeHead(reply.status, {
				'content-type': 'application/json',
				'cache-control': 'no-store',
			});
			res.end(JSON.stringify(reply.body));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const emulatorPort = server.address().port;

	const tunnels = [];
	const open = new Set();
	const proxy = http.createServer((req, res) =>
		res.writeHead(403).end('only CONNECT to emulated hosts'),
	);
	proxy.on('connect', (req, socket, head) => {
		const [host, port] = String(req.url).split(':');
		if (port !== '443' || !EMULATED.some((name) => name.test(host))) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		tunnels.push(host);
		const upstream = net.connect(emulatorPort, '127.0.0.1', () => {
			open.add(socket).add(upstream);
			socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) upstream.write(head);
			upstream.pipe(socket);
			socket.pipe(upstream);
		});
		const drop = () => {
			upstream.destroy();
			socket.destroy();
		};
		upstream.on('error', drop);
		socket.on('error', drop);
	});
	await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));

	return {
		proxyUrl: `http://127.0.0.1:${proxy.address().port}`,
		log,
		audit,
		tunnels,
		close: async () => {
			for (const socket of open) socket.destroy();
			server.closeAllConnections();
			proxy.closeAllConnections();
			await Promise.all([
				new Promise((resolve) => server.close(resolve)),
				new Promise((resolve) => proxy.close(resolve)),
			]);
		},
	};
}
