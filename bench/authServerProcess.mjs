// The test authorization server in its own process, so its CPU time is not charged to the client
// being measured. Prints its info (endpoints and fixtures) as one JSON line, stops on stdin close.
import { serverInfo, startAuthServer } from '../test/server/authServer.mjs';

const server = await startAuthServer({ accessTokenTtl: 3600 });
process.stdout.write(`${JSON.stringify(serverInfo(server))}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
