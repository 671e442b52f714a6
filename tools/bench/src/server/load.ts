// The load generator of the server-load bench, alone in its process (so it
// never shares an event loop with the server): node:http with keep-alive
// agents against 127.0.0.1. Started by server/bench.ts with an IPC channel;
// gets one `start` message, runs that scenario, sends one `result`, exits.
// `mark` messages ask the bench to probe the server process (CPU, RSS) at
// that moment; the generator waits for the answer before it goes on.
import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  latencyOf,
  type DatafileResult,
  type EventsResult,
  type LoadConfig,
  type RateResult,
  type ScenarioResult,
  type StreamsResult,
  type ToggleResult,
} from './protocol.js';
import { serveBench } from './child-channel.js';

let target = { host: '127.0.0.1', port: 0 };
const ENV_PATH = '/api/v1/projects/shop/environments/production';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body when asked for, else empty. */
  body: string;
  bytes: number;
}

/** One request; the body is drained (and kept only with `keep`). */
function call(method: string, path: string, headers: OutgoingHttpHeaders, agent: http.Agent | false, body?: string, keep = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: keep ? Buffer.concat(chunks).toString('utf8') : '', bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const adminAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let adminToken = '';
async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; headers: IncomingHttpHeaders; json: T }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: OutgoingHttpHeaders = { authorization: `Bearer ${adminToken}` };
  if (text !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  const a = await call(method, path, headers, adminAgent, text, true);
  if (a.status >= 300) throw new Error(`${method} ${path}: ${a.status} ${a.body.slice(0, 300)}`);
  return { status: a.status, headers: a.headers, json: (a.body ? JSON.parse(a.body) : null) as T };
}

const serverKey = async (): Promise<string> => (await admin<{ serverKey: string }>('GET', `${ENV_PATH}/keys?reveal=true`)).json.serverKey;

interface Window {
  requests: number;
  seconds: number;
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  loaderCores: number;
}

/**
 * `concurrency` workers, each issuing `one()` back to back until `ms` have
 * passed or `max` requests were started; requests started before the end are
 * waited for and counted, and the window lasts until the last one answered.
 */
async function runWindow(ms: number, max: number, concurrency: number, one: () => Promise<number>): Promise<Window> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let started = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  const worker = async (): Promise<void> => {
    while (started < max && performance.now() < end) {
      started++;
      const s = performance.now();
      try {
        const status = await one();
        latencies.push(performance.now() - s);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch {
        errors++;
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { requests: latencies.length, seconds, latencies, statuses, errors, loaderCores: (cpu.user + cpu.system) / 1e6 / seconds };
}

const rateOf = (w: Window, bodyBytes: number): RateResult => ({
  requests: w.requests,
  seconds: w.seconds,
  perSecond: w.requests / w.seconds,
  latencyMs: latencyOf(w.latencies),
  statuses: w.statuses,
  errors: w.errors,
  bodyBytes,
  loaderCores: w.loaderCores,
});

async function datafile(config: LoadConfig, conditional: boolean): Promise<DatafileResult> {
  const key = await serverKey();
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const first = await call('GET', '/sdk/v1/datafile', { authorization: key }, agent);
  const etag = first.headers.etag;
  if (first.status !== 200 || typeof etag !== 'string') throw new Error(`datafile: ${first.status}, ETag ${String(etag)}`);
  const headers: OutgoingHttpHeaders = conditional ? { authorization: key, 'if-none-match': etag } : { authorization: key };
  let bodyBytes = -1;
  const one = async (): Promise<number> => {
    const a = await call('GET', '/sdk/v1/datafile', headers, agent);
    if (bodyBytes < 0) bodyBytes = a.bytes;
    return a.status;
  };
  await runWindow(config.warmupMs, config.maxRequests, config.concurrency, one);
  await mark('start');
  const w = await runWindow(config.windowMs, config.maxRequests, config.concurrency, one);
  await mark('end');
  agent.destroy();
  return { kind: 'datafile', scenario: conditional ? 'datafile-304' : 'datafile-200', etag, ...rateOf(w, bodyBytes) };
}

interface StoredCount {
  count: number;
  lastId: number;
  byKind: Record<string, number>;
}

/** Pages through the admin events API (the largest page, 1,000) after `after`. */
async function countStored(after: number): Promise<StoredCount> {
  const byKind: Record<string, number> = {};
  let count = 0;
  let lastId = after;
  for (;;) {
    const page = (await admin<{ id: number; kind: string }[]>('GET', `${ENV_PATH}/events?after=${lastId}&limit=1000`)).json;
    for (const e of page) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    count += page.length;
    if (page.length === 0) break;
    lastId = page[page.length - 1]!.id;
    if (page.length < 1000) break;
  }
  return { count, lastId, byKind };
}

async function events(config: LoadConfig): Promise<EventsResult> {
  const key = await serverKey();
  const before = await countStored(0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const run = randomUUID().slice(0, 8);
  const size = config.batchSize;
  const exposuresPerBatch = size - Math.floor((size + 3) / 4); // every 4th event is custom
  let next = 0;
  let acknowledged = 0;
  let ackBatches = 0;
  let bodyBytes = -1;
  const batch = (n: number): string => {
    const time = Date.now();
    const events = new Array<unknown>(size);
    for (let j = 0; j < size; j++) {
      const user = `u_${(n * 37 + j * 101) % 100_000}`;
      events[j] =
        j % 4 === 0
          ? { kind: 'custom', time, contextKeys: { user }, key: 'purchase', value: 10 + (j % 90) }
          : { kind: 'exposure', time, contextKeys: { user }, flag: 'checkout-v2', variation: (n + j) % 2, reason: 'FALLTHROUGH', inExperiment: true, revision: 1 };
    }
    return JSON.stringify({ batchId: `bench-${run}-${n}`, sdk: { name: '@avsb/bench', version: '0.0.0' }, events });
  };
  const one = async (): Promise<number> => {
    const body = batch(next++);
    if (bodyBytes < 0) bodyBytes = Buffer.byteLength(body);
    const a = await call('POST', '/sdk/v1/events', { authorization: key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent, body, true);
    if (a.status === 202) {
      acknowledged += (JSON.parse(a.body) as { accepted: number }).accepted;
      ackBatches++;
    }
    return a.status;
  };
  await runWindow(config.warmupMs, config.maxRequests, config.concurrency, one);
  await mark('start');
  const w = await runWindow(config.windowMs, config.maxRequests, config.concurrency, one);
  await mark('end');
  agent.destroy();
  const v0 = performance.now();
  const after = await countStored(before.lastId);
  const verifyMs = performance.now() - v0;
  const sentByKind = { exposure: ackBatches * exposuresPerBatch, custom: ackBatches * (size - exposuresPerBatch) };
  const rate = rateOf(w, bodyBytes);
  const byKindOk = Object.entries(sentByKind).every(([k, n]) => (after.byKind[k] ?? 0) === n) && Object.keys(after.byKind).every((k) => k in sentByKind);
  return {
    kind: 'events',
    batchSize: size,
    eventsPerSecond: ((w.statuses['202'] ?? 0) * size) / w.seconds,
    acknowledged,
    stored: after.count,
    storedByKind: after.byKind,
    sentByKind,
    verifyMs,
    verified: after.count === acknowledged && byKindOk,
    ...rate,
  };
}

interface HeldStream {
  req: http.ClientRequest | null;
  buf: string;
  puts: number;
  patches: { t: number; revision: number }[];
  open: boolean;
}

async function streams(config: LoadConfig): Promise<StreamsResult> {
  const key = await serverKey();
  const flagPath = `${ENV_PATH}/flags/checkout-v2`;
  await mark('before-streams');
  const held: HeldStream[] = [];
  const failures: string[] = [];
  let failed = 0;
  // toggle bookkeeping: resolves once every open stream holds `want` patches
  let want = 0;
  let have = 0;
  let need = 0;
  let allHave: (() => void) | null = null;

  const open = (s: HeldStream): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        s.req?.destroy();
        reject(new Error('no put within 30 s'));
      }, 30_000);
      const req = http.request(
        { host: target.host, port: target.port, path: '/sdk/v1/stream', headers: { authorization: key, accept: 'text/event-stream' }, agent: false },
        (res) => {
          if (res.statusCode !== 200) {
            clearTimeout(timer);
            res.resume();
            reject(new Error(`status ${res.statusCode}`));
            return;
          }
          s.open = true;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            s.buf += chunk;
            let at: number;
            while ((at = s.buf.indexOf('\n\n')) >= 0) {
              const frame = s.buf.slice(0, at);
              s.buf = s.buf.slice(at + 2);
              let event = '';
              let data = '';
              for (const line of frame.split('\n')) {
                if (line.startsWith('event: ')) event = line.slice(7);
                else if (line.startsWith('data: ')) data += line.slice(6);
              }
              if (event === 'put') {
                s.puts++;
                if (s.puts === 1) {
                  clearTimeout(timer);
                  resolve();
                }
              } else if (event === 'patch') {
                const t = performance.now();
                s.patches.push({ t, revision: (JSON.parse(data) as { revision: number }).revision });
                if (s.patches.length === want && ++have === need) allHave?.();
              }
            }
          });
          res.on('close', () => {
            s.open = false;
          });
        },
      );
      s.req = req;
      req.on('error', (e) => {
        clearTimeout(timer);
        s.open = false;
        reject(e);
      });
      req.end();
    });

  // open them `openConcurrency` connects at a time (a burst of 1,000 SYNs would overflow the listen backlog)
  const openConcurrency = Math.min(64, config.streams);
  let index = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: openConcurrency }, async () => {
      while (index < config.streams) {
        index++;
        const s: HeldStream = { req: null, buf: '', puts: 0, patches: [], open: false };
        try {
          await open(s);
          held.push(s);
        } catch (e) {
          failed++;
          if (failures.length < 5) failures.push((e as Error).message);
        }
      }
    }),
  );
  const openMs = performance.now() - t0;
  await sleep(1000); // let the server settle before reading its RSS
  await mark('streams-open');

  const toggles: ToggleResult[] = [];
  const latencies: number[] = [];
  let on = (await admin<{ on: boolean }>('GET', flagPath)).json.on;
  for (let i = 0; i < config.toggles; i++) {
    const openNow = held.filter((h) => h.open);
    want = i + 1;
    have = 0;
    need = openNow.length;
    const all = new Promise<void>((resolve) => (allHave = resolve));
    on = !on;
    const start = performance.now();
    const answer = await admin<unknown>('PATCH', flagPath, { on });
    const adminMs = performance.now() - start;
    const revision = Number(String(answer.headers.etag ?? '').replace(/"/g, ''));
    await Promise.race([all, sleep(10_000)]);
    allHave = null;
    let last = 0;
    let received = 0;
    let wrongRevision = 0;
    for (const s of openNow) {
      const p = s.patches[i];
      if (!p) continue;
      received++;
      if (p.revision !== revision) wrongRevision++;
      latencies.push(p.t - start);
      last = Math.max(last, p.t - start);
    }
    toggles.push({ revision, adminMs, allMs: received === openNow.length ? last : NaN, received, wrongRevision });
    await sleep(200);
  }
  await mark('after-toggles');
  const stillOpen = held.filter((h) => h.open).length;
  const extraPuts = held.reduce((n, h) => n + h.puts - 1, 0);
  for (const s of held) s.req?.destroy();
  return {
    kind: 'streams',
    requested: config.streams,
    gotPut: held.length,
    failed,
    failures,
    openMs,
    openConcurrency,
    toggles,
    patchLatencyMs: latencyOf(latencies),
    extraPuts,
    stillOpen,
  };
}

async function runScenario(config: LoadConfig): Promise<ScenarioResult> {
  const url = new URL(config.url);
  target = { host: url.hostname, port: Number(url.port) };
  adminToken = config.adminToken;
  switch (config.scenario) {
    case 'datafile-200':
      return datafile(config, false);
    case 'datafile-304':
      return datafile(config, true);
    case 'events':
      return events(config);
    case 'streams':
      return streams(config);
    case 'heavy-admin':
      throw new Error('heavy-admin runs in heavy.js');
  }
}

const mark = serveBench(runScenario);
