// Starts the test authorization server in a child process (authServerProcess.mjs) and reads its info.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export async function startServerProcess() {
	const child = spawn(
		process.execPath,
		[new URL('./authServerProcess.mjs', import.meta.url).pathname],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	const [line] = await once(createInterface({ input: child.stdout }), 'line');
	return { info: JSON.parse(line), stop: () => child.stdin.end() };
}
