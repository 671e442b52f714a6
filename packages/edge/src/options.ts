import { checkSdkKey as checkKey, optionProblems, parseHttpUrl } from '@avsb/common';
import type { OptionRule } from '@avsb/common';
import { isWasmModule } from '@avsb/engine';
import type { WasmModule } from '@avsb/engine';
import type { FetchLike, LogLevel, Logger } from '@avsb/core';
import type { EventPipelineOptions } from '@avsb/events';

/** The local A vs B server's address (`avsb dev` listens on port 4400). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4400';

/** Event options of `AvsbEdge` (privacy options are top-level: `privateAttributes`). */
export type AvsbEdgeEventOptions = Omit<EventPipelineOptions, 'sdk' | 'privateAttributes' | 'allAttributesPrivate'>;

/** Options of `new AvsbEdge(…)`. `sdkKey` and `wasm` are required. */
export interface AvsbEdgeOptions {
  /**
   * The server SDK key (`srv-…`) of one environment, from a secret
   * (`env.AVSB_SDK_KEY` in a Worker, `process.env.AVSB_SDK_KEY` on Vercel);
   * never hard-coded. A missing, empty or client-side (`cli-…`) key throws here.
   */
  sdkKey: string | undefined;
  /**
   * The rules engine, precompiled: edge runtimes refuse to compile
   * WebAssembly from bytes at run time. The evaluator loads compiled
   * datafiles (smaller, loaded in about half the time of JSON): in a
   * Cloudflare Worker, `import wasm from '@avsb/engine/avsb-evaluator.wasm'`;
   * on Vercel's edge runtime, the same path with `?module`. The full engine,
   * `avsb-engine.wasm`, is taken too (JSON datafiles).
   */
  wasm: WasmModule;
  /**
   * The full engine (`avsb-engine.wasm`), precompiled as `wasm` is, for a
   * service that answers JSON datafiles (one that predates compiled ones)
   * while `wasm` is the evaluator: the engine switches to it, once. A module,
   * or a function giving one (a dynamic `import()` keeps it out of the
   * isolate until needed where the bundler allows). Without it, such a
   * service's datafiles are not served (an error is logged).
   */
  fullEngine?: WasmModule | (() => WasmModule | PromiseLike<WasmModule>);
  /** The A vs B service. Default `http://127.0.0.1:4400` (`avsb dev`). */
  baseUrl?: string;
  /**
   * How old the datafile may get: the first request after that checks it
   * again with a conditional GET (a `304` costs no download). Default 30 000 ms.
   */
  pollIntervalMs?: number;
  /** Default time limit of `onReady()` while this isolate has no datafile yet. Default 5 000 ms. */
  startupTimeoutMs?: number;
  /** Time limit of one datafile request. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** A datafile to serve before (or instead of) the network's; the network's replaces it when it arrives. */
  initialDatafile?: object;
  /** No network: serve `initialDatafile` only, send no events. Default `false`. */
  offline?: boolean;
  /** Where to log. Default: the console. Keys are masked (`srv-…a1b2`) in every message. */
  logger?: Logger;
  /** The lowest level logged. Default `'info'`. */
  logLevel?: LogLevel;
  /** Attributes (names, or `/a/b` references) never sent to A vs B, for every context. */
  privateAttributes?: string[];
  /** Send no context attributes but `kind`, `key` and `anonymous`. Default `false`. */
  allAttributesPrivate?: boolean;
  /** Event pipeline tuning (capacity, retries…), or `false` to send no events. */
  events?: AvsbEdgeEventOptions | false;
  /** How long `close()` may take to flush events. Default 5 000 ms. */
  closeTimeoutMs?: number;
  /** Advanced: the `fetch` to use instead of the global one (a service binding's `fetch`, instrumentation). */
  fetch?: FetchLike;
}

const KEY_HELP =
  'Pass the Server SDK key (srv-…) of your environment (A vs B → Settings → Environments) from a secret, ' +
  'e.g. new AvsbEdge({ sdkKey: env.AVSB_SDK_KEY, wasm })';

/** Checks the SDK key (@avsb/common's rules); returns it trimmed, or '' when offline without one. */
export function checkSdkKey(sdkKey: unknown, offline: boolean): string {
  const checked = checkKey(sdkKey, 'sdkKey', 'srv-');
  if (checked.ok) return checked.key;
  if (offline && checked.absent) return '';
  throw new TypeError(`AvsbEdge: ${checked.problem}. ${KEY_HELP}.`);
}

/** The options whose values {@link checkOptionValues} checks, with what each takes. */
const OPTION_RULES: readonly (readonly [keyof AvsbEdgeOptions, OptionRule])[] = [
  ['offline', 'boolean'],
  ['allAttributesPrivate', 'boolean'],
  ['logLevel', 'logLevel'],
  ['logger', 'logger'],
  ['pollIntervalMs', 'milliseconds'],
  ['startupTimeoutMs', 'milliseconds'],
  ['requestTimeoutMs', 'milliseconds'],
  ['closeTimeoutMs', 'milliseconds'],
];

/**
 * Refuses an option of the wrong type or outside its values, naming each (`optionProblem` of `@avsb/common`, as
 * `@avsb/node`): a Worker's vars are text, so `pollIntervalMs: env.AVSB_POLL_MS` is a string until converted.
 */
export function checkOptionValues(options: AvsbEdgeOptions): void {
  const problems = optionProblems(options, OPTION_RULES);
  if (problems.length > 0) throw new TypeError(`AvsbEdge: ${problems.join('; ')}`);
}

/** Checks the base URL; returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: unknown): string {
  const parsed = parseHttpUrl(baseUrl ?? DEFAULT_BASE_URL, 'baseUrl');
  if (!parsed.ok) throw new TypeError(`AvsbEdge: ${parsed.problem}`);
  return parsed.url;
}

/** The engine's precompiled module (from whichever realm compiled it: Next.js's edge sandbox and `edge-runtime` compile a `.wasm?module` import outside the code's `vm` context). */
export function checkWasm(wasm: unknown): WasmModule {
  if (isWasmModule(wasm)) return wasm;
  throw new TypeError(
    "AvsbEdge: wasm must be the engine's precompiled WebAssembly.Module: import wasm from '@avsb/engine/avsb-evaluator.wasm' " +
      "(Cloudflare Workers) or '@avsb/engine/avsb-evaluator.wasm?module' (Vercel), and pass new AvsbEdge({ sdkKey, wasm })",
  );
}

/** The full engine of a service that answers JSON: a precompiled module, or a function giving one (checked when called). */
export function checkFullEngine(fullEngine: unknown): () => Promise<WasmModule> {
  if (fullEngine === undefined || fullEngine === null) {
    return () =>
      Promise.reject(new Error("the service answers JSON datafiles and `wasm` is the evaluator: pass fullEngine (import fullEngine from '@avsb/engine/avsb-engine.wasm')"));
  }
  if (typeof fullEngine === 'function') return async () => checkFullModule(await (fullEngine as () => unknown)());
  const module = checkFullModule(fullEngine);
  return () => Promise.resolve(module);
}

function checkFullModule(module: unknown): WasmModule {
  if (isWasmModule(module)) return module;
  throw new TypeError("AvsbEdge: fullEngine must be avsb-engine.wasm precompiled (import fullEngine from '@avsb/engine/avsb-engine.wasm'), or a function giving it");
}
