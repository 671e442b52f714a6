// Renders the SDK-level section as markdown, with A vs B's aims.
import { agreementLines } from '../report.js';
import type { SdkChildResult } from './child.js';

/** The aims of @avsb/node, stated in README.md. */
export const AIMS = { readNs: 150, requestNs: 3000, retainedGrowthBytes: 1 << 20, rssGrowthRatio: 0.05, handRatio: 1.2 };

const MiB = 1048576;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ns = (n: number): string => (n < 100 ? n.toFixed(1) : int(n));
const mib = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
const signed = (b: number): string => `${b >= 0 ? '+' : '−'}${(Math.abs(b) / MiB).toFixed(1)} MiB`;
const count = (n: number): string => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : int(n));

type Mem = NonNullable<SdkChildResult['memory']>;
type Sample = Mem['samples'][number];
const ends = (m: Mem): [Sample, Sample] => [m.samples[0]!, m.samples[m.samples.length - 1]!];
const fromTo = (m: Mem, f: (s: Sample) => number): string => ends(m).map((s) => mib(f(s))).join(' → ');
const span = (m: Mem, k: 'heapTotal' | 'heapUsed' | 'external'): string => fromTo(m, (s) => s[k]);
/**
 * What the SDK holds: V8's live objects plus the memory V8 accounts outside
 * its heap (`external`: array buffers and wasm linear memories). RSS also
 * counts heap pages V8 keeps committed while empty and what V8's own
 * threads allocate, so the aim reads this figure beside RSS.
 */
export const retained = (s: Sample): number => s.heapUsed + s.external;
const space = (s: Sample, name: string, k: 'committed' | 'used'): number => s.spaces[name]?.[k] ?? 0;
const range = (xs: number[]): string => {
  const [lo, hi] = [(Math.min(...xs) / MiB).toFixed(1), (Math.max(...xs) / MiB).toFixed(1)];
  return lo === hi ? lo : `${lo}–${hi}`;
};

function growth(r: SdkChildResult): string {
  const m = r.memory!;
  const pctRss = ((m.rssAtEnd - m.rssAtTenth) / m.rssAtTenth) * 100;
  const [first, last] = ends(m);
  return `${signed(m.rssAtEnd - m.rssAtTenth)} (${pctRss >= 0 ? '+' : '−'}${Math.abs(pctRss).toFixed(1)}%; retained ${signed(retained(last) - retained(first))})${m.soakCapped ? ` over ${count(m.soakRequests / 10)} → ${count(m.soakRequests)} only (time budget)` : ''}`;
}

/** Whether a result has no memory growth: what it retains (heap used + external) grows < 1 MiB and RSS < 5% from a tenth of the soak to its end. */
export function noGrowth(r: SdkChildResult): boolean {
  const [first, last] = ends(r.memory!);
  return retained(last) - retained(first) < AIMS.retainedGrowthBytes && last.rss - first.rss < AIMS.rssGrowthRatio * first.rss;
}

export function renderSdkMarkdown(results: SdkChildResult[], meta: { soak: number; soakS: number; load: [number, number] }): string {
  const lines: string[] = [];
  const done = results.filter((r) => r.notMeasured === null);
  lines.push('## SDK level', '');
  lines.push(
    `Each server SDK in its own process, offline, with its exposure/evaluation events **on** and delivered to a local no-op sink (see "Events"). ` +
      `A request = the per-request setup + the 20 flags read one by one + the end of the request. The soak runs ${count(meta.soak)} requests ` +
      `(fewer, in multiples of 10,000, if they do not fit in ${meta.soakS} s) and reads memory after a forced GC and a short pause at each tenth. ` +
      `1-minute load average ${meta.load[0].toFixed(2)} at the start of this section, ${meta.load[1].toFixed(2)} at the end.`,
    '',
  );
  lines.push(
    'Two of the 20 flags (`checkout-experiment`, `search-ranking`) are experiments: A vs B sends an exposure event for their reads (the other 18 are only counted in the per-flag summary, ' +
      'its default `exposures: "experiments"`), LaunchDarkly a full feature event (`trackEventsFallthrough`). ' +
      'Reads go through a scope prepared beforehand: "10,000 users in turn" cycles over the 10,000 contexts (A vs B: each experiment read records a new exposure, and each context a new context event, ' +
      'since the dedupe cache remembers 10,000 entries and 10,000 users need 30,000), "100 users in turn" over 100 of them (A vs B: the exposures are already recorded, so a read is only counted). ' +
      'A request scopes one of the 10,000 contexts in turn, so for A vs B it sends a context event and two exposures.',
    '',
  );
  lines.push('| SDK | ns / read, 10,000 users in turn | ns / read, 100 users in turn | ns / request (scope + 20 reads + close), 10,000 users in turn | ns / request, 100 users in turn | `track` calls / s | RSS after 10,000 requests | RSS growth, 1/10 → all of the soak | agreement |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of results) {
    if (r.notMeasured !== null) {
      lines.push(`| ${r.label} | not measured: ${r.notMeasured.replace(/\|/g, '\\|').replace(/\n/g, ' ')} | – | – | – | – | – | – | – |`);
      continue;
    }
    lines.push(
      `| ${r.label} | ${ns(r.readT!.ns)} | ${ns(r.repeatT!.ns)} | ${int(r.requestT!.ns)} | ${int(r.repeatRequestT!.ns)} | ${r.trackT ? int(1e9 / r.trackT.ns) : '–'} | ${mib(r.memory!.after10k)} | ${growth(r)} | ${r.agreement!.ok ? 'agrees' : '**DISAGREES**'} |`,
    );
  }
  const avsb = done.find((r) => r.id === 'avsb');
  if (avsb) {
    const met = (ok: boolean): string => (ok ? 'met' : '**missed**');
    const m = avsb.memory!;
    lines.push('', '### Aims of `@avsb/node`', '');
    lines.push('| aim | measured | |', '|---|---|---|');
    lines.push(`| ≤ ${AIMS.readNs} ns per read, exposures on | ${ns(avsb.repeatT!.ns)} ns when the exposure is already recorded (100 users); ${ns(avsb.readT!.ns)} ns over the 20 flags when each experiment read records a new exposure (10,000 users) | ${met(avsb.repeatT!.ns <= AIMS.readNs)} / ${met(avsb.readT!.ns <= AIMS.readNs)} |`);
    lines.push(`| ≤ ${AIMS.requestNs / 1000} µs per request | ${int(avsb.repeatRequestT!.ns)} ns for returning users (100 in turn: events already recorded); ${int(avsb.requestT!.ns)} ns when every request is a user new to the window (10,000 in turn: a context event and two exposures to build and send) | ${met(avsb.repeatRequestT!.ns <= AIMS.requestNs)} / ${met(avsb.requestT!.ns <= AIMS.requestNs)} |`);
    const hand = done.find((r) => r.id === 'hand');
    if (hand) {
      const floor = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
      lines.push(`| a request within ${AIMS.handRatio}× of a hand-written JS evaluator (same run) | ${floor(avsb.repeatRequestT!.ns, hand.repeatRequestT!.ns)} for returning users (${int(hand.repeatRequestT!.ns)} ns by hand); ${floor(avsb.requestT!.ns, hand.requestT!.ns)} for new users (${int(hand.requestT!.ns)} ns) | ${met(avsb.repeatRequestT!.ns <= AIMS.handRatio * hand.repeatRequestT!.ns)} / ${met(avsb.requestT!.ns <= AIMS.handRatio * hand.requestT!.ns)} |`);
    }
    lines.push(`| no memory growth over ${count(m.soakRequests)} requests (retained = heap used + external, the engine's wasm memory included, < +1 MiB; RSS < +5%; from ${count(m.soakRequests / 10)} to ${count(m.soakRequests)}) | retained ${fromTo(m, retained)} (heap used ${mib(m.heapAtTenth)} → ${mib(m.heapAtEnd)}); RSS ${mib(m.rssAtTenth)} → ${mib(m.rssAtEnd)}, ${range(m.samples.map((x) => x.rss))} MiB over the tenths | ${met(noGrowth(avsb) && !m.soakCapped)} |`);
  }
  lines.push('', '### What each row does', '');
  lines.push('| SDK | read | request | events | `track` |', '|---|---|---|---|---|');
  for (const r of results) lines.push(`| ${r.label} | ${r.readApi} | ${r.requestApi} | ${r.events} | ${r.trackApi} |`);
  lines.push('', '### Events recorded and delivered over the whole process', '');
  for (const r of done) lines.push(`- ${r.label}: ${r.eventStats}`);
  lines.push('', '### Memory (after a forced GC and a pause)', '');
  lines.push('| SDK | at start (contexts built) | after load | after 10,000 requests | soak | RSS at each tenth of the soak (MiB) | V8 heap committed (`heapTotal`), 1/10 → end | heap used, 1/10 → end | external, 1/10 → end | retained (heap used + external), 1/10 → end |', '|---|---:|---:|---:|---|---|---|---|---|---|');
  for (const r of done) {
    const m = r.memory!;
    lines.push(
      `| ${r.label} | ${mib(m.start)} | ${mib(m.afterLoad)} | ${mib(m.after10k)} | ${int(m.soakRequests)} requests in ${(m.soakMs / 1000).toFixed(1)} s${m.soakCapped ? ' (capped)' : ''} | ${m.samples.map((s) => (s.rss / MiB).toFixed(1)).join(', ')} | ${span(m, 'heapTotal')} | ${span(m, 'heapUsed')} | ${span(m, 'external')} | ${fromTo(m, retained)} |`,
    );
  }
  lines.push('', '#### Where the RSS goes (same samples; ranges over the ten tenths, MiB)', '');
  lines.push(
    'V8 heap spaces committed / used (`v8.getHeapSpaceStatistics()`); the wasm memory as the SDK reports it (it is part of `external`); ' +
      '"outside the V8 heap" is RSS − `heapTotal` − `external`: the node binary and native allocations (V8\'s threads, compiled wasm code), less committed heap pages never touched.',
    '',
  );
  lines.push('| SDK | RSS | new space committed | old space committed / used | code space committed | large objects committed | wasm memory | `arrayBuffers` | outside the V8 heap |', '|---|---|---|---|---|---|---|---|---|');
  for (const r of done) {
    const xs = r.memory!.samples;
    const of = (f: (s: Sample) => number): string => range(xs.map(f));
    const wasm = xs.every((s) => s.wasmMemory === null) ? '–' : of((s) => s.wasmMemory ?? 0);
    lines.push(
      `| ${r.label} | ${of((s) => s.rss)} | ${of((s) => space(s, 'new_space', 'committed'))} | ${of((s) => space(s, 'old_space', 'committed'))} / ${of((s) => space(s, 'old_space', 'used'))} | ${of((s) => space(s, 'code_space', 'committed'))} | ${of((s) => space(s, 'large_object_space', 'committed'))} | ${wasm} | ${of((s) => s.arrayBuffers)} | ${of((s) => s.rss - s.heapTotal - s.external)} |`,
    );
  }
  lines.push('', '### Agreement check (the first 10,000 requests, before timing)', '');
  for (const r of done) lines.push(...agreementLines(r.label, r.agreement!));
  lines.push('', '### Spread (ns per op of the 5 runs)', '');
  lines.push('| SDK | read, 10,000 users | read, 100 users | request, 10,000 users | request, 100 users | `track` |', '|---|---|---|---|---|---|');
  const runs = (xs: number[]): string => xs.map(ns).join(', ');
  for (const r of done) lines.push(`| ${r.label} | ${runs(r.readT!.runs)} | ${runs(r.repeatT!.runs)} | ${runs(r.requestT!.runs)} | ${runs(r.repeatRequestT!.runs)} | ${r.trackT ? runs(r.trackT.runs) : '–'} |`);
  return `${lines.join('\n')}\n`;
}
