import { AvsbServer } from '@avsb/node';
import type { AvsbServerOptions } from '@avsb/node';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';

// Next.js may load a module more than once in one process (a dev hot reload
// re-evaluates it; server components and route handlers are separate bundles),
// so the servers live on globalThis under a registered symbol, not in a module variable.
const REGISTRY = Symbol.for('@avsb/next.servers');

type Registry = Map<string, AvsbServer>;

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/**
 * The process's `AvsbServer` for these options' key and base URL: created on
 * the first call, the same object afterwards (across hot reloads and
 * bundles). A closed server is replaced by a new one.
 */
export function sharedServer(options: AvsbServerOptions): AvsbServer {
  const id = serverId(options);
  const servers = registry();
  const existing = servers.get(id);
  if (existing !== undefined && !existing.closed) return existing;
  // Next bundles @avsb/node into its server chunks, away from @avsb/engine's avsb-engine.wasm: the inlined engine goes with it
  const server = new AvsbServer({ engineWasm: engineWasmBytes(), ...options });
  servers.set(id, server);
  return server;
}

/**
 * Closes (flushing its events) the process's server for these options, if
 * one was created; creates none. Resolves when it is closed.
 */
export async function closeSharedServer(options: AvsbServerOptions): Promise<void> {
  const id = serverId(options);
  const server = registry().get(id);
  if (server === undefined) return;
  registry().delete(id);
  await server.close();
}

function serverId(options: AvsbServerOptions): string {
  // the key stays in this process's memory, as it does in AvsbServer itself
  return `${options.baseUrl ?? process.env.AVSB_BASE_URL ?? ''}\n${options.sdkKey ?? ''}`;
}
