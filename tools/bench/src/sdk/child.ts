// Measures one server SDK in its own process: load (offline, events to a
// local sink), 10,000 requests that are also the agreement check, RSS, then
// the timings (read, repeat read, track, request), then a soak of SOAK
// requests (fewer if the SDK cannot do them within SOAK_S seconds) with RSS,
// V8's heap spaces and the wasm memory sampled after a forced GC (and a
// settling pause) at each tenth of it.
// Usage: node --expose-gc dist/sdk/child.js <id>; prints one `SDKRESULT {json}` line.
import { getHeapSpaceStatistics } from 'node:v8';
import { checkAgreement, type Agreement } from '../agreement.js';
import { time, type Timing } from '../measure.js';
import type { Peer } from '../peers/types.js';
import { FLAGS, makeContexts, type BenchContext } from '../workload.js';
import { REPEAT_SCOPES, SOAK, SOAK_S, YIELD_EVERY, loadSdkModule } from './index.js';
import { bodies, folded, tick } from './bodies.js';
import type { SdkPeer } from './types.js';

export interface Memory {
  /** RSS with the contexts built, before the SDK is imported. */
  start: number;
  afterLoad: number;
  /** After the 10,000 requests of the agreement check (and a GC). */
  after10k: number;
  soakRequests: number;
  /** True when the soak was cut to fit SOAK_S. */
  soakCapped: boolean;
  /** Time in the soak's requests (the GCs and pauses between tenths left out). */
  soakMs: number;
  /** RSS and heap used after a GC at SOAK / 10 and at SOAK requests. */
  rssAtTenth: number;
  rssAtEnd: number;
  heapAtTenth: number;
  heapAtEnd: number;
  /** After a GC at every tenth of the soak. */
  samples: MemorySample[];
}

/** V8 heap spaces by their V8 name (`new_space`, `old_space`, `code_space`, `large_object_space`, …): committed and used bytes. */
export type HeapSpaces = Record<string, { committed: number; used: number }>;

export interface MemorySample {
  requests: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Bytes outside V8's heap that V8 knows of: `arrayBuffers` and wasm memories included. */
  external: number;
  arrayBuffers: number;
  /** The SDK's WebAssembly linear memory as it reports it; null when it has none or cannot tell. */
  wasmMemory: number | null;
  spaces: HeapSpaces;
}

/**
 * Read at once after a forced GC, RSS swung by ≈ 10 MiB between tenths with
 * no trend, outside V8's heap and gone with `--single-threaded`: V8's
 * background threads release what the GC freed a little later (bench
 * README, "RSS over the soak (eighth session)"). Waiting this long
 * (idle, outside the timed soak) lets that finish, for every SDK alike.
 */
const SETTLE_MS = Number(process.env.BENCH_SDK_SETTLE_MS ?? 200);
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, SETTLE_MS));

function sample<S>(sdk: SdkPeer<S>, requests: number): MemorySample {
  const m = process.memoryUsage();
  const spaces: HeapSpaces = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name] = { committed: s.space_size, used: s.space_used_size };
  return {
    requests, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers,
    wasmMemory: sdk.wasmMemoryBytes?.() ?? null, spaces,
  };
}

export interface SdkChildResult {
  id: string;
  label: string;
  readApi: string;
  requestApi: string;
  events: string;
  trackApi: string;
  /** Set when the SDK could not be run here: the reason, verbatim. */
  notMeasured: string | null;
  agreement: Agreement | null;
  readT: Timing | null;
  repeatT: Timing | null;
  requestT: Timing | null;
  /** Requests of 100 users in turn (returning users: their events already recorded in this window). */
  repeatRequestT: Timing | null;
  trackT: Timing | null;
  memory: Memory | null;
  eventStats: string;
  sink: number;
}

const F = FLAGS.length;
const gc = (): void => (globalThis as { gc?: () => void }).gc!();

/** The SDK as the agreement check wants it: one request (scope, 20 reads, close) per context, in order. */
function agreementPeer<S>(sdk: SdkPeer<S>): Peer<BenchContext> {
  let scope: S;
  let n = 0;
  return {
    label: sdk.label,
    api: sdk.readApi,
    prepare: sdk.requestApi,
    async: true,
    sdkModule: '', // not cold-started
    async load() {},
    prepareContext: (c) => c,
    async evaluate(c, f) {
      if (f === 0) {
        if (++n % YIELD_EVERY === 0) await tick();
        scope = sdk.scope(c);
      }
      const v = await sdk.get(scope, f);
      if (f === F - 1) sdk.close?.(scope);
      return v;
    },
  };
}

type Before = Pick<Memory, 'start' | 'afterLoad' | 'after10k'>;

async function soak<S>(sdk: SdkPeer<S>, contexts: BenchContext[], requestNs: number, memory: Before): Promise<Memory> {
  const N = contexts.length;
  const request = bodies(sdk, contexts, []).request;
  const fits = Math.max(10_000, Math.floor((SOAK_S * 1e9) / requestNs / 10_000) * 10_000);
  const total = Math.min(SOAK, fits);
  const tenth = Math.floor(total / 10);
  const samples: Memory['samples'] = [];
  let ns = 0n;
  for (let done = 0; done < total; ) {
    const n = Math.min(tenth, total - done);
    const t0 = process.hrtime.bigint();
    await request(done % N, n);
    ns += process.hrtime.bigint() - t0;
    done += n;
    gc();
    await settle();
    samples.push(sample(sdk, done));
  }
  const soakMs = Number(ns) / 1e6;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  return {
    ...memory,
    soakRequests: total,
    soakCapped: total < SOAK,
    soakMs,
    rssAtTenth: first.rss,
    rssAtEnd: last.rss,
    heapAtTenth: first.heapUsed,
    heapAtEnd: last.heapUsed,
    samples,
  };
}

async function main(id: string): Promise<SdkChildResult> {
  const sdk = (await loadSdkModule(id)).createSdk();
  const result: SdkChildResult = {
    id, label: sdk.label, readApi: sdk.readApi, requestApi: sdk.requestApi, events: sdk.events, trackApi: sdk.trackApi,
    notMeasured: null, agreement: null, readT: null, repeatT: null, requestT: null, repeatRequestT: null, trackT: null, memory: null, eventStats: '', sink: 0,
  };
  const contexts = makeContexts();
  gc();
  const start = process.memoryUsage().rss;
  try {
    await sdk.load();
  } catch (e) {
    result.notMeasured = e instanceof Error ? e.message : String(e);
    return result;
  }
  gc();
  const afterLoad = process.memoryUsage().rss;

  result.agreement = await checkAgreement(agreementPeer(sdk), contexts, contexts);
  gc();
  const after10k = process.memoryUsage().rss;

  const scopes = contexts.map((c) => sdk.scope(c));
  const b = bodies(sdk, contexts, scopes);
  result.readT = await time(b.read);
  result.repeatT = await time(bodies(sdk, contexts, scopes.slice(0, REPEAT_SCOPES)).read);
  if (sdk.track) {
    const track = sdk.track.bind(sdk);
    result.trackT = await time(async (start, count) => {
      for (let j = 0; j < count; j++) {
        track(scopes[(start + j) % scopes.length]!);
        if ((j + 1) % YIELD_EVERY === 0) await tick();
      }
      return count;
    });
  }
  for (const s of scopes) sdk.close?.(s);
  scopes.length = 0;
  result.requestT = await time(b.request);
  result.repeatRequestT = await time(bodies(sdk, contexts.slice(0, REPEAT_SCOPES), []).request);

  result.memory = await soak(sdk, contexts, result.requestT.ns, { start, afterLoad, after10k });
  result.eventStats = await sdk.eventStats();
  await sdk.shutdown();
  result.sink = folded.value;
  return result;
}

const id = process.argv[2];
if (!id) throw new Error('usage: sdk/child.js <sdk-id>');
main(id).then(
  (r) => {
    process.stdout.write(`SDKRESULT ${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
