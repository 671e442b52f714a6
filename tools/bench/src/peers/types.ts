import type { BenchContext } from '../workload.js';

/**
 * One SDK as the benchmark drives it. `evaluate` takes the index of a flag in
 * the workload (adapters resolve key, type and default once, at load) and
 * returns the value the application would get, the caller's default included.
 */
export interface Peer<C = unknown> {
  /** Row label, e.g. `@growthbook/growthbook 1.8.0`. */
  label: string;
  /** The evaluation call measured. */
  api: string;
  /** What "prepare a context" means for this SDK. */
  prepare: string;
  /** The all-flags call, when the SDK has one. */
  bulkApi?: string;
  /** True when the evaluation API returns a Promise. */
  async: boolean;
  /** The package `load` imports: the cold start times its `import()` apart from the rest. */
  sdkModule: string;
  /** Further modules of the SDK an application imports at start-up with `sdkModule` (timed with it in the cold start's `import()`). */
  sdkModules?: readonly string[];
  /** Release `.wasm` file, for WASM engines. */
  wasmPath?: string;

  /** Loads the SDK (dynamic import) and the translated flags (a JSON string, as read from disk or network). */
  load(payload: string): Promise<void>;
  prepareContext(ctx: BenchContext): C;
  releaseContext?(c: C): void;
  evaluate(c: C, flag: number): unknown;
  evaluateAll?(c: C): unknown;
  /** Facts worth reporting, read while the 10,000 contexts are prepared. */
  notes?(): string[];
  close?(): Promise<void> | void;
}

export interface PeerModule {
  /** Translates the workload's flags into the SDK's own format, as a JSON string. */
  translate(): string;
  createPeer(): Peer<any>;
}
