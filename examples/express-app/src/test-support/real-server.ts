// Test support: the real A vs B server (`@avsb/server`, what `avsb dev` runs)
// on 127.0.0.1 over a SQLite file in a temporary directory, seeded with `shop`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@avsb/server';

export interface RealServer {
  readonly url: string;
  readonly serverKey: string;
  events(): Promise<any[]>;
  close(): Promise<void>;
}

export async function startRealServer(): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-example-test-'));
  const server = await startServer({ dbPath: join(dir, 'avsb.db'), port: 0, seed: true });
  const admin = async (path: string) => {
    const res = await fetch(`${server.url}/api/v1/projects/shop/environments/production${path}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    if (!res.ok) throw new Error(`admin API ${path}: HTTP ${res.status}`);
    return res.json() as Promise<any>;
  };
  const keys = await admin('/keys?reveal=true');
  return {
    url: server.url,
    serverKey: keys.serverKey,
    events: () => admin('/events?limit=1000'),
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
