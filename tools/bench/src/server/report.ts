// Renders the server-load section of the report (appended to results/latest.md).
import type { Measured, ServerBenchReport } from './bench.js';
import type { HeavyPhase, Latency, RateResult } from './protocol.js';

/** The aims the section is checked against (tools/bench/README.md, "Server load"). */
export const AIMS = { eventsPerSecond: 20_000, streams: 1_000, patchWithinMs: 1_000, resultsMs: 1_000, lightP99Ms: 100 } as const;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
// NaN (no samples) arrives as null over the IPC channel's JSON
const ms = (n: number | null): string => (n === null || Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n));
const mib = (b: number | null): string => (b === null ? 'unknown (not readable)' : `${(b / 1024 / 1024).toFixed(1)} MiB`);
const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
const cores = (c: number | null): string => (c === null ? '–' : c.toFixed(2));
const lat = (l: Latency): string => `p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms`;
const statuses = (r: RateResult): string =>
  Object.entries(r.statuses)
    .map(([s, n]) => `${s} × ${int(n)}`)
    .join(', ') + (r.errors ? `, **${int(r.errors)} socket errors**` : '');
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');

export function aimsMet(r: ServerBenchReport): boolean {
  const e = r.events?.result;
  const s = r.streams?.result;
  return !!e && e.verified && e.eventsPerSecond >= AIMS.eventsPerSecond && !!s && streamsHeld(r) && s.patchLatencyMs.max <= AIMS.patchWithinMs;
}

function streamsHeld(r: ServerBenchReport): boolean {
  const s = r.streams?.result;
  return !!s && s.gotPut >= AIMS.streams && s.stillOpen === s.gotPut && s.toggles.every((t) => t.received === s.gotPut && t.wrongRevision === 0) && s.extraPuts === 0;
}

export function renderServerMarkdown(r: ServerBenchReport): string {
  const o = r.options;
  const lines: string[] = [];
  lines.push('## Server load (`@avsb/server`)', '');
  lines.push(
    `- one server process (\`startServer({ dbPath, port: 0, seed: true })\` from the built \`@avsb/server\`, a fresh SQLite file in \`${r.tmp}\` per section: WAL, \`synchronous=NORMAL\`) and one load-generator process (\`node:http\`, keep-alive agents), both on 127.0.0.1; the bench process only coordinates and reads the server's CPU time and RSS from inside it`,
  );
  lines.push(`- datafile and events: ${int(o.warmupMs)} ms warm-up, then a ${int(o.windowMs)} ms window (requests started in it are counted, the window ends when the last one answers); the server key of \`shop/production\``);
  lines.push(
    `- open-file limit of the node processes: ${r.fd.soft} (node raises its soft limit to the hard one, ${r.fd.hard}); each process holds one end of every stream`,
  );
  lines.push('- "server CPU" / "load CPU": CPU time of that process over the window, in cores (1.00 = one core busy the whole time)');
  lines.push(`- 1-minute load average: ${r.load[0].toFixed(2)} at the start of the section, ${r.load[1].toFixed(2)} at the end (the server and the load generator share the machine's cores with whatever else runs)`);
  lines.push('');
  lines.push('| load | result | aim | details | server CPU | load CPU |');
  lines.push('|---|---:|---|---|---:|---:|');
  const rateRow = (label: string, m: Measured<RateResult> | null, unit: string): void => {
    if (!m) return void lines.push(`| ${label} | failed | | see below | | |`);
    const x = m.result;
    lines.push(
      `| ${label} | ${int(x.perSecond)} ${unit} | – | ${lat(x.latencyMs)}; ${int(x.requests)} requests in ${x.seconds.toFixed(2)} s (${statuses(x)}); body ${kib(x.bodyBytes)} | ${cores(m.serverCores)} | ${cores(x.loaderCores)} |`,
    );
  };
  rateRow(`\`GET /sdk/v1/datafile\`, no \`If-None-Match\` → 200, ${r.concurrency.datafile} concurrent`, r.datafile200, 'req/s');
  rateRow(`\`GET /sdk/v1/datafile\` with \`If-None-Match\` → 304, ${r.concurrency.datafile} concurrent`, r.datafile304, 'req/s');
  const ev = r.events;
  if (!ev) lines.push(`| \`POST /sdk/v1/events\` | failed | ≥ ${int(AIMS.eventsPerSecond)} events/s | see below | | |`);
  else {
    const e = ev.result;
    const kinds = (k: Record<string, number>): string =>
      Object.entries(k)
        .map(([kind, n]) => `${kind} ${int(n)}`)
        .join(', ');
    lines.push(
      `| \`POST /sdk/v1/events\`, batches of ${e.batchSize} (3 exposure : 1 custom, unique \`batchId\`s), ${r.concurrency.events} concurrent | ${int(e.eventsPerSecond)} events/s (${int(e.perSecond)} batches/s) | ≥ ${int(AIMS.eventsPerSecond)} events/s: ${verdict(e.eventsPerSecond >= AIMS.eventsPerSecond && e.verified)} | per batch ${lat(e.latencyMs)}; ${int(e.requests)} batches in ${e.seconds.toFixed(2)} s (${statuses(e)}); stored ${e.verified ? '=' : '**≠**'} acknowledged (warm-up included): ${int(e.stored)} ${e.verified ? '=' : '≠'} ${int(e.acknowledged)} (stored: ${kinds(e.storedByKind)}; sent: ${kinds(e.sentByKind)}), read back through the admin events API in ${(e.verifyMs / 1000).toFixed(1)} s | ${cores(ev.serverCores)} | ${cores(e.loaderCores)} |`,
    );
  }
  const st = r.streams;
  if (!st) lines.push(`| \`GET /sdk/v1/stream\` held at once | failed | ${int(AIMS.streams)} streams in one process | see below | | |`);
  else {
    const s = st.result;
    const p = st.probes;
    lines.push(
      `| \`GET /sdk/v1/stream\` held at once | ${int(s.gotPut)} / ${int(s.requested)} got their \`put\` | ${int(AIMS.streams)} streams in one process: ${verdict(streamsHeld(r))} | opened in ${(s.openMs / 1000).toFixed(2)} s (${s.openConcurrency} connects in flight); ${int(s.stillOpen)} still open after the toggles; ${s.extraPuts} extra \`put\`s${s.failed ? `; **${s.failed} failed**: ${s.failures.join('; ')}` : ''} | – | – |`,
    );
    const all = s.toggles.map((t) => (Number.isNaN(t.allMs) ? `**${t.received} of ${s.gotPut}**` : ms(t.allMs))).join(', ');
    const admin = [...s.toggles.map((t) => t.adminMs)].sort((a, b) => a - b)[Math.floor(s.toggles.length / 2)] ?? NaN;
    const wrong = s.toggles.reduce((n, t) => n + t.wrongRevision, 0);
    lines.push(
      `| flag toggle (admin \`PATCH\`) → \`patch\` on every stream | ${lat(s.patchLatencyMs)} | every stream within ${int(AIMS.patchWithinMs)} ms (PROTOCOL.md): ${verdict(s.patchLatencyMs.max <= AIMS.patchWithinMs && s.toggles.every((t) => t.received === s.gotPut))} | from sending the \`PATCH\` to the \`patch\` frame, over ${s.toggles.length} toggles × ${int(s.gotPut)} streams; until the last stream had it, per toggle: ${all} ms; admin \`PATCH\` round trip (median) ${ms(admin)} ms${wrong ? `; **${wrong} with the wrong revision**` : ''} | – | – |`,
    );
    const before = p['before-streams'];
    const open = p['streams-open'];
    const after = p['after-toggles'];
    if (before && open) {
      lines.push(
        `| server RSS with ${int(s.gotPut)} streams open | ${mib(open.rss)} | – | ${mib(before.rss)} before opening them${open.rss !== null && before.rss !== null ? ` (+${kib((open.rss - before.rss) / Math.max(1, s.gotPut))} per stream)` : ''}; heap used ${mib(open.heapUsed)}${after ? `; ${mib(after.rss)} after the toggles` : ''} | – | – |`,
      );
    }
  }
  renderHeavy(r, lines);
  const notes = [...r.notes];
  if (r.errors.length) lines.push('', '**Failed:**', '', ...r.errors.map((e) => `- ${e.replace(/\n/g, ' ')}`));
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

const PHASE_LABEL: Record<HeavyPhase, string> = {
  idle: 'no admin request (baseline)',
  results: 'the results requests',
  delete: 'the project deletion and its purge',
};

/** Rows of the heavy-admin section: results and delete over the prefilled project, light loads per phase. */
function renderHeavy(r: ServerBenchReport, lines: string[]): void {
  const h = r.heavy;
  if (!h) return;
  const { prefill: f, measured } = h;
  const x = measured.result;
  const p = measured.probes;
  const worst = Math.max(...x.resultsMs);
  const perSecond = (n: number, msTaken: number): string => int(n / (msTaken / 1000));
  lines.push(
    `| \`GET …/results/checkout-v2?metric=purchase\` over ${int(f.events)} stored events (${int(f.units)} units) | ${x.resultsMs.map(ms).join(', ')} ms | ≤ ${int(AIMS.resultsMs)} ms: ${verdict(worst <= AIMS.resultsMs)} | ${int(x.exposed)} exposed in the answer; stored beforehand through the store in ${(f.insertMs / 1000).toFixed(1)} s (${perSecond(f.events, f.insertMs)} events/s), folded into the aggregates in ${(f.foldMs / 1000).toFixed(1)} s (${perSecond(f.events, f.foldMs)} events/s); server peak RSS ${mib(p['before-results']?.maxRss ?? null)} before, ${mib(p['after-results']?.maxRss ?? null)} after | – | – |`,
  );
  const before = p['after-results'];
  const after = p['after-delete'];
  const fileSize = (probe: typeof before): string => (probe ? `${mib(probe.dbBytes)} + WAL ${mib(probe.walBytes)}` : '–');
  lines.push(
    `| \`DELETE /api/v1/projects/bulk\` (those events) | answered in ${ms(x.deleteMs)} ms; purged in the background in ${(x.purgeMs / 1000).toFixed(1)} s | space given back | file ${fileSize(before)} before, ${fileSize(after)} after the purge | – | – |`,
  );
  for (const phase of ['idle', 'results', 'delete'] as const) {
    const q = x.phases[phase];
    const p99 = Math.max(q.datafile.p99, q.events.p99, q.stream.p99);
    const one = (label: string, l: Latency & { count: number }): string => `${label} ${lat(l)} (${int(l.count)})`;
    lines.push(
      `| light loads during ${PHASE_LABEL[phase]} (${q.seconds.toFixed(1)} s) | p99 ${ms(q.datafile.p99)} / ${ms(q.events.p99)} / ${ms(q.stream.p99)} ms | p99 < ${AIMS.lightP99Ms} ms: ${verdict(p99 < AIMS.lightP99Ms)} | datafile / events / stream: ${one('datafile (4 concurrent)', q.datafile)}; ${one('event batches of 100', q.events)}; ${one('toggle → stream patch', q.stream)}${Object.keys(x.failures).length ? `; **failures ${JSON.stringify(x.failures)}**` : ''} | – | – |`,
    );
  }
}
