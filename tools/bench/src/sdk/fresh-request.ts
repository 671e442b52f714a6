// One fresh process's request row for fresh-paired.ts's `--mode request-new`: `paired.ts`'s request loop (`forUser` +
// 20 reads + `close`, events on) on one tree's `@avsb/node` (or the hand-written floor), alone in its heap. In
// `paired.ts` both builds share one heap, so a scavenge one build triggers copies the other's young objects and what
// one build keeps alive is traced for both; here each build pays for its own garbage and survivors only. After the
// agreement check's 10,000 requests and `--warmup` more, a full GC, then `--requests` requests timed as one block of
// process CPU time (`process.cpuUsage`: the main thread, the collector's helper threads and the compiler's), and the
// collections seen meanwhile (`PerformanceObserver` 'gc': scavenges, mark-compacts, their pause time).
//
//   node --expose-gc dist/sdk/fresh-request.js [--row new|returning] [--requests 200000] [--warmup 30000]
//     [--profile out.cpuprofile] TREE|hand
// prints `REQUEST {json}` (a `FreshRequestRow`). `--profile`: a CPU profile (50 µs) of the timed block alone, for
// the inspector or a script (its CPU figure then includes the profiler's cost: compare profiles with profiles).
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { makeContexts } from '../workload.js';
import { REPEAT_SCOPES } from './index.js';
import { createAvsbSdk, type AvsbNodeModule } from './avsb.js';
import { bodies } from './bodies.js';
import { createSdk as createHand } from './hand.js';
import type { SdkPeer } from './types.js';
import { cpuNs, gc } from '../paired-pass.js';
import { runMain } from '../run-main.js';
import { parseTreeArgs } from '../tree-args.js';

/** What one process measured over its timed requests. */
export interface FreshRequestRow {
  readonly requests: number;
  /** Process CPU ns per request, collections included. */
  readonly cpuNs: number;
  readonly scavenges: number;
  /** Scavenges' pause time, ms over the block. */
  readonly scavengeMs: number;
  /** Mark-compacts (full collections), their incremental marking steps counted apart. */
  readonly markCompacts: number;
  readonly markCompactMs: number;
  /** The old space's used bytes after the block less before it, per request: what was promoted (and not yet collected). */
  readonly oldGrowthPerRequest: number;
}

const parse = (argv: string[]): { tree: string; options: Map<string, string> } =>
  parseTreeArgs(argv, 'usage: fresh-request.js [--row new|returning] [--requests N] [--warmup N] /path/to/tree|hand');

const oldBytes = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;

async function main(): Promise<void> {
  const { tree, options } = parse(process.argv.slice(2));
  const row = options.get('row') ?? 'new';
  if (row !== 'new' && row !== 'returning') throw new Error(`--row new or returning, not ${row}`);
  const requests = Number(options.get('requests') ?? 200_000);
  const warmup = Number(options.get('warmup') ?? 30_000);
  const url = pathToFileURL(join(tree, 'packages/node/dist/index.js')).href;
  const sdk = (tree === 'hand' ? createHand() : createAvsbSdk([], () => import(url) as Promise<AvsbNodeModule>)) as SdkPeer<unknown>;
  await sdk.load();
  const contexts = makeContexts();
  // as paired.ts: the agreement check's requests come first
  await bodies(sdk, contexts, []).request(0, contexts.length);
  const body = bodies(sdk, row === 'new' ? contexts : contexts.slice(0, REPEAT_SCOPES), []).request;
  await body(0, warmup);
  gc();
  const seen = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0 };
  let counting = true;
  const observer = new PerformanceObserver((list) => {
    if (!counting) return;
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        seen.scavenges++;
        seen.scavengeMs += e.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        seen.markCompacts++;
        seen.markCompactMs += e.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  // the observer's entries of the full GC above arrive on a later turn: let them pass before counting
  await new Promise((resolve) => setTimeout(resolve, 10));
  seen.scavenges = seen.scavengeMs = seen.markCompacts = seen.markCompactMs = 0;
  const profile = options.get('profile');
  const session = profile === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
  }
  const before = oldBytes();
  const t0 = cpuNs();
  await body(warmup, requests);
  const cpu = cpuNs() - t0;
  const after = oldBytes();
  if (session !== undefined) {
    const { profile: taken } = await session.post('Profiler.stop');
    writeFileSync(profile!, JSON.stringify(taken));
    session.disconnect();
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  counting = false;
  observer.disconnect();
  const out: FreshRequestRow = { requests, cpuNs: cpu / requests, ...seen, oldGrowthPerRequest: (after - before) / requests };
  process.stdout.write(`REQUEST ${JSON.stringify(out)}\n`);
  await sdk.shutdown();
}

runMain(main);
