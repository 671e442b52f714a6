import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { guideDatafile } from './support/fixtures';
import { rawEngine, wasmModule } from './support/wasm';

// The warnings' buffer is taken from the heap at the first warning (ABI.md, "Warnings"): until then
// avsb_warnings_ptr() is 0 with a length of 0, and a host that reads the length first never reads at 0.

/** Warning records at `ptr` (`len` bytes), as `path: message`: ABI.md's layout, read here on its own. */
function records(memory: WebAssembly.Memory, ptr: number, len: number): string[] {
  const view = new DataView(memory.buffer, ptr, len);
  const text = (at: number, n: number) => new TextDecoder().decode(new Uint8Array(memory.buffer, ptr + at, n));
  const out: string[] = [];
  for (let at = 0; at < len; ) {
    const p = view.getUint32(at, true);
    const m = view.getUint32(at + 4 + p, true);
    out.push(`${text(at + 4, p)}: ${text(at + 8 + p, m)}`);
    at += 8 + p + m;
  }
  return out;
}

const withWarning = () => {
  const df = structuredClone(guideDatafile) as { flags: { fallthrough: unknown }[] };
  df.flags[2]!.fallthrough = { variation: 7 };
  return JSON.stringify(df);
};

it('a fresh engine answers pointer 0 and length 0, and so after a load without warnings', () => {
  const { x, put } = rawEngine('release');
  expect([x.avsb_warning_count(), x.avsb_warnings_len(), x.avsb_warnings_ptr()]).toEqual([0, 0, 0]);
  expect(x.avsb_load(put(JSON.stringify(guideDatafile)))).toBe(0);
  expect([x.avsb_warning_count(), x.avsb_warnings_len(), x.avsb_warnings_ptr()]).toEqual([0, 0, 0]);
});

it('the page’s evaluator starts at pointer 0 and length 0 too', () => {
  const file = fileURLToPath(new URL('../build/avsb-evaluator.wasm', import.meta.url));
  const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports as Record<string, () => number>;
  expect([x.avsb_warning_count!(), x.avsb_warnings_len!(), x.avsb_warnings_ptr!()]).toEqual([0, 0, 0]);
});

it('a load with a warning gives a non-zero pointer and its record; a later clean or refused load length 0, whatever the pointer', () => {
  const { x, put } = rawEngine('release');
  expect(x.avsb_load(put(withWarning()))).toBe(0);
  const ptr = x.avsb_warnings_ptr() as number;
  expect(ptr).toBeGreaterThan(0);
  expect(x.avsb_warning_count()).toBe(1);
  expect(records(x.memory as WebAssembly.Memory, ptr, x.avsb_warnings_len())).toEqual(['flags[2].fallthrough.variation: must be an integer from 0 to 1, not 7']);
  expect(x.avsb_load(put(JSON.stringify(guideDatafile)))).toBe(0);
  expect([x.avsb_warning_count(), x.avsb_warnings_len()]).toEqual([0, 0]);
  // the buffer is kept for the next warning: the same pointer, the new records only
  expect(x.avsb_load(put(withWarning()))).toBe(0);
  expect(x.avsb_warnings_ptr()).toBe(ptr);
  expect(records(x.memory as WebAssembly.Memory, ptr, x.avsb_warnings_len())).toHaveLength(1);
  expect(x.avsb_load(put('{"flags":['))).toBe(1);
  expect([x.avsb_warning_count(), x.avsb_warnings_len()]).toEqual([0, 0]);
});

it('the TypeScript host reads no warnings before the first one and the expected text after', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  const clean = engine.load(JSON.stringify(guideDatafile));
  expect(clean).toMatchObject({ ok: true, warningCount: 0, warnings: [] });
  const warned = engine.load(withWarning());
  expect(warned).toMatchObject({ ok: true, warningCount: 1, warnings: [{ path: 'flags[2].fallthrough.variation', message: 'must be an integer from 0 to 1, not 7' }] });
  expect(engine.load(JSON.stringify(guideDatafile))).toMatchObject({ ok: true, warningCount: 0, warnings: [] });
});
