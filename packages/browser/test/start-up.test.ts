// A returning visitor's start-up in Chromium: the page creates its client as soon as its module runs, with the datafile
// cached by an earlier visit and the network held back, and the first read is the engine's answer from that cache.
// The test prints how long it took (medians of a few reloads), when each step ran, and a step-by-step breakdown done
// by hand; it asserts no timing. AVSB_STARTUP_RUNS=9 pnpm vitest run --project @avsb/browser test/start-up.test.ts
// AVSB_STARTUP_COMPARE=/work/main (another checkout, built) adds the paired comparison of the inline page (below).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { compileDatafile, isCompiledDatafile } from '@avsb/engine/compiler';
import { type SandboxServer, startSandboxServer } from '@avsb/server';
import { waitFor } from '@avsb/test-support';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type StaticServer, bundleTestPage, launchChromium, serveStatic } from '@avsb/test-support/browser';
import type { StartUpFigures } from './page/start-up';
import { PACKAGE_DIR } from './support/page-bundle';

/** Reloads per form; more with AVSB_STARTUP_RUNS for a benchmark run. */
const RUNS = Math.max(1, Number(process.env.AVSB_STARTUP_RUNS) || 3);

/** The page: its first script notes the time; `head` goes before it (a preload of the .wasm). */
const html = (head = ''): string =>
  `<!doctype html><meta charset="utf-8"><title>avsb start-up</title>${head}<script>window.pageScriptAt = performance.now()</script><script type="module" src="/app.js"></script>\n`;

interface Form {
  readonly name: string;
  readonly entry: string;
  readonly head?: string;
  dir?: string;
  site?: StaticServer;
}

const forms: Form[] = [
  { name: '@avsb/browser (.wasm beside the bundle)', entry: 'test/page/start-up-app.ts' },
  {
    name: '@avsb/browser, the page preloading the .wasm (README)',
    entry: 'test/page/start-up-app.ts',
    head: '<link rel="preload" href="/avsb-evaluator.wasm" as="fetch" crossorigin>',
  },
  { name: '@avsb/browser/inline', entry: 'test/page/start-up-inline-app.ts' },
];
let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startSandboxServer(), launchChromium()]);
  for (const form of forms) {
    form.dir = await bundleTestPage({ packageDir: PACKAGE_DIR, entry: form.entry, wasm: join(PACKAGE_DIR, 'dist', 'avsb-engine.wasm'), html: html(form.head) });
    form.site = await serveStatic(form.dir);
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const form of forms) {
    await form.site?.close();
    if (form.dir !== undefined) rmSync(form.dir, { recursive: true, force: true });
  }
  await server?.close();
}, 30_000);

/**
 * Runs in the page before its scripts: notes when the WebAssembly steps the client runs (fetch of the .wasm, compile,
 * asynchronous or not, instantiate) and its read of the cache started and ended, on `window.engineSteps`.
 */
function traceEngineSteps(): void {
  const steps: [string, number, number][] = [];
  (window as unknown as { engineSteps: typeof steps }).engineSteps = steps;
  const timed = <A extends unknown[], R>(name: (args: A) => string | null, f: (...args: A) => R) =>
    function (this: unknown, ...args: A): R {
      const start = performance.now();
      const result = f.apply(this, args);
      const label = name(args);
      const note = (): void => void (label !== null && steps.push([label, start, performance.now()]));
      if (result instanceof Promise) void result.then(note, note);
      else note();
      return result;
    };
  window.fetch = timed((args) => (String(args[0]).endsWith('.wasm') ? 'fetch .wasm (to headers)' : null), window.fetch);
  WebAssembly.compile = timed(() => 'compile', WebAssembly.compile);
  WebAssembly.compileStreaming = timed(() => 'compileStreaming', WebAssembly.compileStreaming);
  // the inline entry compiles synchronously (src/inline.ts); the engine tells a module by its toStringTag, so the
  // wrapper's results pass as modules
  const Module = WebAssembly.Module;
  const compileSync = timed(() => 'compile (new WebAssembly.Module)', (bytes: BufferSource) => new Module(bytes));
  compileSync.prototype = Module.prototype;
  (WebAssembly as { Module: unknown }).Module = Object.assign(compileSync, { customSections: Module.customSections, exports: Module.exports, imports: Module.imports });
  const Instance = WebAssembly.Instance;
  (WebAssembly as { Instance: unknown }).Instance = timed(() => 'instantiate', (module: WebAssembly.Module, imports?: WebAssembly.Imports) => new Instance(module, imports));
  Storage.prototype.getItem = timed((args) => (String(args[0]).startsWith('avsb:') ? 'cache getItem' : null), Storage.prototype.getItem);
}

async function figures(page: Page): Promise<StartUpFigures> {
  await page.waitForFunction(() => window.startUp !== undefined, undefined, { timeout: 15_000 });
  const result = await page.evaluate(() => window.startUp!);
  if ('error' in result) throw new Error(`the page's client did not get ready: ${result.error}`);
  return result;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

it('answers a returning visitor’s first read from the cached datafile before the network does, in each form', async () => {
  const report: string[] = [];
  for (const form of forms) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const url = `${form.site!.url}/?${new URLSearchParams({ baseUrl: server.url, clientKey: server.clientKey })}`;
    await page.goto(url);
    const live = await figures(page); // the first visit: the datafile comes from the server and is cached
    expect(live).toMatchObject({ value: 'dark', reason: 'RULE_MATCH' });

    await page.addInitScript(traceEngineSteps);
    const held: Route[] = [];
    await page.route(`${server.url}/**`, (route) => void held.push(route));
    const runs: StartUpFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.reload();
      const run = await figures(page);
      expect(run).toMatchObject({ value: 'dark', reason: 'RULE_MATCH' }); // evaluated, from the cache alone
      runs.push(run);
    }
    // every reload asked the network, which never answered (the last reload's request may leave after its first read)
    await waitFor(() => held.length >= RUNS, 5_000, `a held request from each of the ${RUNS} reloads`);
    const steps = await page.evaluate(() => (window as unknown as { engineSteps: [string, number, number][] }).engineSteps);
    const last = runs[runs.length - 1]!;
    const at = (t: number): string => `${(t - last.created).toFixed(1)}`;

    report.push(
      `${form.name}, median of ${RUNS} reloads:`,
      `  createClient → first read      ${ms(median(runs.map((r) => r.firstRead - r.created)))}`,
      `  createClient returns after     ${ms(median(runs.map((r) => r.returned - r.created)))}`,
      `  navigation → first read        ${ms(median(runs.map((r) => r.firstRead)))}`,
      `  the last reload, ms after createClient: ${[...steps.map(([name, start, end]) => `${name} ${at(start)}…${at(end)}`), `first read ${at(last.firstRead)}`].join(', ')}` +
        (last.wasm === null ? '' : `; the .wasm request ${at(last.wasm.start)}, first byte ${at(last.wasm.firstByte)}, last ${at(last.wasm.end)}`),
    );
    if (form.entry.includes('inline')) {
      const laps: Record<string, number>[] = [];
      for (let i = 0; i < RUNS; i++) laps.push(await page.evaluate(() => (window as unknown as { breakdown(): Promise<Record<string, number>> }).breakdown()));
      report.push(`the steps of a first read done by hand after the page loaded (warm), median of ${RUNS}:`);
      for (const step of Object.keys(laps[0]!)) report.push(`  ${step.padEnd(31)}${ms(median(laps.map((s) => s[step]!)))}`);
    }
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  }
  console.log(report.join('\n'));
}, 120_000);

/**
 * 1,000 flags besides the project's: a target list, a rule on an attribute and a 50/50 rollout each, so that every
 * one of them is evaluated (no flag is off).
 */
function thousandFlags(): object[] {
  return Array.from({ length: 1000 }, (_, i) => ({
    key: `many-${i}`,
    on: true,
    variations: [`a-${i}`, `b-${i}`, { n: i }],
    salt: `many-${i}`,
    targets: [{ values: [`u_${i}`], variation: 2 }],
    rules: [{ id: `r-${i}`, clauses: [{ attribute: 'plan', op: 'in', values: ['gold', `plan-${i}`] }], serve: { variation: 1 } }],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 50_000 }, { variation: 1, weight: 50_000 }] } },
  }));
}

/** The sandbox's client datafile with {@link thousandFlags} added, as JSON and compiled. */
async function manyFlags(): Promise<{ json: { revision: number; flags: object[] }; compiled: object }> {
  const served = await (await fetch(`${server.url}/sdk/v1/datafile`, { headers: { authorization: server.clientKey, accept: 'application/json' } })).json();
  const json = { ...(served as { revision: number; flags: object[] }), flags: [...(served as { flags: object[] }).flags, ...thousandFlags()] };
  const compiled = compileDatafile(json);
  if (!compiled.ok) throw new Error(compiled.error);
  return { json, compiled: compiled.document };
}

/** Swaps the page's cached datafile for the larger one of the same revision (compiled where the page asked for that). */
async function cacheManyFlags(page: Page, many: Awaited<ReturnType<typeof manyFlags>>): Promise<void> {
  const [name, text] = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('avsb:datafile:'))!;
    return [key, localStorage.getItem(key)!];
  });
  const entry = JSON.parse(text) as { revision: number; datafile: object };
  entry.datafile = isCompiledDatafile(entry.datafile) ? many.compiled : many.json;
  expect((entry.datafile as { revision?: number }).revision).toBe(entry.revision);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [name, JSON.stringify(entry)] as const);
}

/**
 * A returning visitor whose cached datafile holds 1,000 more flags: the page's first datafile applied runs `allFlags()`
 * over every flag for the change events before `ready`. The page notes when its `update` listener heard of the
 * cached datafile and when its `change` listener did (after that pass): the pass's share of `createClient` → first
 * read, printed (no timing asserted).
 */
it('answers a returning visitor’s first read from a cached datafile of 1,000 more flags, in each form but the fetched one', async () => {
  const many = await manyFlags();
  const report: string[] = [];
  for (const form of forms.slice(1)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${form.site!.url}/?${new URLSearchParams({ baseUrl: server.url, clientKey: server.clientKey, marks: '1' })}`);
    expect(await figures(page)).toMatchObject({ value: 'dark', reason: 'RULE_MATCH' }); // the first visit caches the datafile
    await cacheManyFlags(page, many);
    await page.route(`${server.url}/**`, () => {}); // held: the cache alone answers
    const runs: StartUpFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.reload();
      const run = await figures(page);
      // every flag served from the larger datafile, the change listener told
      expect(run).toMatchObject({ value: 'dark', reason: 'RULE_MATCH', flagCount: many.json.flags.length, changed: expect.any(Number) });
      runs.push(run);
    }
    report.push(
      `${form.name}, ${many.json.flags.length} flags cached, median of ${RUNS} reloads:`,
      `  createClient → first read      ${ms(median(runs.map((r) => r.firstRead - r.created)))}`,
      `  createClient → update heard    ${ms(median(runs.map((r) => r.updated! - r.created)))}`,
      `  update → change (the pass)     ${ms(median(runs.map((r) => r.changed! - r.updated!)))} (${median(runs.map((r) => (r.changed! - r.updated!) / (r.firstRead - r.created))).toFixed(2)} of the first read)`,
    );
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  }
  console.log(report.join('\n'));
}, 120_000);

/** Another checkout whose page the paired comparison sets against this one's; rounds with AVSB_STARTUP_ROUNDS. */
const COMPARE = process.env.AVSB_STARTUP_COMPARE;
const ROUNDS = Math.max(2, Number(process.env.AVSB_STARTUP_ROUNDS) || 16);
/** AVSB_STARTUP_THAT_FIRST=1: the other checkout's page reloads first in even rounds (the order bias, measured both ways). */
const ORDER = process.env.AVSB_STARTUP_THAT_FIRST === '1' ? [1, 0] : [0, 1];
/** AVSB_STARTUP_ENTRY=default: the default entry's page (the evaluator fetched beside the bundle) instead of the inline one. */
const PAIRED = process.env.AVSB_STARTUP_ENTRY === 'default' ? { page: 'start-up-paired.ts', entry: '@avsb/browser', dist: 'index' } : { page: 'start-up-inline-paired.ts', entry: '@avsb/browser/inline', dist: 'inline' };
/**
 * AVSB_STARTUP_MODES=now,many,…: the modes compared (default now, late, own). `many` is a returning visitor with the
 * 1,000 more flags of {@link manyFlags} cached and an `update` listener only; `many-change` the same with a `change`
 * listener too (the page's `marks`). Both report `update` → first read: the cached datafile applied, then what follows
 * it in the same task (the change events' pass) until the first read.
 */
const MODES = (process.env.AVSB_STARTUP_MODES ?? 'now,late,own').split(',');

/** The paired start-up page built against `packageDir`'s dist (this package's, or another checkout's). */
async function pairedPage(packageDir: string): Promise<string> {
  // the default entry's page preloads its .wasm (README): else waiting for the response is most of the span measured
  const dir = mkdtempSync(join(tmpdir(), 'avsb-start-up-paired-'));
  await build({
    entryPoints: [join(PACKAGE_DIR, 'test/page', PAIRED.page)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'app.js'),
    logLevel: 'silent',
    // its own copy of the SDK: the other dist resolves its imports from the other checkout
    alias: { [PAIRED.entry]: join(packageDir, `dist/${PAIRED.dist}.browser.js`) },
  });
  copyFileSync(join(packageDir, 'dist/avsb-evaluator.wasm'), join(dir, 'avsb-evaluator.wasm'));
  writeFileSync(join(dir, 'index.html'), html(PAIRED.dist === 'index' ? forms[1]!.head : ''));
  return dir;
}

/**
 * The inline page (or the default entry's, AVSB_STARTUP_ENTRY) of this checkout and of AVSB_STARTUP_COMPARE's, in one
 * Chromium, reloads alternating (the order swapped every round, a warm-up round dropped), for a page that creates its
 * client as its module runs (`now`), after 15 ms of other work (`late`), with its own engine (`own`), or with 1,000
 * more flags cached (`many`, `many-change`; {@link MODES}): per mode, the ratios this ÷ that of `createClient` → first
 * read and navigation → first read (median and quartiles of the rounds), of the page's main thread's CPU time in tasks
 * up to the first read (Performance.getMetrics' TaskDuration in thread ticks), and of the renderer processes' CPU time
 * (Chromium's SystemInfo.getProcessInfo, in steps of a few ms: over all the reloads, and the rounds' quartiles).
 */
it.runIf(COMPARE !== undefined)('compares the page’s start-up with another checkout’s, reloads alternating', async () => {
  const trees = [
    { label: 'this', dir: await pairedPage(PACKAGE_DIR) },
    { label: 'that', dir: await pairedPage(join(COMPARE!, 'packages/browser')) },
  ];
  const many = MODES.some((mode) => mode.startsWith('many')) ? await manyFlags() : null;
  const sites = await Promise.all(trees.map((t) => serveStatic(t.dir)));
  const cdp = await browser.newBrowserCDPSession();
  const rendererCpu = async (): Promise<number> => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime * 1000, 0);
  };
  const quartiles = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => a - b);
    return `${median(s).toFixed(3)} (${s[Math.floor(s.length / 4)]!.toFixed(2)}–${s[Math.floor((3 * s.length) / 4)]!.toFixed(2)})`;
  };
  const report: string[] = [`this ÷ that (${COMPARE}), ${PAIRED.entry}, ${ROUNDS} rounds:`];
  try {
    for (const mode of MODES) {
      const pages: Page[] = [];
      const threads: (() => Promise<number>)[] = [];
      for (const site of sites) {
        const page = await (await browser.newContext()).newPage();
        const marks = mode === 'many-change' ? '1' : mode === 'many' ? 'update' : '0';
        await page.goto(`${site.url}/?${new URLSearchParams({ baseUrl: server.url, clientKey: server.clientKey, mode, marks })}`);
        await figures(page); // the first visit caches the datafile
        if (many !== null && mode.startsWith('many')) await cacheManyFlags(page, many);
        // the page's main thread, its tasks' CPU time (thread ticks), counted anew by each navigation: the load's, up to
        // the first read, finer than the renderer processes' steps
        const session = await page.context().newCDPSession(page);
        await session.send('Performance.enable', { timeDomain: 'threadTicks' });
        threads.push(async () => {
          const { metrics } = await session.send('Performance.getMetrics');
          return 1000 * metrics.find((m) => m.name === 'TaskDuration')!.value;
        });
        await page.route(`${server.url}/**`, () => {}); // held, as above
        pages.push(page);
      }
      const runs = trees.map(() => ({ read: [] as number[], nav: [] as number[], tail: [] as number[], task: [] as number[], cpus: [] as number[], cpu: 0 }));
      for (let round = 0; round <= ROUNDS; round++) {
        for (const i of round % 2 === 0 ? ORDER : [...ORDER].reverse()) {
          const before = await rendererCpu();
          await pages[i]!.reload();
          const run = await figures(pages[i]!);
          const task = await threads[i]!();
          const cpu = (await rendererCpu()) - before;
          expect(run).toMatchObject({ value: 'dark', reason: 'RULE_MATCH' });
          if (round === 0) continue;
          runs[i]!.read.push(run.firstRead - run.created);
          runs[i]!.nav.push(run.firstRead);
          if (typeof run.updated === 'number') runs[i]!.tail.push(run.firstRead - run.updated);
          runs[i]!.cpus.push(cpu);
          runs[i]!.task.push(task);
          runs[i]!.cpu += cpu;
        }
      }
      const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
      report.push(
        `  ${mode}: createClient → first read ${quartiles(a.read.map((x, i) => x / b.read[i]!))} (${ms(median(a.read))} ÷ ${ms(median(b.read))}), ` +
          `navigation → first read ${quartiles(a.nav.map((x, i) => x / b.nav[i]!))}, ` +
          (a.tail.length > 0 ? `update → first read ${quartiles(a.tail.map((x, i) => x / b.tail[i]!))} (${ms(median(a.tail))} ÷ ${ms(median(b.tail))}), ` : '') +
          `main thread's tasks' CPU a load ${quartiles(a.task.map((x, i) => x / b.task[i]!))} (${ms(median(a.task))} ÷ ${ms(median(b.task))}), ` +
          `renderer CPU ${(a.cpu / b.cpu).toFixed(3)} (${ms(a.cpu / ROUNDS)} ÷ ${ms(b.cpu / ROUNDS)} a load; rounds ${quartiles(a.cpus.map((x, i) => x / b.cpus[i]!))})`,
      );
      for (const page of pages) await page.context().close();
    }
  } finally {
    await Promise.all(sites.map((site) => site.close()));
    for (const tree of trees) rmSync(tree.dir, { recursive: true, force: true });
  }
  console.log(report.join('\n'));
}, 600_000);
