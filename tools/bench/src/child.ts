// Measures one SDK in its own process (so no SDK's JIT state or heap affects
// another's): load, prepare 10,000 contexts, agreement check, then timing.
// Usage: node --expose-gc dist/child.js <sdk-id>; prints one `RESULT {json}` line.
import { checkAgreement, type Agreement } from './agreement.js';
import { sinkOf, time, type Timing } from './measure.js';
import { loadPeerModule } from './peers/index.js';
import type { Peer } from './peers/types.js';
import { FLAGS, makeContexts } from './workload.js';

export interface ChildResult {
  id: string;
  label: string;
  api: string;
  prepare: string;
  bulkApi: string | null;
  wasmPath: string | null;
  agreement: Agreement;
  eval: Timing;
  prep: Timing;
  all20: Timing;
  bulk: Timing | null;
  notes: string[];
  sink: number;
}

const F = FLAGS.length;
let sink = 0;

function bodies<C>(peer: Peer<C>, prepared: C[], contexts: ReturnType<typeof makeContexts>) {
  const N = prepared.length;
  const release = peer.releaseContext?.bind(peer) ?? (() => {});
  if (peer.async) {
    return {
      eval: async (start: number, count: number) => {
        let s = 0;
        for (let j = 0; j < count; j++) {
          const c = prepared[(start + j) % N]!;
          for (let f = 0; f < F; f++) s += sinkOf(await peer.evaluate(c, f));
        }
        sink += s;
        return count * F;
      },
      all20: async (start: number, count: number) => {
        let s = 0;
        for (let j = 0; j < count; j++) {
          const c = peer.prepareContext(contexts[(start + j) % N]!);
          for (let f = 0; f < F; f++) s += sinkOf(await peer.evaluate(c, f));
          release(c);
        }
        sink += s;
        return count;
      },
      bulk: async (start: number, count: number) => {
        let s = 0;
        for (let j = 0; j < count; j++) {
          const c = peer.prepareContext(contexts[(start + j) % N]!);
          s += sinkOf(await peer.evaluateAll!(c));
          release(c);
        }
        sink += s;
        return count;
      },
    };
  }
  return {
    eval: (start: number, count: number) => {
      let s = 0;
      for (let j = 0; j < count; j++) {
        const c = prepared[(start + j) % N]!;
        for (let f = 0; f < F; f++) s += sinkOf(peer.evaluate(c, f));
      }
      sink += s;
      return count * F;
    },
    all20: (start: number, count: number) => {
      let s = 0;
      for (let j = 0; j < count; j++) {
        const c = peer.prepareContext(contexts[(start + j) % N]!);
        for (let f = 0; f < F; f++) s += sinkOf(peer.evaluate(c, f));
        release(c);
      }
      sink += s;
      return count;
    },
    bulk: (start: number, count: number) => {
      let s = 0;
      for (let j = 0; j < count; j++) {
        const c = peer.prepareContext(contexts[(start + j) % N]!);
        s += sinkOf(peer.evaluateAll!(c));
        release(c);
      }
      sink += s;
      return count;
    },
  };
}

async function main(id: string): Promise<ChildResult> {
  const mod = await loadPeerModule(id);
  const peer = mod.createPeer();
  await peer.load(mod.translate());
  const contexts = makeContexts();
  const prepared = contexts.map((c) => peer.prepareContext(c));

  const agreement = await checkAgreement(peer, contexts, prepared);
  const notes = peer.notes?.() ?? [];
  const b = bodies(peer, prepared, contexts);
  const release = peer.releaseContext?.bind(peer) ?? (() => {});
  const N = contexts.length;
  const evalT = await time(b.eval);
  const prep = await time((start, count) => {
    let s = 0;
    for (let j = 0; j < count; j++) {
      const c = peer.prepareContext(contexts[(start + j) % N]!);
      s += sinkOf(c);
      release(c);
    }
    sink += s;
    return count;
  });
  const all20 = await time(b.all20);
  const bulk = peer.evaluateAll ? await time(b.bulk) : null;
  await peer.close?.();
  return {
    id,
    label: peer.label,
    api: peer.api,
    prepare: peer.prepare,
    bulkApi: peer.bulkApi ?? null,
    wasmPath: peer.wasmPath ?? null,
    agreement,
    eval: evalT,
    prep,
    all20,
    bulk,
    notes,
    sink,
  };
}

const id = process.argv[2];
if (!id) throw new Error('usage: child.js <sdk-id>');
main(id).then(
  (r) => {
    process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
