// The engine host's context encoding alone, new users (issue 9): each tree's `ContextEncoder` (its built
// @avsb/engine, the `module-sync` file a server loads) writes the bench's 10,000 contexts, each a new object as a
// request builds it, into a buffer of its own. Rounds alternate the trees in one process (the order reversed every
// other round), CPU time per context; the first rounds are left out as warm-up. The SDK rows carry the engine's
// registration, the events and the harness too, and do not resolve a change of 10 % of the encoding (≈ 0.5 % of a
// request); this row does. Every tree's bytes are checked against the first tree's before timing.
//
//   node dist/sdk/encoder-paired.js [--rounds 40] [--passes 20] main=/work/main mine=/work/wt-NAME [again=/work/main]
//
// prints per tree the median ns per context and the median of the rounds' ratios to the first tree with their
// quartiles. Run both orders, with an A/A tree.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makeContexts, userContext } from '../workload.js';
import { cpuNs, median, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';

const USAGE = 'node dist/sdk/encoder-paired.js [--rounds 40] [--passes 20] label=/path/to/tree …';
/** Rounds left out of the figures: the first ones run while V8 still compiles. */
const WARMUP_ROUNDS = 6;
const ROOM = 1 << 16;

interface Encoder {
  encode(context: object, out: Uint8Array, view: DataView, at: number, room: number): number;
}

interface Side {
  readonly label: string;
  readonly encode: (context: object) => number;
  readonly out: Uint8Array;
  readonly perContext: number[];
}

const quantile = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

async function sideOf(label: string, root: string): Promise<Side> {
  const url = `${pathToFileURL(join(root, 'packages/engine/dist/node-sync.js')).href}?${label}`;
  const { ContextEncoder } = (await import(url)) as { ContextEncoder: new () => Encoder };
  const encoder = new ContextEncoder();
  const out = new Uint8Array(ROOM);
  const view = new DataView(out.buffer);
  return { label, encode: (context) => encoder.encode(context, out, view, 0, ROOM), out, perContext: [] };
}

async function main(): Promise<void> {
  const args = parsePairedArgs(process.argv.slice(2), { rows: [], defaultRows: [], options: ['passes'], defaultRounds: 40, usage: USAGE });
  const passes = Number(args.options.get('passes') ?? 20);
  const sides: Side[] = [];
  for (const { label, root } of args.trees) sides.push(await sideOf(label, root));
  const contexts = makeContexts();
  // the same bytes from every tree (twice each: the second time with whatever the encoder kept from the first)
  for (let k = 0; k < 2; k++) {
    for (const context of contexts) {
      const lengths = sides.map((side) => side.encode(userContext(context)));
      for (let s = 1; s < sides.length; s++) {
        const n = lengths[0]!;
        if (lengths[s] !== n || sides[s]!.out.subarray(0, n).some((b, i) => b !== sides[0]!.out[i])) {
          throw new Error(`${sides[s]!.label} encodes ${context.key} otherwise than ${sides[0]!.label}`);
        }
      }
    }
  }
  let sink = 0;
  for (let r = 0; r < args.rounds + WARMUP_ROUNDS; r++) {
    for (const side of r % 2 === 1 ? [...sides].reverse() : sides) {
      const t0 = cpuNs();
      for (let p = 0; p < passes; p++) for (const context of contexts) sink += side.encode(userContext(context));
      if (r >= WARMUP_ROUNDS) side.perContext.push((cpuNs() - t0) / (passes * contexts.length));
    }
  }
  const first = sides[0]!;
  console.log(`context encoding alone, new users: ${args.rounds} rounds of ${passes} × ${contexts.length} contexts a tree (${sink > 0 ? 'written' : 'none written'})`);
  for (const side of sides) {
    const ratios = side.perContext.map((ns, i) => ns / first.perContext[i]!);
    console.log(
      `  ${side.label}: ${median(side.perContext).toFixed(1)} ns/context; ÷ ${first.label} ${median(ratios).toFixed(3)} ` +
        `(quartiles ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)})`,
    );
  }
}

runMain(main);
