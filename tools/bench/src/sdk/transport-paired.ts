// What a batch's delivery costs besides the request itself (issue 9): each tree's `fetchTransport` (its built
// @avsb/events) sends one batch, whose body is already written, to a `fetch` that answers 202 at once, in rounds of
// `--sends` sends that alternate the trees in one process (the order reversed every other round), CPU time per send;
// the first rounds are left out as warm-up. What is left is the transport's own per-batch work: its AbortController,
// its timer, the request's headers and init, reading the answer. A request-new batch holds ≈ 300 events, ≈ 100 new
// users: divide by 100 for a new user's share.
//
//   node dist/sdk/transport-paired.js [--rounds 40] [--sends 4000] main=/work/main mine=/work/wt-NAME [again=/work/main]
//
// prints per tree the median ns per send and the median of the rounds' ratios to the first tree with their quartiles.
// Run both orders, with an A/A tree.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { cpuNs, median, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';

const USAGE = 'node dist/sdk/transport-paired.js [--rounds 40] [--sends 4000] label=/path/to/tree …';
/** Rounds left out of the figures: the first ones run while V8 still compiles. */
const WARMUP_ROUNDS = 6;

interface Batch {
  readonly batchId: string;
  readonly sdk: { readonly name: string; readonly version: string };
  readonly events: readonly unknown[];
}

interface EventsModule {
  fetchTransport(options: { baseUrl: string; sdkKey: string; fetch: () => Promise<unknown> }): { send(batch: Batch): Promise<unknown> };
}

interface Side {
  readonly label: string;
  readonly send: (batch: Batch) => Promise<unknown>;
  /** One batch per tree: its body is written on the first send and kept, as a retry's is. */
  readonly batch: Batch;
  readonly perSend: number[];
}

/** The answer of a server that took the batch: no `Retry-After`, an empty body. */
const ACCEPTED = { status: 202, headers: { get: (): null => null }, text: async (): Promise<string> => '' };

const quantile = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

async function sideOf(label: string, root: string): Promise<Side> {
  const events = (await import(`${pathToFileURL(join(root, 'packages/events/dist/index.js')).href}?${label}`)) as EventsModule;
  // the key is a placeholder: nothing leaves the process
  const transport = events.fetchTransport({ baseUrl: 'http://127.0.0.1:9', sdkKey: 'srv-bench', fetch: async () => ACCEPTED });
  const batch: Batch = { batchId: `bench-${label}`, sdk: { name: 'bench', version: '0' }, events: [] };
  return { label, send: (b) => transport.send(b), batch, perSend: [] };
}

async function main(): Promise<void> {
  const args = parsePairedArgs(process.argv.slice(2), { rows: [], defaultRows: [], options: ['sends'], defaultRounds: 40, usage: USAGE });
  const sends = Number(args.options.get('sends') ?? 4000);
  const sides: Side[] = [];
  for (const { label, root } of args.trees) sides.push(await sideOf(label, root));
  for (let r = 0; r < args.rounds + WARMUP_ROUNDS; r++) {
    for (const side of r % 2 === 1 ? [...sides].reverse() : sides) {
      const t0 = cpuNs();
      for (let i = 0; i < sends; i++) await side.send(side.batch);
      if (r >= WARMUP_ROUNDS) side.perSend.push((cpuNs() - t0) / sends);
    }
  }
  const first = sides[0]!;
  console.log(`fetchTransport alone: ${args.rounds} rounds of ${sends} sends a tree`);
  for (const side of sides) {
    const ratios = side.perSend.map((ns, i) => ns / first.perSend[i]!);
    console.log(
      `  ${side.label}: ${median(side.perSend).toFixed(0)} ns/send; ÷ ${first.label} ${median(ratios).toFixed(3)} ` +
        `(quartiles ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)})`,
    );
  }
}

runMain(main);
