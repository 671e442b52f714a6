// Test support, run as a child process by sdk/events.crash.test.ts: the real
// A vs B server on a SQLite file, seeded; prints its URL and the production
// server key as one JSON line, then serves until it is killed.
import { startServer } from '../../src/server';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: crash-server.ts <db path>');
const server = await startServer({ dbPath, port: 0, seed: true, adminToken: 'crash-admin-token' });
const res = await fetch(`${server.url}/api/v1/projects/shop/environments/production/keys?reveal=true`, {
  headers: { authorization: `Bearer ${server.adminToken}` },
});
const { serverKey } = (await res.json()) as { serverKey: string };
process.stdout.write(`${JSON.stringify({ url: server.url, serverKey })}\n`);
