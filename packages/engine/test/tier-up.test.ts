import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { avsbDatafile } from '../../../tools/bench/src/workload';

// In a fresh process V8 runs each wasm function as Liftoff code and
// recompiles it with TurboFan once it has spent a budget, charged by the
// length of the code each loop iteration and return runs through. Up to the
// first evaluation of the bench's datafile (issue 9's cold start) nothing
// should get there: a TurboFan compile there is CPU the cold start pays
// for. Counted, not timed: V8 prints each function it compiles, and with
// --single-threaded it compiles on the main thread, so no compile is still
// running when the process ends. (The budget and its charges are V8's:
// these counts are Node 20's, V8 11.3.)

const wasm = fileURLToPath(new URL('../build/avsb-engine.wasm', import.meta.url));

/** TurboFan and Liftoff compiles in a fresh process that loads `datafile` `loads` times, then evaluates every flag. */
function compiles(datafile: string, loads: number): { turbofan: number; liftoff: number; results: number[] } {
  const script = `
    const { readFileSync } = require('node:fs');
    const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(${JSON.stringify(wasm)})), {}).exports;
    const put = (text) => {
      const bytes = Buffer.from(text);
      new Uint8Array(x.memory.buffer).set(bytes, x.avsb_input(bytes.length));
      return bytes.length;
    };
    const datafile = readFileSync(0, 'utf8');
    for (let i = 0; i < ${loads}; i++) if (x.avsb_load(put(datafile)) !== 0) throw new Error('not loaded');
    const h = x.avsb_ctx_create(put(JSON.stringify({ kind: 'user', key: 'u-1', plan: 'pro', country: 'US' })));
    const results = [];
    for (let f = 0; f < x.avsb_flag_count(); f++) results.push(x.avsb_eval(h, f));
    console.log('RESULTS ' + JSON.stringify(results));
  `;
  const out = execFileSync(process.execPath, ['--single-threaded', '--trace-wasm-compilation-times', '-e', script], { input: datafile, encoding: 'utf8' });
  return {
    turbofan: out.match(/ using TurboFan/g)?.length ?? 0,
    liftoff: out.match(/ using Liftoff/g)?.length ?? 0,
    results: JSON.parse(/^RESULTS (.*)$/m.exec(out)![1]!) as number[],
  };
}

const text = JSON.stringify(avsbDatafile());

it.each([
  ['minified', text],
  ['pretty-printed', JSON.stringify(avsbDatafile(), null, 2)],
])('loads the bench datafile (%s) and evaluates every flag in a fresh process with no function tiered up to TurboFan', (_, datafile) => {
  const run = compiles(datafile, 1);
  expect(run.liftoff).toBeGreaterThan(50);
  expect(run.results.length).toBeGreaterThan(10);
  expect(run.results.every((r) => r >= 0)).toBe(true);
  expect(run.turbofan).toBe(0);
});

it('sees the tier-up a load path charges its budget for (the same datafile loaded 20 times in one process)', () => {
  expect(compiles(text, 20).turbofan).toBeGreaterThan(0);
});
