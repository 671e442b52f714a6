// Test support: the real A vs B server (`@avsb/server`) on 127.0.0.1, seeded
// with the guide's `shop` project, in a throwaway SQLite file.
import { type SandboxServer, startSandboxServer } from '@avsb/server';

/** The sandbox server as the adapters' tests use it. */
export interface RealServer {
  readonly url: string;
  /** The production server key of `shop`. */
  readonly serverKey: string;
  /** The production client-side key (`cli-…`) of `shop`: it sees `ui-theme` and `promo-banner`. */
  readonly clientKey: string;
  /** PATCHes a flag of `shop`/`production` as the dashboard does (e.g. `{ on: true }`, the toggle); returns the flag. */
  patchFlag(flagKey: string, body: Record<string, unknown>): Promise<unknown>;
  /** Events stored for `shop`/`production`, oldest first. */
  events(): Promise<any[]>;
  close(): Promise<void>;
}

/** Starts the sandbox server of `@avsb/server` (`startSandboxServer()`), seeded with `shop`. */
export async function startRealServer(): Promise<RealServer> {
  const server: SandboxServer = await startSandboxServer();
  return {
    url: server.url,
    serverKey: server.serverKey,
    clientKey: server.clientKey,
    patchFlag: (flagKey, body) => server.patchFlag(flagKey, body),
    events: () => server.admin<any[]>('/events?limit=1000'),
    close: () => server.close(),
  };
}
