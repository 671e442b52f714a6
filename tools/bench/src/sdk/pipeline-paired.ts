// The events pipeline alone, new users (issue 9): each tree's `EventPipeline` (its built @avsb/events, with the same
// tree's `validatedContext` of @avsb/common, as a scoped client hands it) records what a new user's request records —
// a context event, two new experiment exposures and 18 counted reads — and sends its batches to an in-process
// transport that takes each body (batchBody). Rounds of `--users` new users alternate the trees in one process (the
// order reversed every other round), CPU time per user; the first rounds are left out as warm-up. The SDK rows
// (`paired.js`, `fresh-paired.js --mode request-new`) carry the engine, the scoped client and the harness too, and do
// not resolve a change of 1–3 % of the pipeline (≈ 0.3–1 % of a request); this row does.
//
//   node dist/sdk/pipeline-paired.js [--rounds 200] [--users 4000] [--held on] main=/work/main mine=/work/wt-NAME [again=/work/main]
//
// `--held on`: read-new's users instead (`paired.js`): the 10,000 contexts made and validated once, as held scopes
// hand them, each new again to the dedupe cache when it comes back (its capacity, 10,000 entries, holds a third of
// them with their two exposures), so that each user records a context event and two new exposures as in read-new.
//
// prints per tree the median ns per user, the median of the rounds' ratios to the first tree with their quartiles,
// and the body bytes sent (the same for every tree unless a window's end fell elsewhere: the dedupe window is the
// flush interval, 5 s). Run both orders, with an A/A tree.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makeContexts, userContext } from '../workload.js';
import { cpuNs, median, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';

const USAGE = 'node dist/sdk/pipeline-paired.js [--rounds 200] [--users 4000] [--held on] label=/path/to/tree …';
/** Rounds left out of the figures: the first ones run while V8 still compiles. */
const WARMUP_ROUNDS = 6;
const FLAG_KEYS = Array.from({ length: 20 }, (_, i) => `flag-${i}`);
/** The reads of the 20 that put the user in an experiment (two new exposures a user). */
const EXPERIMENTS = new Set([3, 11]);

interface Batch {
  readonly batchId: string;
}

interface EventsModule {
  EventPipeline: new (platform: unknown, options: object) => {
    recordExposure(input: object): void;
    countEvaluation(flag: string, variation: number | null, index?: number): void;
    close(): Promise<void>;
  };
  createPlatform(options: { transport: { send(batch: Batch): Promise<{ status: number }> } }): unknown;
  batchBody(batch: Batch): string;
}

interface CommonModule {
  validatedContext(context: unknown): unknown;
}

interface Side {
  readonly label: string;
  readonly record: (start: number, users: number) => Promise<void>;
  readonly perUser: number[];
  readonly sent: { bytes: number };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const quantile = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

/** How a pass hands its users to the pipeline (`--held on`). */
interface Feed {
  /** read-new's users: 10,000 contexts made and validated once (held scopes), each one new again to the dedupe cache. */
  readonly held: boolean;
}

async function sideOf(label: string, root: string, feed: Feed): Promise<Side> {
  const url = (pkg: string): string => `${pathToFileURL(join(root, 'packages', pkg, 'dist/index.js')).href}?${label}`;
  const events = (await import(url('events'))) as EventsModule;
  const common = (await import(url('common'))) as CommonModule;
  const sent = { bytes: 0 };
  const transport = {
    send: async (batch: Batch) => {
      sent.bytes += events.batchBody(batch).length;
      return { status: 202 };
    },
  };
  const pipeline = new events.EventPipeline(events.createPlatform({ transport }), {});
  const contexts = makeContexts();
  const heldContexts = feed.held ? contexts.map(userContext) : [];
  const heldIdentities = heldContexts.map((c) => common.validatedContext(c));
  const record = async (start: number, users: number): Promise<void> => {
    for (let j = 0; j < users; j++) {
      const at = (start + j) % contexts.length;
      // a new object per user, as a request builds it (or the held scope's, validated once)
      const context = feed.held ? heldContexts[at]! : userContext(contexts[at]!);
      const identity = feed.held ? heldIdentities[at] : common.validatedContext(context);
      for (let f = 0; f < FLAG_KEYS.length; f++) {
        if (EXPERIMENTS.has(f)) {
          pipeline.recordExposure({ flag: FLAG_KEYS[f], variation: 1, reason: 'FALLTHROUGH', inExperiment: true, context, identity, revision: 7 });
        } else pipeline.countEvaluation(FLAG_KEYS[f]!, f & 1, f);
      }
      // batches are written on a size flush's microtask and sent on later turns, as in a server
      if ((j + 1) % 100 === 0) await tick();
    }
    await tick();
  };
  return { label, record, perUser: [], sent };
}

async function main(): Promise<void> {
  const args = parsePairedArgs(process.argv.slice(2), { rows: [], defaultRows: [], options: ['users', 'held'], defaultRounds: 200, usage: USAGE });
  const users = Number(args.options.get('users') ?? 4000);
  const held = args.options.get('held') ?? 'off';
  if (held !== 'on' && held !== 'off') throw new Error(`--held: on or off, not ${held}`);
  const feed: Feed = { held: held === 'on' };
  const sides: Side[] = [];
  for (const { label, root } of args.trees) sides.push(await sideOf(label, root, feed));
  let start = 0;
  for (let r = 0; r < args.rounds + WARMUP_ROUNDS; r++) {
    for (const side of r % 2 === 1 ? [...sides].reverse() : sides) {
      const t0 = cpuNs();
      await side.record(start, users);
      if (r >= WARMUP_ROUNDS) side.perUser.push((cpuNs() - t0) / users);
    }
    start += users;
  }
  const first = sides[0]!;
  console.log(`events pipeline alone, ${feed.held ? 'held' : 'new'} users: ${args.rounds} rounds of ${users} users a tree`);
  for (const side of sides) {
    const ratios = side.perUser.map((ns, i) => ns / first.perUser[i]!);
    console.log(
      `  ${side.label}: ${median(side.perUser).toFixed(0)} ns/user; ÷ ${first.label} ${median(ratios).toFixed(3)} ` +
        `(quartiles ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)}); ${side.sent.bytes} body bytes`,
    );
  }
}

runMain(main);
