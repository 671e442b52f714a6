import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { waitFor } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import { BATCH, ReleaseBackstop } from './release-backstop';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until `check` holds (finalizers run on later turns). */
async function collectUntil(check: () => boolean, what: string): Promise<void> {
  await waitFor(
    async () => {
      gc();
      await new Promise((r) => setTimeout(r, 10));
      return check();
    },
    10_000,
    what,
  );
}

it('releases the handles of forgotten holders once a batch of later ones arrived, and never a released one', { timeout: 20_000 }, async () => {
  const released: number[] = [];
  const backstop = new ReleaseBackstop((handle) => released.push(handle));
  // odd handles are released by their holder (before and after the registry watches them), even ones forgotten;
  // in a function of its own, so that no holder stays in this async function's frame
  ((): void => {
    const closeLater: ReturnType<ReleaseBackstop['watch']>[] = [];
    for (let handle = 1; handle <= 2 * BATCH; handle++) {
      const watch = backstop.watch({}, handle);
      if (handle % 4 === 1) backstop.released(watch);
      else if (handle % 4 === 3) closeLater.push(watch);
    }
    for (const watch of closeLater) backstop.released(watch);
  })();
  const young = { still: 'watched' };
  backstop.watch(young, 9999);
  await collectUntil(() => released.length === BATCH, `${BATCH} releases`);
  expect(released.every((h) => h % 2 === 0)).toBe(true);
  expect(new Set(released).size).toBe(BATCH);
  expect(released).not.toContain(9999);
  expect(young.still).toBe('watched');
});

it('gives the engine back the handles of scoped clients nobody closed', { timeout: 20_000 }, async () => {
  const engine = AvsbEngine.createSync(engineWasmBytes());
  const c = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, initialDatafile: guideDatafile() });
  for (let i = 0; i < 4 * BATCH; i++) c.forUser({ kind: 'user', key: `u_${i}` }).getBoolFlag('checkout-v2', false);
  const closed = c.forUser({ kind: 'user', key: 'closed' });
  closed.getBoolFlag('checkout-v2', false);
  closed.close();
  expect(engine.liveContexts).toBe(4 * BATCH);
  // the last batch is still young: it is watched once more clients arrive
  await collectUntil(() => engine.liveContexts <= BATCH, 'forgotten clients released');
  await c.close();
});
