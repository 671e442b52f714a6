import type { EngineSyncSource, WasmModule } from '@avsb/engine';
import { isWasmModule } from '@avsb/engine/node';
import { checkSdkKey as checkKey, optionProblems, parseHttpUrl } from '@avsb/core';
import type { AvsbHook, DataSourceFactory, FetchLike, LogLevel, Logger, OptionRule } from '@avsb/core';
import type { EventPipelineOptions } from '@avsb/events';

/** The local A vs B server's address (`avsb dev` listens on port 4400). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4400';

/** Event options of `AvsbServer` (privacy options are top-level: `privateAttributes`). */
export type AvsbEventOptions = Omit<EventPipelineOptions, 'sdk' | 'privateAttributes' | 'allAttributesPrivate'>;

/** Options of `new AvsbServer(…)`. Only `sdkKey` is required. */
export interface AvsbServerOptions {
  /**
   * The server SDK key (`srv-…`) of one environment: Settings → Environments.
   * Read it from the environment (`process.env.AVSB_SDK_KEY`); never hard-code
   * it. A missing or empty key, or a client key (`cli-…`), throws here.
   * Optional only with `offline: true`.
   */
  sdkKey: string | undefined;
  /** The A vs B service. Default: `AVSB_BASE_URL` from the environment, else `http://127.0.0.1:4400` (`avsb dev`). */
  baseUrl?: string;
  /** Server-sent events for updates within a second (`true`, the default), or polling only (`false`). */
  streaming?: boolean;
  /** Interval of polling (when `streaming: false`, and as the stream's fallback). Default 30 000 ms. */
  pollIntervalMs?: number;
  /** Default time limit of `onReady()`. Default 5 000 ms. */
  startupTimeoutMs?: number;
  /**
   * A datafile to serve at once, before (or instead of) the network: an
   * object, or the path of a JSON file (read synchronously here). The
   * network's datafile replaces it as soon as it arrives.
   */
  initialDatafile?: object | string;
  /**
   * The engine's code. Default: `avsb-engine.wasm` read from `@avsb/engine`'s
   * files (`engineWasmModule()` of `@avsb/engine/node`). Pass
   * `engineWasmBytes()` of `@avsb/engine/wasm-inline` where a bundler moves
   * `@avsb/node` away from those files (Next.js's server bundles, a
   * single-file serverless bundle), or a compiled `WebAssembly.Module`.
   */
  engineWasm?: EngineSyncSource;
  /**
   * Which shipped binary runs when `engineWasm` is not given: `'full'` (the
   * default: `avsb-engine.wasm`, JSON datafiles) or `'evaluator'`
   * (`avsb-evaluator.wasm`: compiled datafiles, asked of the service with
   * `Accept: application/vnd.avsb.compiled-datafile; v=1`), which reaches
   * its first evaluation sooner in a fresh process (serverless functions)
   * and holds a datafile in less memory. The same values as `@avsb/edge`'s
   * `metrics().engineBinary`; a given `engineWasm` is told by its exports.
   */
  engineBinary?: 'full' | 'evaluator';
  /**
   * The full engine for a service that answers JSON datafiles (one that
   * predates compiled ones) or a JSON `initialDatafile` while the engine is
   * the evaluator: it switches to it, once, keeping its contexts (as
   * `@avsb/edge`'s `fullEngine`). Default: `avsb-engine.wasm` read from
   * `@avsb/engine`'s files when first needed. A module, or a function giving one.
   */
  fullEngine?: WasmModule | (() => WasmModule | PromiseLike<WasmModule>);
  /** No network at all: serve `initialDatafile` (or a custom `dataSource`) only, send no events. Default `false`. */
  offline?: boolean;
  /** Where to log. Default: the console. Keys are masked (`srv-…a1b2`) in every message. */
  logger?: Logger;
  /** The lowest level logged. Default `'info'`. */
  logLevel?: LogLevel;
  /** Attributes (names, or `/a/b` references) never sent to A vs B, for every context. */
  privateAttributes?: string[];
  /** Send no context attributes but `kind`, `key` and `anonymous`. Default `false`. */
  allAttributesPrivate?: boolean;
  /** Event pipeline tuning (flush interval, capacity…), or `false` to send no events. */
  events?: AvsbEventOptions | false;
  /**
   * Evaluation hooks (logging, metrics, tracing such as `@avsb/opentelemetry`):
   * called synchronously around every flag read and after `track()`; they
   * cannot change a result, and one that throws is logged once and skipped.
   * More can be added later with `server.addHook(hook)`. README, "Hooks".
   */
  hooks?: readonly AvsbHook[];
  /** How long `close()` may take to flush events. Default 5 000 ms. */
  closeTimeoutMs?: number;
  /** Time limit of one datafile request. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Stream reconnection: first backoff ceiling (full jitter, doubling). Default 1 000 ms. */
  streamInitialRetryDelayMs?: number;
  /** Stream reconnection: backoff cap. Default 30 000 ms. */
  streamMaxRetryDelayMs?: number;
  /** Failed stream connections in a row before polling starts alongside. Default 3. */
  streamFallbackAfterFailures?: number;
  /** Reconnect a stream that was silent (not even a heartbeat) this long. Default 45 000 ms. */
  streamReadTimeoutMs?: number;
  /**
   * Advanced: replaces streaming and polling with another data source (for
   * example `TestData` of `@avsb/testing`); used even with `offline: true`.
   * Events are still sent unless `events: false` or `offline: true`.
   */
  dataSource?: DataSourceFactory;
  /**
   * Advanced: the `fetch` for every request instead of the SDK's own over `node:http`/`node:https` (proxies,
   * instrumentation): `globalThis.fetch`, undici's, or any function of the same shape.
   */
  fetch?: FetchLike;
}

/** A configuration mistake found by `new AvsbServer(…)`; the message says how to fix it. */
export class AvsbConfigError extends Error {
  override readonly name = 'AvsbConfigError';
}

const KEY_HELP =
  'Set AVSB_SDK_KEY in the environment to the Server SDK key (srv-…) of your environment ' +
  '(A vs B → Settings → Environments) and pass it: new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY })';

/** Checks the SDK key (@avsb/common's rules); returns it trimmed, or '' when offline without one. */
export function checkSdkKey(sdkKey: unknown, offline: boolean): string {
  const checked = checkKey(sdkKey, 'sdkKey', 'srv-');
  if (checked.ok) return checked.key;
  if (offline && checked.absent) return '';
  throw new AvsbConfigError(`AvsbServer: ${checked.problem}. ${KEY_HELP}.`);
}

/** The options of the table whose values {@link checkOptionValues} checks, with what each takes. */
const OPTION_RULES: readonly (readonly [keyof AvsbServerOptions, OptionRule])[] = [
  ['offline', 'boolean'],
  ['streaming', 'boolean'],
  ['allAttributesPrivate', 'boolean'],
  ['logLevel', 'logLevel'],
  ['logger', 'logger'],
  ['pollIntervalMs', 'milliseconds'],
  ['startupTimeoutMs', 'milliseconds'],
  ['closeTimeoutMs', 'milliseconds'],
  ['requestTimeoutMs', 'milliseconds'],
  ['streamInitialRetryDelayMs', 'milliseconds'],
  ['streamMaxRetryDelayMs', 'milliseconds'],
  ['streamReadTimeoutMs', 'milliseconds'],
  ['streamFallbackAfterFailures', 'count'],
];

/**
 * Refuses an option of the wrong type or outside its values (`logLevel: 'WARN'`, `streaming: 'false'`,
 * `pollIntervalMs: '5000'`, `logger: console.log`), which once did something else without a word, with an
 * `AvsbConfigError` naming each option (`optionProblem` of `@avsb/common`).
 */
export function checkOptionValues(options: AvsbServerOptions): void {
  const problems = optionProblems(options, OPTION_RULES);
  if (problems.length > 0) throw new AvsbConfigError(`AvsbServer: ${problems.join('; ')}`);
}

/** Checks the base URL (the option, else `AVSB_BASE_URL`, else `avsb dev`'s); returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: unknown): string {
  const envUrl = typeof process !== 'undefined' ? process.env.AVSB_BASE_URL : undefined;
  const fromEnv = (baseUrl === undefined || baseUrl === null) && envUrl !== undefined && envUrl !== '';
  const parsed = parseHttpUrl(baseUrl ?? (fromEnv ? envUrl : DEFAULT_BASE_URL), fromEnv ? 'AVSB_BASE_URL' : 'baseUrl');
  if (!parsed.ok) throw new AvsbConfigError(`AvsbServer: ${parsed.problem}`);
  return parsed.url;
}

/** The initial datafile as an object: the object itself, or the parsed JSON file at a path. */
export function readInitialDatafile(value: object | string | undefined): object | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return value;
  if (typeof value !== 'string') throw new AvsbConfigError('AvsbServer: initialDatafile must be an object or a file path');
  let text: string;
  try {
    // not an ESM import of node:fs, which costs every import('@avsb/node') 1.3 ms (node-platform.ts)
    text = process.getBuiltinModule('node:fs').readFileSync(value, 'utf8');
  } catch (e) {
    throw new AvsbConfigError(`AvsbServer: cannot read initialDatafile "${value}": ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as object;
  } catch (e) {
    throw new AvsbConfigError(`AvsbServer: initialDatafile "${value}" is not JSON: ${(e as Error).message}`);
  }
}

/** The `engineBinary` option: `'full'` (also when not given) or `'evaluator'`. */
export function checkEngineBinary(value: unknown): 'full' | 'evaluator' {
  if (value === undefined || value === 'full') return 'full';
  if (value === 'evaluator') return value;
  throw new AvsbConfigError(`AvsbServer: engineBinary must be 'full' or 'evaluator', not ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value}`);
}

/** The full engine for the evaluator's fallback, checked when it is asked for. */
export function fullEngineOf(fullEngine: unknown, shipped: () => WasmModule): () => Promise<WasmModule> {
  if (fullEngine === undefined || fullEngine === null) return async () => shipped();
  if (typeof fullEngine === 'function') return async () => fullModule(await (fullEngine as () => unknown)());
  const module = fullModule(fullEngine);
  return () => Promise.resolve(module);
}

function fullModule(module: unknown): WasmModule {
  if (isWasmModule(module)) return module;
  throw new AvsbConfigError("AvsbServer: fullEngine must be avsb-engine.wasm compiled (engineWasmModule() of '@avsb/engine/node'), or a function giving it");
}
