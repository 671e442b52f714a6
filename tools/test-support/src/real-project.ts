// Test support: a project created on the real A vs B server through its admin API, as `avsb import` does.
import { type SandboxServer, startSandboxServer } from '@avsb/server';

/** A project of its own on the sandbox server. */
export interface RealProject {
  readonly url: string;
  /** The production server key of the project, revealed through the admin API. */
  readonly serverKey: string;
  /** The production client-side key (`cli-…`) of the project: it sees the flags with `clientSide: true`. */
  readonly clientKey: string;
  /** PATCHes a flag of the production environment as the dashboard does (e.g. `{ on: false }`, the toggle); returns the flag. */
  patchFlag(flagKey: string, body: Record<string, unknown>): Promise<unknown>;
  /** Events stored for the project's production environment, oldest first. */
  events(): Promise<any[]>;
  close(): Promise<void>;
}

/**
 * The flags the example apps read (`examples/*`): `checkout-v2` on for `u_1`
 * and the pro plan, a 50/50 experiment for everyone else; `ui-theme` dark
 * for `@avsb.dev` addresses.
 */
export const EXAMPLE_FLAGS: readonly unknown[] = [
  {
    key: 'checkout-v2',
    on: true,
    variations: [false, true],
    offVariation: 0,
    targets: [{ values: ['u_1'], variation: 1 }],
    rules: [{ id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
    fallthrough: { rollout: { kind: 'experiment', variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } },
  },
  {
    key: 'ui-theme',
    on: true,
    variations: ['default', 'dark'],
    offVariation: 0,
    rules: [{ id: 'staff', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@avsb.dev'] }], serve: { variation: 1 } }],
    fallthrough: { variation: 0 },
  },
];

/**
 * The flags the browser test pages read besides their own `new-banner` (placed first by each page): `ui-theme` dark
 * for `@avsb.dev` addresses and `layout` (JSON) marked for client-side use, and `pricing-v3`, not marked (a client key
 * does not see it).
 */
export const WEB_PAGE_FLAGS: readonly unknown[] = [
  {
    key: 'ui-theme',
    on: true,
    clientSide: true,
    variations: ['default', 'dark'],
    offVariation: 0,
    rules: [{ id: 'staff', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@avsb.dev'] }], serve: { variation: 1 } }],
    fallthrough: { variation: 0 },
  },
  { key: 'layout', on: true, clientSide: true, variations: [{ columns: 2 }, { columns: 3 }], offVariation: 0, fallthrough: { variation: 1 } },
  { key: 'pricing-v3', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } },
];

/**
 * Starts the sandbox server of `@avsb/server` and creates project `key`
 * whose production environment holds `flags` (datafile form, SPEC.md):
 * `POST /api/v1/projects/import`, then the keys with `?reveal=true`.
 */
export async function startRealProject(key: string, flags: readonly unknown[] = EXAMPLE_FLAGS): Promise<RealProject> {
  const server: SandboxServer = await startSandboxServer();
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${server.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin API ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  try {
    await admin('POST', '/projects/import', { key, name: key, environments: [{ key: 'production', name: 'Production', flags, segments: [] }] });
    const env = `/projects/${key}/environments/production`;
    const keys = await admin<{ serverKey: string; clientKey: string }>('GET', `${env}/keys?reveal=true`);
    return {
      url: server.url,
      serverKey: keys.serverKey,
      clientKey: keys.clientKey,
      patchFlag: (flagKey, body) => server.patchFlag(flagKey, body, key),
      events: () => admin<any[]>('GET', `${env}/events?limit=1000`),
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
