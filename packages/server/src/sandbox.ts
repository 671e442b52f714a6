import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server';

/** A throwaway server: see `startSandboxServer`. */
export interface SandboxServer {
  /** Base URL on 127.0.0.1, without a trailing slash. */
  readonly url: string;
  readonly adminToken: string;
  /** The production keys of the example project `shop`. */
  readonly serverKey: string;
  readonly clientKey: string;
  /** GET on the admin API under `/api/v1/projects/shop/environments/production` (e.g. `/events?limit=1000`). */
  admin<T = unknown>(path: string): Promise<T>;
  /**
   * Changes a flag of a project's production environment as the dashboard does (`PATCH …/flags/:key`, ADMIN-API.md),
   * e.g. `{ on: false }` (the toggle): connected SDKs get the new revision over their stream. Returns the flag as
   * stored. `project` defaults to the seeded `shop`.
   */
  patchFlag(flagKey: string, changes: Record<string, unknown>, project?: string): Promise<unknown>;
  /** Stops the server and deletes its database. */
  close(): Promise<void>;
}

/**
 * Starts a real A vs B server on 127.0.0.1 (a free port) over a SQLite file
 * in a new temporary directory, seeded with the example project `shop`: for
 * integration tests of an app against the real protocol.
 */
export async function startSandboxServer(): Promise<SandboxServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-sandbox-'));
  const server = await startServer({ dbPath: join(dir, 'avsb.db'), port: 0, seed: true });
  const url = server.url.replace(/\/+$/, '');
  const admin = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}/api/v1/projects/shop/environments/production${path}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    if (!res.ok) throw new Error(`admin API ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const keys = await admin<{ serverKey: string; clientKey: string }>('/keys?reveal=true');
  return {
    url,
    adminToken: server.adminToken,
    serverKey: keys.serverKey,
    clientKey: keys.clientKey,
    admin,
    patchFlag: async (flagKey, changes, project = 'shop') => {
      const path = `/api/v1/projects/${encodeURIComponent(project)}/environments/production/flags/${encodeURIComponent(flagKey)}`;
      const res = await fetch(`${url}${path}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(changes),
      });
      if (!res.ok) throw new Error(`admin API PATCH ${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
