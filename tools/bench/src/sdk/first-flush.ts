// What a server's first events flush costs its reads (flush-14). Until then the summary counter's fields had never
// been reassigned, and V8's optimised reads relied on that: on main the first flush threw `countEvaluation`,
// `recordExposure` and the helpers they inline away ("code dependencies"), and the reads ran unoptimised until they
// were compiled again. A paired in-process pass cannot see it (each build flushes before its timed runs), so each
// sample is a process of its own: the tree's server loads (its own flush interval an hour away), serves the agreement
// check's 10,000 requests and read-returning blocks (100 held scopes, 20 reads each, `--reads` reads a block, default
// 20,000), flushes once, and times the blocks after it. Per tree: ns per read before (median of the last 5 blocks) and
// of each of the first blocks after, and the CPU µs the first blocks after spent above the before rate.
//
// Usage (after `tsc -p tools/bench`; each tree built with `pnpm build`):
//   node --expose-gc tools/bench/dist/sdk/first-flush.js [--rounds 10] [--reads 20000] main=/work/main mine=/work/wt-x
// One process per tree and round, the order alternating round by round; run both orders.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeContexts } from '../workload.js';
import { REPEAT_SCOPES } from './index.js';
import { createAvsbSdk, type AvsbNodeModule } from './avsb.js';
import { bodies } from './bodies.js';
import { cpuNs, gc, median, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';

const BEFORE = 12;
const AFTER = 6;

interface Sample {
  before: number[];
  after: number[];
}

/** One process: the tree's server, its blocks before and after its first flush, as JSON on stdout. */
async function child(root: string, reads: number): Promise<void> {
  const contexts = makeContexts();
  const url = pathToFileURL(join(root, 'packages/node/dist/index.js')).href;
  const sdk = createAvsbSdk([], () => import(url) as Promise<AvsbNodeModule>, { flushIntervalMs: 3_600_000 });
  await sdk.load();
  await bodies(sdk, contexts, []).request(0, contexts.length);
  const scopes = contexts.slice(0, REPEAT_SCOPES).map((c) => sdk.scope(c));
  const read = bodies(sdk, contexts, scopes).read;
  const per = Math.max(1, Math.round(reads / 20));
  let at = 0;
  const block = async (): Promise<number> => {
    const t0 = cpuNs();
    const n = await read(at, per);
    at += per;
    return (cpuNs() - t0) / n;
  };
  const sample: Sample = { before: [], after: [] };
  gc();
  for (let i = 0; i < BEFORE; i++) sample.before.push(await block());
  await sdk.flush!();
  for (let i = 0; i < AFTER; i++) sample.after.push(await block());
  for (const s of scopes) sdk.close?.(s);
  await sdk.shutdown();
  console.log(JSON.stringify(sample));
}

const run = (args: string[]): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, Number(argv[2]));
  const { rounds, trees, options } = parsePairedArgs(argv, {
    rows: ['read-returning'],
    defaultRows: ['read-returning'],
    options: ['reads'],
    defaultRounds: 10,
    usage: 'first-flush.js [--rounds N] [--reads N] label=/tree …',
  });
  const reads = Number(options.get('reads') ?? 20_000);
  const samples = trees.map((): Sample[] => []);
  for (let r = 0; r < rounds; r++) {
    const order = [...trees.keys()];
    for (const i of r % 2 === 0 ? order : order.reverse()) {
      samples[i]!.push(JSON.parse(await run(['--child', trees[i]!.root, String(reads)])) as Sample);
    }
    process.stderr.write(`round ${r + 1} of ${rounds} done\n`);
  }
  const spread = (xs: number[], digits: number): string => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
  for (const [i, { label }] of trees.entries()) {
    const rows = samples[i]!.map(({ before, after }) => {
      const base = median(before.slice(-5));
      // the CPU the blocks after the flush spent above the rate before it, in µs
      const extra = after.reduce((sum, ns) => sum + (ns - base) * reads, 0) / 1000;
      return { base, ratios: after.map((ns) => ns / base), extra };
    });
    const columns = Array.from({ length: AFTER }, (_, k) => `block ${k + 1} ${spread(rows.map((x) => x.ratios[k]!), 2)}`);
    console.log(`${label}: before ${spread(rows.map((x) => x.base), 1)} ns/read | after the flush, ÷ before: ${columns.join(', ')} | extra CPU over ${AFTER} blocks ${spread(rows.map((x) => x.extra), 0)} µs`);
  }
}

runMain(main);
