// Test support: the real A vs B server (`@avsb/server`) on 127.0.0.1 over a
// SQLite file in a temporary directory, seeded with the guide's `shop` project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@avsb/server';

export interface RealServer {
  readonly url: string;
  /** The production server key of `shop`, from the admin API. */
  readonly serverKey: string;
  /** Events stored for `shop`/`production`, oldest first. */
  events(): Promise<any[]>;
  close(): Promise<void>;
}

export async function startRealServer(): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-express-test-'));
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

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
