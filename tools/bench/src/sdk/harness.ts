// The bench's hot closures for one tree. `createAvsbSdk`'s readers (`(s) => s.getBoolFlag(key, …)`) and `bodies`'
// loops are closures of a few function literals, and V8 gives every closure of one literal one feedback vector and
// one optimised code. With two or more trees in a process (a paired pass), those call sites see each tree's
// `ScopedClient` (a class per tree's module, so a map per tree): `--trace-deopt` shows the three readers thrown
// away for a wrong map at `s` and `read`/`request` for a wrong map and call target, then made again polymorphic
// for every tree. Importing these two modules once per tree (a query string makes a
// new module instance, as bulk-paired.ts does for its loops) gives each tree closures of its own literals, as a
// user's process, with one server, has. settle-13 measured it (earlier-measurements.md, "Why one server's reads
// settle slower in some processes"): the bench's wrong-map deopts go, the reads' distribution does not move, so
// only settle.ts offers it (`--harness own`); paired.ts and two-servers.ts keep the shared closures.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { AvsbNodeModule } from './avsb.js';
import type * as Avsb from './avsb.js';
import type * as Bodies from './bodies.js';
import type { SdkPeer } from './types.js';

export interface TreeHarness {
  /** A new (not loaded) server of the tree's `@avsb/node`, without hooks. */
  server(): SdkPeer<unknown>;
  /** The timed loops to drive it with. */
  bodies: typeof Bodies;
}

const instance = (label: string, own: boolean): string => (own ? `?tree=${encodeURIComponent(label)}` : '');

/** bodies.js for one peer: its own module instance when `own` (the hand-written floor's too), else the process's one. */
export async function peerBodies(label: string, own: boolean): Promise<typeof Bodies> {
  return (await import(`./bodies.js${instance(label, own)}`)) as typeof Bodies;
}

/** The tree's harness: its own module instances of avsb.js and bodies.js when `own`, else the process's one. */
export async function treeHarness(tree: { label: string; root: string }, own: boolean): Promise<TreeHarness> {
  const avsb = (await import(`./avsb.js${instance(tree.label, own)}`)) as typeof Avsb;
  const url = pathToFileURL(join(tree.root, 'packages/node/dist/index.js')).href;
  return {
    server: () => avsb.createAvsbSdk([], () => import(url) as Promise<AvsbNodeModule>) as SdkPeer<unknown>,
    bodies: await peerBodies(tree.label, own),
  };
}
