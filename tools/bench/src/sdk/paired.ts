// Paired CPU-time passes of the SDK level: two (or more) builds of
// @avsb/node, each from its own tree, in ONE process, row by row in
// alternating order, beside the hand-written floor. On a machine shared with
// other jobs the wall-clock rows of `run.ts` move by 2–10×; CPU time
// (`process.cpuUsage`, which a descheduled process does not accumulate),
// the best of 5 runs per row and round, and the median of the rounds move by
// a few per cent, and a ratio taken within one round cancels most of the rest.
//
// Usage (after `tsc -p tools/bench`; each tree built with `pnpm build`):
//   node --expose-gc tools/bench/dist/sdk/paired.js [--rounds 6] [--rows request-new,…] \
//     main=/work/main mine=/work/wt-x
// Rows: request-new (10,000 users in turn), request-returning (100 users),
// request-new-flushed (request-new with a flush of the events at the end of
// each run, inside the timing), read-new (held scopes of the 10,000 users:
// each experiment read records a new exposure), read-returning (100 users),
// request-allflags (request-returning with one `allFlags()` per request before
// the reads; the hand floor has none). `--all-flags-first on`: each build's
// first use is an `allFlags()`, before any read (a server whose first request
// bootstraps a page, or whose datafile holds flags its own code never reads):
// the rows then measure reads that came after that pass over unread flags.
// `--flush-interval-ms N`: each build's server flushes its events every N ms
// (its own timer, between the loops' turns of the event loop) instead of every
// 5 s, so that every timed run spans flushes (flush-14: a flush used to throw
// the recording path's optimised code away).
// `--hook on`: every build runs with one no-op evaluation hook (the bench's
// `avsb-hook` row). Plain and hooked rows are separate passes: two servers of
// one build in one process share @avsb/core's functions, so each would train
// the other's read path (the bench runs its rows in separate processes too).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makeContexts, type BenchContext } from '../workload.js';
import { REPEAT_SCOPES } from './index.js';
import { NO_OP_HOOK, createAvsbSdk, flushIntervalOption, type AvsbNodeModule } from './avsb.js';
import { bodies, requestWithAllFlags } from './bodies.js';
import { createSdk as createHand } from './hand.js';
import type { SdkPeer } from './types.js';
import { cpuTime, median, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';

const ROWS = ['request-new', 'request-returning', 'request-new-flushed', 'read-new', 'read-returning', 'request-allflags'] as const;
type Row = (typeof ROWS)[number];

const PLAN = { warmupMs: 200, runMs: 250, runs: 5 };

async function measure<S>(sdk: SdkPeer<S>, row: Row, contexts: BenchContext[]): Promise<number> {
  const few = contexts.slice(0, REPEAT_SCOPES);
  switch (row) {
    case 'request-new':
      return cpuTime(bodies(sdk, contexts, []).request, PLAN);
    case 'request-returning':
      return cpuTime(bodies(sdk, few, []).request, PLAN);
    case 'request-allflags':
      return cpuTime(requestWithAllFlags(sdk, few), PLAN);
    case 'request-new-flushed':
      return cpuTime(bodies(sdk, contexts, []).request, PLAN, sdk.flush ? () => sdk.flush!() : undefined);
    case 'read-new':
    case 'read-returning': {
      const scopes = (row === 'read-new' ? contexts : few).map((c) => sdk.scope(c));
      try {
        return await cpuTime(bodies(sdk, contexts, scopes).read, PLAN);
      } finally {
        for (const s of scopes) sdk.close?.(s);
      }
    }
  }
}

async function main(): Promise<void> {
  const { rounds, rows, trees, options } = parsePairedArgs(process.argv.slice(2), {
    rows: ROWS,
    defaultRows: ['request-new', 'request-returning', 'read-new', 'read-returning'],
    options: ['all-flags-first', 'flush-interval-ms', 'hook'],
    usage: 'paired.js [--rounds N] [--rows a,b] [--all-flags-first on] [--flush-interval-ms N] [--hook on] label=/tree …',
  });
  const allFlagsFirst = options.get('all-flags-first') === 'on';
  const events = flushIntervalOption(options);
  const hook = options.get('hook') ?? 'off';
  if (hook !== 'off' && hook !== 'on') throw new Error(`--hook: on or off, not ${hook}`);
  const contexts = makeContexts();
  const peers: { label: string; sdk: SdkPeer<unknown> }[] = [];
  for (const { label, root } of trees) {
    const url = pathToFileURL(join(root, 'packages/node/dist/index.js')).href;
    const load = () => import(url) as Promise<AvsbNodeModule>;
    peers.push({ label, sdk: createAvsbSdk(hook === 'on' ? [NO_OP_HOOK] : [], load, events) as SdkPeer<unknown> });
  }
  peers.push({ label: 'hand', sdk: createHand() });
  for (const { sdk } of peers) {
    await sdk.load();
    if (allFlagsFirst && sdk.allFlags) {
      const first = sdk.scope(contexts[0]!);
      sdk.allFlags(first);
      sdk.close?.(first);
    }
    // as in the bench: the 10,000 requests of the agreement check come first
    await bodies(sdk, contexts, []).request(0, contexts.length);
  }
  const ns = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const { label, sdk } of r % 2 === 0 ? peers : [...peers].reverse()) {
      for (const row of rows) {
        const key = `${row} ${label}`;
        ns.set(key, [...(ns.get(key) ?? []), await measure(sdk, row, contexts)]);
      }
    }
    process.stderr.write(`round ${r + 1} of ${rounds} done\n`);
  }
  const first = peers[0]!.label;
  for (const row of rows) {
    const hand = ns.get(`${row} hand`)!;
    const cells = peers.map(({ label }) => {
      const xs = ns.get(`${row} ${label}`)!;
      const toHand = label === 'hand' ? '' : `, ${(median(xs.map((x, i) => x / hand[i]!))).toFixed(2)}× hand`;
      const ratios = xs.map((x, i) => x / ns.get(`${row} ${first}`)![i]!);
      const toFirst =
        label === first || label === 'hand'
          ? ''
          : `, ${median(ratios).toFixed(3)} of ${first} (rounds ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`;
      return `${label} ${median(xs).toFixed(1)} ns${toHand}${toFirst}`;
    });
    console.log(`${row}: ${cells.join(' | ')}`);
  }
  for (const { label, sdk } of peers) {
    if (label !== 'hand') console.log(`${label}: ${await sdk.eventStats()}`);
    await sdk.shutdown();
  }
}

runMain(main);
