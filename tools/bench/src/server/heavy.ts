// The load generator of the heavy-admin section, alone in its process: light
// SDK loads on `shop` (datafile requests, event batches, a held stream with
// a flag toggled every 250 ms) run the whole time, while the admin API first
// does nothing (`idle`), then asks for the results of the prefilled `bulk`
// project's experiment a few times (`results`), then deletes that project
// (`delete`: from the DELETE until its background purge is done, as
// `GET /api/v1/purges` reports). Every light request is filed under the
// phase it started in.
// Started by server/bench.ts like load.js (same IPC messages).
import { randomUUID } from 'node:crypto';
import http, { type OutgoingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  countedLatencyOf,
  type HeavyPhase,
  type HeavyResult,
  type LoadConfig,
  type PhaseLatencies,
} from './protocol.js';
import { serveBench } from './child-channel.js';

const RESULTS_RUNS = 3;
const SHOP = '/api/v1/projects/shop/environments/production';
const BULK = '/api/v1/projects/bulk/environments/production';
let target = { host: '127.0.0.1', port: 0 };
let adminToken = '';
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function call(method: string, path: string, headers: OutgoingHttpHeaders, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: OutgoingHttpHeaders = { authorization: `Bearer ${adminToken}` };
  if (text !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  const a = await call(method, path, headers, text);
  if (a.status >= 300) throw new Error(`${method} ${path}: ${a.status} ${a.body.slice(0, 300)}`);
  return { status: a.status, json: a.body ? JSON.parse(a.body) : null };
}

const PHASES: HeavyPhase[] = ['idle', 'results', 'delete'];
/** How often the purge's status is read during the delete phase, ms: the purge completion time is this precise. */
const PURGE_POLL_MS = 100;

async function purgeDone(): Promise<boolean> {
  const status = (await admin('GET', '/api/v1/purges')).json as { pending: unknown[]; running: boolean };
  return status.pending.length === 0 && !status.running;
}
let phase: HeavyPhase | null = null;
let running = true;
const samples = { datafile: new Map<HeavyPhase, number[]>(), events: new Map<HeavyPhase, number[]>(), stream: new Map<HeavyPhase, number[]>() };
const failures: Record<string, number> = {};
const phaseTimes = new Map<HeavyPhase, number>();

function record(load: keyof typeof samples, started: HeavyPhase | null, ms: number): void {
  if (started === null) return;
  const list = samples[load].get(started) ?? [];
  list.push(ms);
  samples[load].set(started, list);
}

/** Runs `one` back to back until the scenario ends; files its latency (null: failed) under the phase it started in. */
async function loop(load: keyof typeof samples, one: () => Promise<number | null>): Promise<void> {
  while (running) {
    const started = phase;
    let ms: number | null = null;
    try {
      ms = await one();
    } catch {
      ms = null;
    }
    if (ms !== null) record(load, started, ms);
    else {
      failures[load] = (failures[load] ?? 0) + 1;
      await sleep(10);
    }
  }
}

/** Times `request`: its latency in ms when it answered `status`, else null. */
async function timed(status: number, request: () => Promise<{ status: number }>): Promise<number | null> {
  const t = performance.now();
  return (await request()).status === status ? performance.now() - t : null;
}

/** Holds a stream on `shop` and toggles `checkout-v2` every 250 ms, timing PATCH sent → `patch` frame. */
async function streamLoop(key: string): Promise<void> {
  let waiting: (() => void) | null = null;
  const req = http.request({ ...target, path: '/sdk/v1/stream', headers: { authorization: key, accept: 'text/event-stream' }, agent: false }, (res) => {
    res.setEncoding('utf8');
    let buf = '';
    res.on('data', (chunk: string) => {
      buf += chunk;
      let at: number;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, at);
        buf = buf.slice(at + 2);
        if (frame.includes('event: patch')) waiting?.();
      }
    });
  });
  req.end();
  let on = true;
  await loop('stream', async () => {
    await sleep(250);
    on = !on;
    const got = new Promise<void>((resolve) => (waiting = resolve));
    const t = performance.now();
    await admin('PATCH', `${SHOP}/flags/checkout-v2`, { on });
    await Promise.race([got, sleep(10_000).then(() => Promise.reject(new Error('no patch')))]);
    waiting = null;
    return performance.now() - t;
  });
  req.destroy();
}

async function heavy(config: LoadConfig): Promise<HeavyResult> {
  const key = (await admin('GET', `${SHOP}/keys?reveal=true`)).json.serverKey as string;
  const run = randomUUID().slice(0, 8);
  let batchNo = 0;
  const batch = (): string => {
    const time = Date.now();
    const n = batchNo++;
    const events = Array.from({ length: 100 }, (_, j) =>
      j % 4 === 0
        ? { kind: 'custom', time, contextKeys: { user: `s_${(n * 7 + j) % 5000}` }, key: 'purchase', value: 10 + j }
        : { kind: 'exposure', time, contextKeys: { user: `s_${(n * 7 + j) % 5000}` }, flag: 'checkout-v2', variation: j % 2, inExperiment: true },
    );
    return JSON.stringify({ batchId: `heavy-${run}-${n}`, events });
  };
  const loads = [
    ...Array.from({ length: 4 }, () => loop('datafile', () => timed(200, () => call('GET', '/sdk/v1/datafile', { authorization: key })))),
    loop('events', () => {
      const body = batch();
      const headers = { authorization: key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      return timed(202, () => call('POST', '/sdk/v1/events', headers, body));
    }),
    streamLoop(key),
  ];
  await sleep(1000); // warm-up, not filed
  const begin = (p: HeavyPhase): void => {
    phase = p;
    phaseTimes.set(p, performance.now());
  };
  begin('idle');
  await sleep(config.windowMs);
  await mark('before-results');
  begin('results');
  const resultsMs: number[] = [];
  let exposed = 0;
  for (let i = 0; i < RESULTS_RUNS; i++) {
    const t = performance.now();
    const res = await admin('GET', `${BULK}/results/checkout-v2?metric=purchase`);
    resultsMs.push(performance.now() - t);
    exposed = (res.json.variations as { exposed: number }[]).reduce((n, v) => n + v.exposed, 0);
  }
  const resultsEnd = performance.now();
  await mark('after-results');
  begin('delete');
  const t = performance.now();
  const deleted = await admin('DELETE', '/api/v1/projects/bulk');
  const deleteMs = performance.now() - t;
  // 202: the events are purged in the background; done when nothing is pending and no purge runs (space given back)
  if (deleted.status === 202) {
    while (!(await purgeDone())) await sleep(PURGE_POLL_MS);
  }
  const purgeMs = performance.now() - t;
  const deleteEnd = performance.now();
  await mark('after-delete');
  phase = null;
  running = false;
  await Promise.all(loads);
  agent.destroy();
  const ends: Record<HeavyPhase, number> = { idle: phaseTimes.get('results')!, results: resultsEnd, delete: deleteEnd };
  const phases = Object.fromEntries(
    PHASES.map((p): [HeavyPhase, PhaseLatencies] => [
      p,
      {
        datafile: countedLatencyOf(samples.datafile.get(p) ?? []),
        events: countedLatencyOf(samples.events.get(p) ?? []),
        stream: countedLatencyOf(samples.stream.get(p) ?? []),
        seconds: (ends[p] - phaseTimes.get(p)!) / 1000,
      },
    ]),
  ) as Record<HeavyPhase, PhaseLatencies>;
  return { kind: 'heavy-admin', resultsMs, exposed, deleteMs, purgeMs, phases, failures };
}

const mark = serveBench((config) => {
  const url = new URL(config.url);
  target = { host: url.hostname, port: Number(url.port) };
  adminToken = config.adminToken;
  return heavy(config);
});
