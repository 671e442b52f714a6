import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { AvsbEngine, ContextEncoder, LazyFlags, shareContexts } from '../src/index';
import { wasmModule } from './support/wasm';

// Two servers in one process run the same engine host code on two engines
// (issue 9): an engine whose object has a map of its own (a member added with
// a value, a getter above all, that differs per engine) makes that code see
// two maps, and every read of both servers ≈ 1.5x dearer. Their maps must be
// one however many engines there are.

const cwd = fileURLToPath(new URL('..', import.meta.url));

const DATAFILE = { schemaVersion: 1, revision: 1, flags: [{ key: 'f', on: true, variations: [1, 2], fallthrough: { variation: 1 } }] };

/** An engine as `AvsbServer` makes it, with a datafile loaded and a context read. */
const serverEngine = (): AvsbEngine => {
  const e = shareContexts(AvsbEngine.createSync(wasmModule('release'), { contextEncoder: new ContextEncoder(), lazyFlags: new LazyFlags() }));
  expect(e.load(DATAFILE).ok).toBe(true);
  const handle = e.registerContext({ kind: 'user', key: 'u' });
  expect(e.evaluate(handle, 'f').value).toBe(2);
  expect(e.releaseContext(handle)).toBe(true);
  return e;
};

it('gives every engine that shares contexts the same functions, not closures of its own', () => {
  const a = serverEngine();
  const b = serverEngine();
  expect(b.registerContext).toBe(a.registerContext);
  expect(b.releaseContext).toBe(a.releaseContext);
  const live = (e: AvsbEngine) => Object.getOwnPropertyDescriptor(e, 'liveContexts')?.get;
  expect(live(a)).toBeTypeOf('function');
  expect(live(b)).toBe(live(a));
  // and each its own table: a context held by one is not live in the other
  const held = a.registerContext({ kind: 'user', key: 'held' });
  expect(a.liveContexts).toBe(1);
  expect(b.liveContexts).toBe(0);
  expect(a.releaseContext(held)).toBe(true);
});

it("gives two servers' engines one map, as V8 sees them", () => {
  // %HaveSameMap is V8's own answer; a fresh process with natives syntax, the package's build as an application imports it
  const out = execFileSync(
    process.execPath,
    [
      '--allow-natives-syntax',
      '--input-type=module',
      '-e',
      `
      const { AvsbEngine, ContextEncoder, LazyFlags, shareContexts } = await import('@avsb/engine');
      const { engineWasmModule } = await import('@avsb/engine/node');
      const make = () => {
        const e = shareContexts(AvsbEngine.createSync(engineWasmModule(), { contextEncoder: new ContextEncoder(), lazyFlags: new LazyFlags() }));
        e.load(${JSON.stringify(DATAFILE)});
        e.releaseContext(e.registerContext({ kind: 'user', key: 'u' }));
        return e;
      };
      const a = make();
      const b = make();
      console.log(JSON.stringify({ engines: %HaveSameMap(a, b), exports: %HaveSameMap(a._x ?? Object.values(a).find((v) => v?.avsb_eval), b._x ?? Object.values(b).find((v) => v?.avsb_eval)) }));
      `,
    ],
    { cwd, encoding: 'utf8' },
  );
  expect(JSON.parse(out)).toEqual({ engines: true, exports: true });
});
