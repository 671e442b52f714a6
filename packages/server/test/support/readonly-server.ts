// Test support, run as a child process by storage/read-only.test.ts (as an
// unprivileged user when the tests run as root, whom file modes do not stop):
// starts the server on an existing SQLite file and prints one JSON line,
// `{ "url" }` once it listens or `{ "error" }` when it refuses to start.
import { startServer } from '../../src/server';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: readonly-server.ts <db path>');
try {
  const server = await startServer({ dbPath, port: 0, adminToken: 'readonly-admin-token' });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  process.exit(0);
}
