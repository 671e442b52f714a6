import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { guardPlatform } from './guarded-platform';
import type { EventPlatform } from './platform';

// A server flushes its events every few seconds for as long as it runs, and may have a second pipeline beside it (a
// second AvsbServer, or a server and its test double). Neither may throw the recording path's optimised code away
// (issue 9): a flush must keep every object the reads touch on the map it had (no field reassigned that V8 took for a
// constant, no array that changes its elements kind), and a second pipeline must meet the same maps and the same
// functions as the first.

const cwd = fileURLToPath(new URL('..', import.meta.url));

const platform = (): EventPlatform => ({
  transport: { send: () => Promise.resolve({ status: 202 }) },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
  randomId: () => 'b1',
  logger: { debug() {}, info() {}, warn() {}, error() {} },
});

it("gives every pipeline's guarded platform the same functions, each reading its own platform", () => {
  const clocks = [1_000, 2_000];
  const [a, b] = clocks.map((at) => guardPlatform({ ...platform(), now: () => at }));
  for (const name of ['now', 'random', 'randomId', 'setTimeout', 'clearTimeout'] as const) expect(b![name]).toBe(a![name]);
  expect([a!.now(), b!.now()]).toEqual(clocks);
});

it('keeps the recording path optimised across flushes, and one map for what it touches in every pipeline, as V8 sees them', () => {
  // %-functions are V8's own answers; a fresh process with natives syntax, the package's build as an application
  // imports it. The transport answers 202 in the process: delivery is not what this looks at.
  const out = execFileSync(
    process.execPath,
    [
      '--allow-natives-syntax',
      '--input-type=module',
      '-e',
      `
      const { EventPipeline } = await import('@avsb/events');
      const platform = () => ({
        transport: { send: async () => ({ status: 202 }) },
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h),
        unrefTimer: (h) => h.unref(),
        now: () => Date.now(),
        randomId: () => Math.random().toString(36).slice(2),
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      });
      const make = () => new EventPipeline(platform(), { flushIntervalMs: 3600000 });
      // the pipeline's parts, found by their shape: the build shortens member names
      const member = (p, test) => Object.values(p).find((v) => v !== null && typeof v === 'object' && test(v));
      const counter = (p) => member(p, (v) => typeof v.countAt === 'function');
      const queue = (p) => member(p, Array.isArray);
      const guarded = (p) => member(p, (v) => typeof v.now === 'function' && typeof v.randomId === 'function');
      const referencesNoHoles = (array) => %HasObjectElements(array) && !%HasHoleyElements(array);
      const proto = EventPipeline.prototype;
      const hot = ['countEvaluation', 'recordExposure'];
      // optimised, and not marked for deoptimisation (V8's OptimizationStatus bits 4 and 14)
      const optimised = () => hot.every((name) => { const s = %GetOptimizationStatus(proto[name]); return (s & 16) !== 0 && (s & 16384) === 0; });
      // a server's reads: each flag counted by its index, one in an experiment for returning users; a window's first
      // read of a flag takes the paths every window's first read takes
      const reads = (p, n) => {
        for (let i = 0; i < n; i++) {
          p.countEvaluation('f' + (i % 40), i & 1, i % 40);
          p.recordExposure({ flag: 'x' + (i % 40), variation: 1, inExperiment: true, context: { kind: 'user', key: 'u' + (i % 50) } });
        }
      };
      const a = make();
      const b = make();
      // held from here: looking a member up again would move an object off a map V8 has deprecated
      const counters = [counter(a), counter(b)];
      const out = { queues: [], slotArrays: [], afterFlush: [], afterReads: [] };
      const look = (p) => {
        out.queues.push(referencesNoHoles(queue(p)));
        for (const array of Object.values(counter(p)).filter(Array.isArray)) out.slotArrays.push(referencesNoHoles(array));
      };
      look(a);
      for (const name of hot) %PrepareFunctionForOptimization(proto[name]);
      reads(a, 400);
      look(a);
      // b was made before a counted: its counter must not be left on an older map
      out.counters = %HaveSameMap(counters[0], counters[1]);
      for (const name of hot) %OptimizeFunctionOnNextCall(proto[name]);
      reads(a, 10);
      out.optimised = optimised();
      for (let k = 0; k < 3; k++) {
        await a.flush();
        out.afterFlush.push(optimised());
        look(a);
        reads(a, 100);
        out.afterReads.push(optimised());
      }
      a.recordCustom({ key: 'purchase', context: { kind: 'user', key: 'u1' } });
      look(a);
      look(b);
      out.platformFunctions = ['now', 'random', 'randomId', 'setTimeout', 'clearTimeout'].every((f) => guarded(a)[f] === guarded(b)[f]);
      console.log(JSON.stringify(out));
      await a.close(0);
      await b.close(0);
      `,
    ],
    { cwd, encoding: 'utf8' },
  );
  const seen = JSON.parse(out) as Record<string, unknown>;
  expect(seen).toEqual({
    optimised: true,
    // the first flush threw the two away on main ("code dependencies": the summary counter's Map and slot arrays replaced)
    afterFlush: [true, true, true],
    afterReads: [true, true, true],
    // a queue of [] held small integers until a summary or custom event joined it: another map
    queues: Array(7).fill(true),
    // the slot arrays were [] (small integers), then holey
    slotArrays: Array(14).fill(true),
    // a counter's start time began as a small integer: the first window's epoch ms gave counters a new map
    counters: true,
    // closures per pipeline
    platformFunctions: true,
  });
});
