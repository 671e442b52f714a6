// Test support: the real A vs B server (`@avsb/server`) on 127.0.0.1 over a
// SQLite file in a temporary directory, seeded with the guide's `shop` project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@avsb/server';
import { startServer } from '@avsb/server';
import { nodeHttpFetch } from '../../src/node-http-fetch';

export interface RealServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly serverKey: string;
  readonly clientKey: string;
  /** The admin API (`path` after `/api/v1/projects/shop/environments/production`). */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Events stored for `production`, oldest first. */
  events(): Promise<any[]>;
  close(): Promise<void>;
}

export async function startRealServer(options: { port?: number; heartbeatMs?: number } = {}): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-node-test-'));
  const server = await startServer({
    dbPath: join(dir, 'avsb.db'),
    port: options.port ?? 0,
    seed: true,
    adminToken: 'adm-node-test-token',
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  // not the global fetch: its first call installs undici's global dispatcher, after which the SDK's default requests
  // step aside to the global fetch too (default-fetch.test.ts relies on the admin calls leaving it uninstalled)
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await nodeHttpFetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  };
  const keys = (await api('GET', '/projects/shop/environments/production/keys?reveal=true')).body;
  return {
    server,
    url: server.url,
    serverKey: keys.serverKey,
    clientKey: keys.clientKey,
    admin: (method, path, body) => api(method, `/projects/shop/environments/production${path}`, body),
    events: async () => (await api('GET', '/projects/shop/environments/production/events?limit=1000')).body,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
