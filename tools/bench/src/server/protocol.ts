// What the server-load processes tell each other over their IPC channels, and
// what they report. Three processes: the bench (`run.ts` → `server/bench.ts`,
// which only coordinates), the server (`server/host.ts`) and the load
// generator (`server/load.ts`).

/** A reading of the server process, taken by the server process itself. */
export interface Probe {
  /** `process.hrtime` of the server process, ms (only differences mean anything). */
  atMs: number;
  /** `process.cpuUsage()` user + system, µs. */
  cpuUs: number;
  /** Null when it could not be read (no fd left to read /proc with). */
  rss: number | null;
  heapUsed: number;
  /** Peak RSS of the server process so far (`resourceUsage().maxRSS`), bytes. */
  maxRss: number;
  /** Bytes of the SQLite file and of its WAL. */
  dbBytes: number;
  walBytes: number;
}

export type Scenario = 'datafile-200' | 'datafile-304' | 'events' | 'streams' | 'heavy-admin';

export interface LoadConfig {
  scenario: Scenario;
  url: string;
  adminToken: string;
  /** Length of the measured window (datafile, events), ms. */
  windowMs: number;
  /** Warm-up before the window (datafile, events), ms; its requests are not counted in the rate. */
  warmupMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Hard cap on the requests (batches for events) of one window, whatever the time. */
  maxRequests: number;
  /** Events per batch (events). */
  batchSize: number;
  /** Streams to hold (streams). */
  streams: number;
  /** Flag toggles measured on the held streams (streams). */
  toggles: number;
}

/** Load generator → bench. */
export type LoadMessage =
  | { type: 'mark'; name: string }
  | { type: 'result'; result: ScenarioResult }
  | { type: 'failed'; message: string };

/** Bench → load generator. */
export type BenchToLoad = { type: 'start'; config: LoadConfig } | { type: 'marked'; name: string };

/** Server → bench. */
export type HostMessage =
  | { type: 'ready'; url: string; adminToken: string; pid: number }
  | { type: 'probe'; id: number; probe: Probe }
  | { type: 'closed' };

/** Bench → server. */
export type BenchToHost = { type: 'probe'; id: number } | { type: 'close' };

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

/** A requests-per-second window (datafile 200/304, event batches). */
export interface RateResult {
  /** Requests completed in the window (started before its end). */
  requests: number;
  seconds: number;
  perSecond: number;
  /** Per-request latency, ms. */
  latencyMs: Latency;
  /** Status code → count, over the window. */
  statuses: Record<string, number>;
  /** Requests that failed without an answer (socket errors). */
  errors: number;
  /** Response body bytes per request of the first answer. */
  bodyBytes: number;
  /** Load generator CPU over the window, in cores (1 = one core busy). */
  loaderCores: number;
}

export interface DatafileResult extends RateResult {
  kind: 'datafile';
  scenario: 'datafile-200' | 'datafile-304';
  /** The `ETag` the server sent. */
  etag: string;
}

export interface EventsResult extends RateResult {
  kind: 'events';
  batchSize: number;
  /** Events per second in the window (= batches/s × batchSize). */
  eventsPerSecond: number;
  /** Warm-up and window together: what the server acknowledged (sum of `accepted`) … */
  acknowledged: number;
  /** … and what the admin events API lists afterwards, by kind, … */
  stored: number;
  storedByKind: Record<string, number>;
  /** … against what was sent in the acknowledged batches, by kind. */
  sentByKind: Record<string, number>;
  /** Time to page through the admin events API (1,000 per page), ms. */
  verifyMs: number;
  verified: boolean;
}

export interface ToggleResult {
  /** Revision in the admin answer's `ETag`. */
  revision: number;
  /** The admin `PATCH` round trip, ms. */
  adminMs: number;
  /** From sending the `PATCH` until the last stream had the `patch`, ms. */
  allMs: number;
  /** Streams that had it. */
  received: number;
  /** `patch` frames whose revision was not the admin answer's. */
  wrongRevision: number;
}

export interface StreamsResult {
  kind: 'streams';
  requested: number;
  /** Streams that answered 200 and sent the initial `put`. */
  gotPut: number;
  /** Streams that failed to open (status, socket error), with the first few reasons. */
  failed: number;
  failures: string[];
  /** From the first connect to the last initial `put`, ms. */
  openMs: number;
  /** Connects in flight while opening. */
  openConcurrency: number;
  toggles: ToggleResult[];
  /** Over every (toggle, stream): from sending the `PATCH` to the `patch` frame, ms. */
  patchLatencyMs: Latency;
  /** `put` frames after the initial one (a missed revision would cause one). */
  extraPuts: number;
  /** Streams still open after the toggles. */
  stillOpen: number;
}

/** The phases of the heavy-admin scenario, in order. */
export type HeavyPhase = 'idle' | 'results' | 'delete';

/** Latencies of the light loads in one phase of the heavy-admin scenario. */
export interface PhaseLatencies {
  /** `GET /sdk/v1/datafile` (200), ms. */
  datafile: Latency & { count: number };
  /** `POST /sdk/v1/events` (a batch of 100), ms. */
  events: Latency & { count: number };
  /** Flag toggle (admin `PATCH` sent) → `patch` frame on a held stream, ms. */
  stream: Latency & { count: number };
  seconds: number;
}

/** Stored before the heavy-admin scenario, by `prefill.js`. */
export interface PrefillResult {
  events: number;
  units: number;
  insertMs: number;
  foldMs: number;
}

export interface HeavyResult {
  kind: 'heavy-admin';
  /** Each `GET …/results/checkout-v2?metric=purchase` over the prefilled project, ms. */
  resultsMs: number[];
  /** Exposed units in the answer (sum over variations). */
  exposed: number;
  /** `DELETE /api/v1/projects/bulk` until its answer (202), ms. */
  deleteMs: number;
  /** From sending that DELETE until its background purge is done (`GET /api/v1/purges`: nothing pending or running), ms. */
  purgeMs: number;
  phases: Record<HeavyPhase, PhaseLatencies>;
  /** Requests of the light loads that failed (status or socket), by load. */
  failures: Record<string, number>;
}

export type ScenarioResult = DatafileResult | EventsResult | StreamsResult | HeavyResult;

export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Latency percentiles with the sample count. */
export function countedLatencyOf(values: number[]): Latency & { count: number } {
  return { ...latencyOf(values), count: values.length };
}

export function latencyOf(values: number[]): Latency {
  const s = Float64Array.from(values).sort();
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}
