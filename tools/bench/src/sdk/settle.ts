// Does a server settle at the same speed in every process (issue 9, settle-13)? Each tree's server loads, serves
// the agreement check's 10,000 requests, and then the trees' returning reads (read-returning: 100 held scopes, 20
// reads each) are timed for a few rounds, the trees alternating as in `paired.js`; the process prints one line per
// tree, its rounds' CPU ns per read. Run it in 20–40 fresh processes (a shell loop) and compare the distributions:
// a paired pass's median of 4–6 rounds is only as good as one process's settling.
//
// `--harness shared` (what `paired.js` did before settle-13) drives every tree with the same bench closures;
// `--harness own` (the default) gives each tree its own copy of them (`harness.ts` says why).
//
// Usage (after `tsc -p tools/bench`; each tree built with `pnpm build`):
//   node --expose-gc tools/bench/dist/sdk/settle.js [--rounds 3] [--harness own|shared] main=/work/main [aa=/work/wt-x]
import { makeContexts } from '../workload.js';
import { REPEAT_SCOPES } from './index.js';
import { cpuTime, parsePairedArgs } from '../paired-pass.js';
import { runMain } from '../run-main.js';
import { treeHarness, type TreeHarness } from './harness.js';
import type { SdkPeer } from './types.js';

const PLAN = { warmupMs: 200, runMs: 250, runs: 5 };

async function main(): Promise<void> {
  const { rounds, trees, options } = parsePairedArgs(process.argv.slice(2), {
    rows: ['read-returning'],
    defaultRows: ['read-returning'],
    options: ['harness'],
    defaultRounds: 3,
    usage: 'settle.js [--rounds N] [--harness own|shared] label=/tree …',
  });
  const own = (options.get('harness') ?? 'own') === 'own';
  const contexts = makeContexts();
  const servers: { h: TreeHarness; sdk: SdkPeer<unknown> }[] = [];
  for (const tree of trees) {
    const h = await treeHarness(tree, own);
    const sdk = h.server();
    await sdk.load();
    await h.bodies.bodies(sdk, contexts, []).request(0, contexts.length);
    servers.push({ h, sdk });
  }
  const ns = trees.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    const order = [...trees.keys()];
    for (const i of r % 2 === 0 ? order : order.reverse()) {
      const { h, sdk } = servers[i]!;
      const scopes = contexts.slice(0, REPEAT_SCOPES).map((c) => sdk.scope(c));
      try {
        ns[i]!.push(await cpuTime(h.bodies.bodies(sdk, contexts, scopes).read, PLAN));
      } finally {
        for (const s of scopes) sdk.close?.(s);
      }
    }
  }
  for (const [i, { label }] of trees.entries()) console.log(`${label} ${ns[i]!.map((x) => x.toFixed(1)).join(' ')}`);
  for (const { sdk } of servers) await sdk.shutdown();
}

runMain(main);
