import type { BenchContext } from '../workload.js';

/**
 * One server SDK as the SDK-level section drives it: a per-request scope
 * (A vs B `forUser`, a GrowthBook scoped instance, or the SDK's plain context
 * object), typed flag reads through it, `track`, and the SDK's own event
 * delivery switched on but answered by a local no-op sink.
 */
export interface SdkPeer<S = unknown> {
  /** Row label with the version, e.g. `unleash-client 6.12.1`. */
  label: string;
  /** The read call measured. */
  readApi: string;
  /** What one request does besides the 20 reads (scope + close). */
  requestApi: string;
  /** What happens to exposures / evaluation events, and where they go. */
  events: string;
  /** The custom-event call, or why there is none. */
  trackApi: string;
  /** True when reads return a Promise (they are awaited). */
  async: boolean;

  /** Imports the SDK and loads the workload's flags, offline. Throws (with the reason) when the SDK cannot run here. */
  load(): Promise<void>;
  /** The per-request setup: what the application builds for one incoming request. */
  scope(ctx: BenchContext): S;
  /** The value of workload flag `flag` for this scope, the caller's default included. */
  get(s: S, flag: number): unknown;
  /** End of request (A vs B: `scoped.close()`); absent when the SDK has nothing to release. */
  close?(s: S): void;
  /** Every flag's value for this scope (A vs B: `scoped.allFlags()`, as a server bootstrapping a page calls it); absent when the SDK has no such call. */
  allFlags?(s: S): unknown;
  /** One custom event for this scope; absent when the SDK has no custom-event API. */
  track?(s: S): void;
  /** Sends what the SDK's events hold now (absent when it has no such call): `paired.ts` times requests with it. */
  flush?(): Promise<void>;
  /** Bytes of the SDK's WebAssembly linear memory, read between soak tenths; absent when it has none. */
  wasmMemoryBytes?(): number;
  /** What was recorded and delivered, read after the run (flushes first). */
  eventStats(): Promise<string>;
  /** Closes the SDK and its sink. */
  shutdown(): Promise<void>;
}

export interface SdkModule {
  createSdk(): SdkPeer<any>;
}
