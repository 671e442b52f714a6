// What a request allocates, by site: V8's sampling heap profiler (one sample per `--interval` bytes on average) over
// `--requests` iterations of one row of `paired.ts`, on one tree's `@avsb/node` (or the hand-written floor), after
// as many warm-up iterations as `paired.ts` runs. Bytes per iteration by the function that allocated, named through
// the tree's source maps; run with `--no-turbo-inlining` so that it is the function as written rather than the one
// it was inlined into (the total does not move by it). `--survivors on`: only what is still alive after a minor GC at
// the end, i.e. what a scavenge would have copied, not what was allocated (use `--requests` near the number of
// iterations between two scavenges, `--trace-gc` shows it). Bytes, not time: CPU comes from `paired.js`.
//
// Usage (after `tsc -p tools/bench`; the tree built with `pnpm build`):
//   node --expose-gc --no-turbo-inlining tools/bench/dist/sdk/alloc-sites.js [--rows request-new|request-returning|read-new]
//     [--requests 40000] [--interval 64] [--survivors on] [--top 25] /work/wt-x|hand
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeContexts } from '../workload.js';
import { REPEAT_SCOPES } from './index.js';
import { createAvsbSdk, type AvsbNodeModule } from './avsb.js';
import { bodies } from './bodies.js';
import { createSdk as createHand } from './hand.js';
import type { SdkPeer } from './types.js';
import { runMain } from '../run-main.js';
import { parseTreeArgs } from '../tree-args.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const parse = (argv: string[]): { tree: string; options: Map<string, string> } =>
  parseTreeArgs(argv, 'usage: alloc-sites.js [--rows request-new] [--requests N] [--interval B] [--survivors on] [--top N] /path/to/tree|hand');

/** `function@package/src/file.ts:line` through the build's source map, else the built file's place. */
function site(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url.startsWith('file:')) return `${name} ${frame.url}`.trim();
  const entry = findSourceMap(fileURLToPath(frame.url))?.findEntry(frame.lineNumber, frame.columnNumber);
  const source = entry && 'originalSource' in entry ? `${entry.originalSource}:${entry.originalLine + 1}` : `${frame.url}:${frame.lineNumber + 1}`;
  return `${name}@${source.replace(/^.*\/(packages|tools)\//, '$1/')}`;
}

async function main(): Promise<void> {
  const { tree, options } = parse(process.argv.slice(2));
  const row = options.get('rows') ?? 'request-new';
  const requests = Number(options.get('requests') ?? 40_000);
  const survivors = options.get('survivors') === 'on';
  process.setSourceMapsEnabled(true);
  const url = pathToFileURL(join(tree, 'packages/node/dist/index.js')).href;
  const sdk = (tree === 'hand' ? createHand() : createAvsbSdk([], () => import(url) as Promise<AvsbNodeModule>)) as SdkPeer<unknown>;
  await sdk.load();
  const contexts = makeContexts();
  const scopes = row === 'read-new' ? contexts.map((c) => sdk.scope(c)) : [];
  const loops = bodies(sdk, row === 'request-returning' ? contexts.slice(0, REPEAT_SCOPES) : contexts, scopes);
  const body = row === 'read-new' ? loops.read : loops.request;
  // as paired.ts: the agreement check's requests, then its warm-up and runs
  await bodies(sdk, contexts, []).request(0, contexts.length);
  await body(0, 30_000);
  const session = new Session();
  session.connect();
  (globalThis as { gc?: () => void }).gc?.();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: Number(options.get('interval') ?? 64),
    includeObjectsCollectedByMajorGC: !survivors,
    includeObjectsCollectedByMinorGC: !survivors,
  });
  await body(0, requests);
  if (survivors) (globalThis as { gc?: (o: { type: string }) => void }).gc?.({ type: 'minor' });
  const answer: unknown = await session.post(survivors ? 'HeapProfiler.getSamplingProfile' : 'HeapProfiler.stopSampling');
  const { profile } = answer as { profile: { head: ProfileNode } };
  const bytes = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode): void => {
    if (node.selfSize > 0) {
      const at = site(node.callFrame);
      bytes.set(at, (bytes.get(at) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const per = row === 'read-new' ? 'pass of 20 reads' : 'request';
  console.log(`${tree} ${row}: ${(total / requests).toFixed(0)} B per ${per}${survivors ? ' alive after a minor GC' : ' allocated'} (${requests} iterations)`);
  const top = Number(options.get('top') ?? 25);
  for (const [at, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${(b / requests).toFixed(1).padStart(8)}  ${at}`);
  await sdk.shutdown();
}

runMain(main);
