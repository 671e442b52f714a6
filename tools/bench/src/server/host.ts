// The server of the server-load bench, alone in its process: `startServer`
// on the SQLite file it is given, port 0 on 127.0.0.1, the example project.
// Usage (from server/bench.ts, with an IPC channel): node dist/server/host.js <db path>
// Answers probes (its own CPU time and memory) and `close`; exits when the
// bench goes away.
import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { startServer } from '@avsb/server';
import type { BenchToHost, HostMessage, Probe } from './protocol.js';

const dbPath = process.argv[2];
if (!dbPath || !process.send) {
  process.stderr.write('usage: node dist/server/host.js <db path> (started by the bench, with an IPC channel)\n');
  process.exit(2);
}
const send = (message: HostMessage): void => void process.send!(message);

const server = await startServer({ dbPath, host: '127.0.0.1', port: 0, seed: true });

function probe(): Probe {
  const cpu = process.cpuUsage();
  let rss: number | null = null;
  try {
    rss = process.memoryUsage.rss(); // reads /proc/self/stat: fails (EMFILE) when every fd is taken
  } catch {
    // reported as unknown
  }
  const bytes = (path: string): number => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return {
    atMs: Number(process.hrtime.bigint()) / 1e6,
    cpuUs: cpu.user + cpu.system,
    rss,
    heapUsed: getHeapStatistics().used_heap_size,
    maxRss: process.resourceUsage().maxRSS * 1024,
    dbBytes: bytes(dbPath!),
    walBytes: bytes(`${dbPath!}-wal`),
  };
}

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close();
  if (process.connected) send({ type: 'closed' });
  process.exit(0);
}

process.on('message', (message: BenchToHost) => {
  if (message.type === 'probe') send({ type: 'probe', id: message.id, probe: probe() });
  else if (message.type === 'close') void shutdown();
});
process.on('disconnect', () => void shutdown());
send({ type: 'ready', url: server.url, adminToken: server.adminToken, pid: process.pid });
