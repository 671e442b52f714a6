// Test support, run as a child process by storage/read-only.test.ts (as an
// unprivileged user when the tests run as root, whom file modes do not stop):
// starts the server on an existing SQLite file and prints one JSON line,
// `{ "url" }` once it listens or `{ "error" }` when it refuses to start.
import { startServer } from '../../src/server';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: readonly-server.ts <db path> [uid]');
// Drop to the unprivileged user only now that the modules are loaded: the
// checkout may sit in a folder that user cannot read (a 0700 temporary clone).
const uid = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
if (uid !== undefined) {
  process.setgid!(uid);
  process.setuid!(uid);
}
try {
  const server = await startServer({ dbPath, port: 0, adminToken: 'readonly-admin-token' });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  process.exit(0);
}
