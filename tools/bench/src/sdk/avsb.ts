// @avsb/node: AvsbServer with the workload as `initialDatafile`, no network,
// exposure events on. `offline: true` would turn events off (it means "no
// network, no events"), so the server runs with a data source that never
// starts anything and a `fetch` that is the in-process sink: the event
// pipeline records, deduplicates, summarises, batches and serialises as
// usual, and every batch is answered 202 without leaving the process.
import type { AvsbHook, AvsbServer, DataSourceFactory, ScopedClient } from '@avsb/node';
import { FLAG_META, avsbDatafile, userContext, type BenchContext } from '../workload.js';
import { countingLogger, describeSink, fetchSink } from './sink.js';
import type { SdkPeer } from './types.js';

const noNetwork: DataSourceFactory = () => ({ start() {}, stop() {} });

/**
 * A hook that does nothing at either stage: the `avsb-hook` row measures what
 * the hook machinery costs a read (the `avsb` row, without hooks, must not
 * move: a read without hooks pays one `null` test for them).
 */
export const NO_OP_HOOK: AvsbHook = {
  name: 'bench no-op',
  beforeEvaluation: (_series, data) => data,
  afterEvaluation: () => undefined,
};

export function createSdk(): SdkPeer<ScopedClient> {
  return createAvsbSdk([]);
}

/** `@avsb/node` as a module, so that `paired.ts` can load another tree's build of it. */
export type AvsbNodeModule = typeof import('@avsb/node');

/** The events options a pass may change (`--flush-interval-ms`: a server's flushes within the timed runs). */
export interface BenchEventOptions {
  flushIntervalMs?: number;
}

/** `--flush-interval-ms N` of a paired pass's options (a positive number of ms), as {@link BenchEventOptions}. */
export function flushIntervalOption(options: ReadonlyMap<string, string>): BenchEventOptions {
  const given = options.get('flush-interval-ms');
  if (given === undefined) return {};
  const ms = Number(given);
  if (!(ms > 0)) throw new Error(`--flush-interval-ms: expected a positive number of ms, got ${given}`);
  return { flushIntervalMs: ms };
}

/**
 * `@avsb/node` with these hooks (none for the `avsb` row), imported by `load` (the workspace's build by default), its
 * events with the defaults unless `events` says otherwise.
 */
export function createAvsbSdk(
  hooks: readonly AvsbHook[],
  load: () => Promise<AvsbNodeModule> = () => import('@avsb/node'),
  events: BenchEventOptions = {},
): SdkPeer<ScopedClient> {
  let server: AvsbServer;
  const sink = fetchSink();
  const log = countingLogger();
  const readers = FLAG_META.map(({ key, type, defaultValue }): ((s: ScopedClient) => unknown) => {
    if (type === 'boolean') return (s) => s.getBoolFlag(key, defaultValue as boolean);
    if (type === 'string') return (s) => s.getStringFlag(key, defaultValue as string);
    return (s) => s.getNumberFlag(key, defaultValue as number);
  });
  return {
    label: hooks.length === 0 ? '@avsb/node (workspace)' : '@avsb/node (workspace) + no-op hook',
    readApi: '`scoped.get{Bool,String,Number}Flag(key, default)`',
    requestApi: '`server.forUser(context)` + 20 reads + `scoped.close()` (the context is registered with the engine on the first read)',
    events:
      'every read counted in the per-flag summary; an exposure per experiment read (deduplicated per context, flag and variation) and a context event per context with private attributes removed; batches of 500 every 5 s (defaults) through `fetchTransport` to an in-process `fetch` answering 202',
    trackApi: '`scoped.track("purchase", { value, properties })`',
    async: false,
    async load() {
      const { AvsbServer } = await load();
      server = new AvsbServer({
        sdkKey: 'srv-bench-local-sink',
        baseUrl: 'http://127.0.0.1:9', // never contacted: `fetch` is the in-process sink
        initialDatafile: avsbDatafile(),
        dataSource: noNetwork,
        fetch: sink.fetch,
        logger: log.logger,
        logLevel: 'warn',
        hooks,
        ...(events.flushIntervalMs === undefined ? {} : { events: { flushIntervalMs: events.flushIntervalMs } }),
      });
      const ready = await server.onReady({ timeoutMs: 2000 });
      if (!ready.ready) throw new Error(`AvsbServer not ready: ${ready.error.message}`);
    },
    scope: (c: BenchContext) =>
      server.forUser(userContext(c)),
    get: (s, flag) => readers[flag]!(s),
    close: (s) => s.close(),
    allFlags: (s) => s.allFlags(),
    track: (s) => s.track('purchase', { value: 149.99, properties: { currency: 'usd' } }),
    flush: () => server.flush(),
    wasmMemoryBytes: () => server.metrics().engineMemoryBytes,
    async eventStats() {
      await server.flush();
      const m = server.metrics();
      const e = m.events!;
      return `engine: ${m.liveContexts} live contexts, ${(m.engineMemoryBytes / 1048576).toFixed(1)} MiB linear memory; pipeline: ${e.sent.toLocaleString('en-US')} events sent, ${e.dropped.toLocaleString('en-US')} dropped, ${e.invalid} invalid, ${e.failedBatches} failed batches; sink: ${describeSink(sink.stats)}; ${log.summary()}`;
    },
    shutdown: () => server.close(),
  };
}
