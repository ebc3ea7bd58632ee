// Postgres and Redis for n8n's queue mode, from Debian's packages: installed once if missing, then
// started per run on 127.0.0.1 with free ports and data folders in a temp dir (nothing of the
// system's own instances is used or touched), and stopped by close().
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

import { freePort } from '../../lib/n8n.mjs';
import { runChecked } from '../../lib/processes.mjs';

const MINUTE = 60_000;
const PG_ROOT = '/usr/lib/postgresql';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** The newest Postgres server binaries the Debian package installed, if any. */
function postgresBin() {
	if (!existsSync(PG_ROOT)) return undefined;
	const versions = readdirSync(PG_ROOT)
		.filter((name) => existsSync(join(PG_ROOT, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(PG_ROOT, versions[0], 'bin') : undefined;
}

/** apt-get only when a binary is missing; the lock timeout waits for other apt runs on the box. */
export async function ensureDebianPackages({ log = console.log } = {}) {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!has('redis-server')) missing.push('redis-server');
	if (!missing.length) return;
	if (process.getuid?.() !== 0)
		throw new Error(`${missing.join(' and ')} missing; install them (apt-get needs root)`);
	log(`Installing ${missing.join(', ')} from Debian's packages…`);
	const apt = ['-o', 'DPkg::Lock::Timeout=600'];
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runChecked('apt-get', [...apt, 'update'], { env, timeoutMs: 10 * MINUTE });
	await runChecked('apt-get', [...apt, 'install', '-y', '--no-install-recommends', ...missing], {
		env,
		timeoutMs: 15 * MINUTE,
	});
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
async function waitForPort(port, child, name, timeoutMs = 2 * MINUTE) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`${name} exited before it listened:\n${child.output()}`);
		const open = await new Promise((resolve) => {
			const socket = createConnection({ host: '127.0.0.1', port }, () => {
				socket.end();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(
		`${name} did not listen on ${port} within ${timeoutMs / 1000} s:\n${child.output()}`,
	);
}

/** A long-running service process with its output kept (last 20 kB) for error messages. */
function startService(command, args, options = {}) {
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const keep = (chunk) => (output = (output + chunk).slice(-20_000));
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.output = () => output;
	child.stop = (signal) =>
		new Promise((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
			const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
			child.once('exit', () => {
				clearTimeout(force);
				resolve(undefined);
			});
			child.kill(signal);
		});
	return child;
}

/**
 * Postgres as the `postgres` system user (initdb refuses root), trust auth on 127.0.0.1 only,
 * durability off: the data lives only as long as the test.
 * @param {string} dir an empty folder for the cluster and its socket
 */
export async function startPostgres(dir) {
	const bin = postgresBin();
	if (!bin) throw new Error('Postgres binaries not found under /usr/lib/postgresql');
	const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
	const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
	const data = join(dir, 'pgdata');
	mkdirSync(data, { recursive: true, mode: 0o700 });
	chownSync(dir, uid, gid);
	chownSync(data, uid, gid);
	const asPostgres = { uid, gid, cwd: dir, env: { ...process.env, LC_ALL: 'C' } };
	await runChecked(
		join(bin, 'initdb'),
		['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'],
		{ ...asPostgres, timeoutMs: 2 * MINUTE },
	);
	const port = await freePort();
	const child = startService(
		join(bin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=100',
		],
		asPostgres,
	);
	try {
		await waitForPort(port, child, 'postgres');
		// Accepting TCP is not accepting queries yet (startup recovery): ask until it answers.
		const psql = (sql) =>
			runChecked(
				join(bin, 'psql'),
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(port),
					'-U',
					'postgres',
					'-v',
					'ON_ERROR_STOP=1',
					'-Atc',
					sql,
				],
				{ ...asPostgres, timeoutMs: MINUTE },
			);
		const deadline = Date.now() + 2 * MINUTE;
		for (;;) {
			try {
				await psql('select 1');
				break;
			} catch (error) {
				if (Date.now() > deadline) throw error;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
		await psql('create database n8n');
		return {
			port,
			database: 'n8n',
			user: 'postgres',
			/** @param {string} sql @returns {Promise<string>} psql's unaligned, tuples-only output */
			query: async (sql, database = 'n8n') =>
				(
					await runChecked(
						join(bin, 'psql'),
						[
							'-h',
							'127.0.0.1',
							'-p',
							String(port),
							'-U',
							'postgres',
							'-d',
							database,
							'-v',
							'ON_ERROR_STOP=1',
							'-Atc',
							sql,
						],
						{ ...asPostgres, timeoutMs: MINUTE },
					)
				).stdout.trim(),
			// SIGINT is Postgres's "fast" shutdown: disconnects clients, exits cleanly.
			close: () => child.stop('SIGINT'),
		};
	} catch (error) {
		await child.stop('SIGKILL');
		throw error;
	}
}

/** Redis without persistence, its working folder in the temp dir. @param {string} dir */
export async function startRedis(dir) {
	const port = await freePort();
	mkdirSync(dir, { recursive: true });
	const child = startService('redis-server', [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir,
	]);
	try {
		await waitForPort(port, child, 'redis-server');
		return { port, close: () => child.stop('SIGTERM') };
	} catch (error) {
		await child.stop('SIGKILL');
		throw error;
	}
}
