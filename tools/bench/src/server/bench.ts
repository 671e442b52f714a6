// The server-load section of `pnpm bench`. This process only coordinates:
// for each section it starts the server (`host.js`, on a fresh temp SQLite
// file) in one child process and the load generator (`load.js`) in another,
// both on 127.0.0.1, so they never share an event loop; it probes the
// server's CPU time and RSS when the generator asks, and cleans up the
// processes and the temp directory whatever happens.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  BenchToHost,
  BenchToLoad,
  DatafileResult,
  EventsResult,
  HeavyResult,
  HostMessage,
  LoadConfig,
  LoadMessage,
  PrefillResult,
  Probe,
  Scenario,
  ScenarioResult,
  StreamsResult,
} from './protocol.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface ServerBenchOptions {
  /** Measured window of the datafile and events loads, ms. */
  windowMs: number;
  warmupMs: number;
  streams: number;
  toggles: number;
  /** Events stored before the heavy-admin section (0: skip it). */
  heavyEvents: number;
  log: (message: string) => void;
}

export const defaultServerOptions = (log: (message: string) => void): ServerBenchOptions => ({
  windowMs: Number(process.env.BENCH_SERVER_MS ?? 5000),
  warmupMs: Number(process.env.BENCH_SERVER_WARMUP_MS ?? 1000),
  streams: Number(process.env.BENCH_SERVER_STREAMS ?? 1000),
  toggles: 5,
  heavyEvents: Number(process.env.BENCH_SERVER_HEAVY_EVENTS ?? 4_000_000),
  log,
});

export interface Measured<R> {
  result: R;
  /** Server CPU over the measured window, in cores (1 = one core busy). */
  serverCores: number | null;
  /** Server probes by mark name. */
  probes: Record<string, Probe>;
}

export interface ServerBenchReport {
  options: Omit<ServerBenchOptions, 'log'>;
  concurrency: { datafile: number; events: number };
  batchSize: number;
  /** Where the temp SQLite files went. */
  tmp: string;
  /** 1-minute load average at the start and at the end of the section. */
  load: [number, number];
  /** Open-file limit of this process (soft as raised by Node to the hard one); the children's is the same. */
  fd: { soft: number; hard: number };
  datafile200: Measured<DatafileResult> | null;
  datafile304: Measured<DatafileResult> | null;
  events: Measured<EventsResult> | null;
  streams: Measured<StreamsResult> | null;
  /** The heavy-admin section: what was stored first, then the loads. */
  heavy: { prefill: PrefillResult; measured: Measured<HeavyResult> } | null;
  errors: string[];
  notes: string[];
}

const DATAFILE_CONCURRENCY = 64;
const EVENTS_CONCURRENCY = 8;
const BATCH_SIZE = 100;

/** The open-file limit of this process (children inherit it); Infinity when unknown or unlimited. */
function fdLimit(): { soft: number; hard: number } {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').slice('Max open files'.length).trim().split(/\s+/);
    const num = (v: string | undefined): number => (v === undefined || v === 'unlimited' ? Infinity : Number(v));
    return { soft: num(soft), hard: num(hard) };
  } catch {
    return { soft: Infinity, hard: Infinity };
  }
}

// whatever ends this process (an error, Ctrl-C) ends the children and removes the temp files
const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
const onSignal = (signal: NodeJS.Signals): void => process.exit(signal === 'SIGINT' ? 130 : 143);

/** A node child with an IPC channel, its output on our stderr (stdout carries the report). */
function startNode(script: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 2, 2, 'ipc'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Waits for the child to exit by itself for `ms`, then kills it. */
async function reap(child: ChildProcess, ms: number): Promise<void> {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited(child);
  clearTimeout(timer);
}

function nextMessage<T>(child: ChildProcess, accept: (m: T) => boolean, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T): void => {
      if (!accept(m)) return;
      done();
      resolve(m);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`${what}: the process exited (${code}) first`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what}: nothing within ${ms} ms`));
    }, ms);
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

class Host {
  private _probes = 0;
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly adminToken: string,
  ) {}

  static async start(dbPath: string): Promise<Host> {
    const child = startNode('host.js', [dbPath]);
    try {
      const ready = await nextMessage<HostMessage>(child, (m) => m.type === 'ready', 30_000, 'server start');
      if (ready.type !== 'ready') throw new Error('unreachable');
      return new Host(child, ready.url, ready.adminToken);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }

  async probe(): Promise<Probe> {
    const id = ++this._probes;
    const answer = nextMessage<HostMessage>(this.child, (m) => m.type === 'probe' && m.id === id, 10_000, 'server probe');
    this.child.send({ type: 'probe', id } satisfies BenchToHost);
    const m = await answer;
    if (m.type !== 'probe') throw new Error('unreachable');
    return m.probe;
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'close' } satisfies BenchToHost);
    await reap(this.child, 15_000);
  }
}

async function runLoad<R extends ScenarioResult>(host: Host, config: LoadConfig, limitMs: number, script = 'load.js'): Promise<Measured<R>> {
  const loader = startNode(script, []);
  const probes: Record<string, Probe> = {};
  try {
    const result = await new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${config.scenario}: no result within ${limitMs} ms`)), limitMs);
      loader.on('message', (m: LoadMessage) => {
        if (m.type === 'mark') {
          host.probe().then(
            (p) => {
              probes[m.name] = p;
              loader.send({ type: 'marked', name: m.name } satisfies BenchToLoad);
            },
            (e: unknown) => {
              clearTimeout(timer);
              reject(e);
            },
          );
        } else {
          clearTimeout(timer);
          if (m.type === 'result') resolve(m.result as R);
          else reject(new Error(`${config.scenario}: ${m.message}`));
        }
      });
      loader.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${config.scenario}: the load generator exited (${code}) without a result`));
      });
      loader.send({ type: 'start', config } satisfies BenchToLoad);
    });
    const { start, end } = probes;
    const serverCores = start && end ? (end.cpuUs - start.cpuUs) / 1000 / (end.atMs - start.atMs) : null;
    return { result, serverCores, probes };
  } finally {
    await reap(loader, 5_000);
  }
}

/** Fills the SQLite file of the heavy-admin section in a child process (prefill.js); its JSON line. */
async function prefill(dbPath: string, events: number): Promise<PrefillResult> {
  const child = spawn(process.execPath, [join(here, 'prefill.js'), dbPath, String(events)], { stdio: ['ignore', 'pipe', 2] });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  await exited(child);
  live.delete(child);
  if (child.exitCode !== 0) throw new Error(`prefill exited with ${child.exitCode ?? child.signalCode}`);
  return JSON.parse(out) as PrefillResult;
}

/** One section: a fresh temp SQLite file (filled by `prepare` first) and server process, then its loads one after the other. */
async function section(body: (host: Host) => Promise<void>, prepare?: (dbPath: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-server-bench-'));
  tempDirs.add(dir);
  let host: Host | null = null;
  try {
    await prepare?.(join(dir, 'bench.db'));
    host = await Host.start(join(dir, 'bench.db'));
    await body(host);
  } finally {
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

export async function runServerBench(opts: ServerBenchOptions): Promise<ServerBenchReport> {
  const { log } = opts;
  // Node raises its soft open-file limit to the hard one at startup (so does every child), so
  // only the hard limit counts: each process holds one end of every stream, plus its own files
  const fd = fdLimit();
  const needed = opts.streams + 256;
  const notes: string[] = [];
  if (fd.hard < needed) notes.push(`open-file limit: the hard limit ${fd.hard} is below the ${needed} needed for ${opts.streams} streams per process (raise it with \`ulimit -Hn\` as root); streams beyond it fail`);
  const report: ServerBenchReport = {
    options: { windowMs: opts.windowMs, warmupMs: opts.warmupMs, streams: opts.streams, toggles: opts.toggles, heavyEvents: opts.heavyEvents },
    concurrency: { datafile: DATAFILE_CONCURRENCY, events: EVENTS_CONCURRENCY },
    batchSize: BATCH_SIZE,
    tmp: tmpdir(),
    load: [loadavg()[0]!, 0],
    fd,
    datafile200: null,
    datafile304: null,
    events: null,
    streams: null,
    heavy: null,
    errors: [],
    notes,
  };
  const config = (host: Host, scenario: Scenario, concurrency: number, maxRequests: number): LoadConfig => ({
    scenario,
    url: host.url,
    adminToken: host.adminToken,
    windowMs: opts.windowMs,
    warmupMs: opts.warmupMs,
    concurrency,
    maxRequests,
    batchSize: BATCH_SIZE,
    streams: opts.streams,
    toggles: opts.toggles,
  });
  const limit = opts.warmupMs + opts.windowMs + 60_000;
  const attempt = async (name: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      const message = (e as Error).message;
      log(`server ${name}: FAILED: ${message}`);
      report.errors.push(`${name}: ${message}`);
    }
  };

  // BENCH_SERVER_SECTIONS=heavy (a comma list of datafile, events, streams, heavy) runs only those
  const sections = new Set((process.env.BENCH_SERVER_SECTIONS ?? 'datafile,events,streams,heavy').split(','));
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  if (sections.has('datafile')) await attempt('datafile', () =>
    section(async (host) => {
      for (const scenario of ['datafile-200', 'datafile-304'] as const) {
        log(`server: ${scenario}, ${DATAFILE_CONCURRENCY} concurrent, ${opts.windowMs} ms…`);
        const m = await runLoad<DatafileResult>(host, config(host, scenario, DATAFILE_CONCURRENCY, 2_000_000), limit);
        log(`server: ${scenario}: ${Math.round(m.result.perSecond)} req/s`);
        if (scenario === 'datafile-200') report.datafile200 = m;
        else report.datafile304 = m;
      }
    }),
  );
  if (sections.has('events')) await attempt('events', () =>
    section(async (host) => {
      log(`server: events, batches of ${BATCH_SIZE}, ${EVENTS_CONCURRENCY} concurrent, ${opts.windowMs} ms…`);
      const m = await runLoad<EventsResult>(host, config(host, 'events', EVENTS_CONCURRENCY, 10_000), limit + 120_000);
      log(`server: events: ${Math.round(m.result.eventsPerSecond)} events/s; ${m.result.acknowledged} acknowledged, ${m.result.stored} stored`);
      report.events = m;
    }),
  );
  if (sections.has('streams')) await attempt('streams', () =>
    section(async (host) => {
      log(`server: ${opts.streams} streams, ${opts.toggles} toggles…`);
      const m = await runLoad<StreamsResult>(host, config(host, 'streams', 0, 0), 180_000);
      const r = m.result;
      log(`server: streams: ${r.gotPut}/${r.requested} got their put; patch p99 ${r.patchLatencyMs.p99.toFixed(1)} ms`);
      report.streams = m;
    }),
  );
  if (opts.heavyEvents > 0 && sections.has('heavy')) {
    let stored: PrefillResult | null = null;
    await attempt('heavy admin', () =>
      section(
        async (host) => {
          log('server: heavy admin: results and delete under light loads…');
          const measured = await runLoad<HeavyResult>(host, config(host, 'heavy-admin', 0, 0), 600_000, 'heavy.js');
          log(`server: heavy admin: results ${measured.result.resultsMs.map((m) => Math.round(m)).join(', ')} ms; delete answered in ${Math.round(measured.result.deleteMs)} ms, purged in ${(measured.result.purgeMs / 1000).toFixed(1)} s`);
          report.heavy = { prefill: stored!, measured };
        },
        async (dbPath) => {
          log(`server: heavy admin: storing ${opts.heavyEvents.toLocaleString('en-US')} events…`);
          stored = await prefill(dbPath, opts.heavyEvents);
          log(`server: heavy admin: stored in ${(stored.insertMs / 1000).toFixed(1)} s, folded in ${(stored.foldMs / 1000).toFixed(1)} s`);
        },
      ),
    );
  }
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  report.load[1] = loadavg()[0]!;
  return report;
}
