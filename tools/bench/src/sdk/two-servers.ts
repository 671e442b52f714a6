// A second AvsbServer in the process (issue 9): server A's returning reads
// (read-returning: 100 held scopes, 20 reads each) timed alone, then again
// after a second server of the same module (another SDK, the same workload)
// has loaded, served the agreement requests and its own returning reads. A
// server's hot code is shared by every server of its module, so whatever
// differs between the two servers' objects (their maps, their closures) makes
// that code polymorphic, or throws it away, for both.
//
// Usage (after `tsc -p tools/bench`; each tree built with `pnpm build`):
//   node --expose-gc tools/bench/dist/sdk/two-servers.js [--rounds 4] main=/work/main mine=/work/wt-x
// Each tree's servers come from its own module, so the trees do not disturb
// each other; the rounds alternate the trees' order, and a tree's "alone"
// rounds all come before any tree has a second server. Reported per tree:
// A alone, A and B after B served, and their ratios to A alone; across trees,
// each phase's ratio to the first tree, per round. `--flush-interval-ms N`:
// every server flushes its events every N ms instead of every 5 s (paired.ts).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makeContexts, type BenchContext } from '../workload.js';
import { REPEAT_SCOPES } from './index.js';
import { createAvsbSdk, flushIntervalOption, type AvsbNodeModule, type BenchEventOptions } from './avsb.js';
import { bodies } from './bodies.js';
import type { SdkPeer } from './types.js';
import { cpuTime, median, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';

const PLAN = { warmupMs: 200, runMs: 250, runs: 5 };
const PHASES = ['A alone', 'A beside B', 'B beside A'] as const;

async function readReturning(sdk: SdkPeer<unknown>, contexts: BenchContext[]): Promise<number> {
  const scopes = contexts.slice(0, REPEAT_SCOPES).map((c) => sdk.scope(c));
  try {
    return await cpuTime(bodies(sdk, contexts, scopes).read, PLAN);
  } finally {
    for (const s of scopes) sdk.close?.(s);
  }
}

/** A server of this tree's `@avsb/node`, loaded, after the 10,000 agreement requests (as the bench has it). */
async function server(root: string, contexts: BenchContext[], events: BenchEventOptions): Promise<SdkPeer<unknown>> {
  const url = pathToFileURL(join(root, 'packages/node/dist/index.js')).href;
  const sdk = createAvsbSdk([], () => import(url) as Promise<AvsbNodeModule>, events) as SdkPeer<unknown>;
  await sdk.load();
  await bodies(sdk, contexts, []).request(0, contexts.length);
  return sdk;
}

async function main(): Promise<void> {
  const { rounds, trees, options } = parsePairedArgs(process.argv.slice(2), {
    rows: ['read-returning'],
    defaultRows: ['read-returning'],
    options: ['flush-interval-ms'],
    defaultRounds: 4,
    usage: 'two-servers.js [--rounds N] [--flush-interval-ms N] label=/tree …',
  });
  const events = flushIntervalOption(options);
  const contexts = makeContexts();
  const ns = new Map<string, number[]>();
  const record = (key: string, x: number): void => void ns.set(key, [...(ns.get(key) ?? []), x]);
  const inTurn = <T>(xs: readonly T[], r: number): readonly T[] => (r % 2 === 0 ? xs : [...xs].reverse());

  const a = [];
  for (const { root } of trees) a.push(await server(root, contexts, events));
  for (let r = 0; r < rounds; r++) {
    for (const i of inTurn([...trees.keys()], r)) record(`A alone ${i}`, await readReturning(a[i]!, contexts));
    process.stderr.write(`alone: round ${r + 1} of ${rounds} done\n`);
  }
  const b = [];
  for (const { root } of trees) {
    const second = await server(root, contexts, events);
    await readReturning(second, contexts);
    b.push(second);
  }
  for (let r = 0; r < rounds; r++) {
    for (const i of inTurn([...trees.keys()], r)) {
      record(`A beside B ${i}`, await readReturning(a[i]!, contexts));
      record(`B beside A ${i}`, await readReturning(b[i]!, contexts));
    }
    process.stderr.write(`beside: round ${r + 1} of ${rounds} done\n`);
  }

  const spread = (xs: number[]): string => `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;
  for (const [i, { label }] of trees.entries()) {
    const alone = ns.get(`A alone ${i}`)!;
    const cells = PHASES.map((phase) => {
      const xs = ns.get(`${phase} ${i}`)!;
      // the alone rounds and the beside rounds are not paired: the ratio is of medians
      const toAlone = phase === 'A alone' ? '' : `, ${(median(xs) / median(alone)).toFixed(3)} of A alone`;
      return `${phase} ${median(xs).toFixed(1)} ns${toAlone}`;
    });
    console.log(`${label}: ${cells.join(' | ')}`);
  }
  const first = trees[0]!.label;
  for (const phase of PHASES) {
    const base = ns.get(`${phase} 0`)!;
    const cells = trees.slice(1).map(({ label }, j) => {
      const ratios = ns.get(`${phase} ${j + 1}`)!.map((x, k) => x / base[k]!);
      return `${label} ÷ ${first} ${spread(ratios)}`;
    });
    console.log(`${phase}: ${cells.join(' | ')}`);
  }
  for (const sdk of [...a, ...b]) await sdk.shutdown();
}

runMain(main);
