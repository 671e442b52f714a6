import { developmentOnly, optionProblem, optionValueFits, parseHttpUrl } from '@avsb/core/page';
import type { AvsbContext, JsonValue, LogLevel, Logger, OptionRule } from '@avsb/core/page';
import type { EngineInput } from './engine-loader';
import type { JsonDatafiles } from './json-fallback';

/** Options of `createClient`. `clientKey` and `context` are required. */
export interface BrowserClientOptions {
  /**
   * The client-side key (`cli-…`) of one environment (Settings → Environments):
   * it sees only flags marked for client-side use. A server key (`srv-…`) or
   * an admin token is refused with an `AvsbConfigError` and sent nowhere.
   */
  clientKey: string;
  /** The visitor: `{ kind: 'user', key: 'u_1', plan: 'pro' }`, or `{ key }` for a user. Switch it with `identify`. */
  context: AvsbContext;
  /** The A vs B service. Default `http://127.0.0.1:4400` (`avsb dev`). */
  baseUrl?: string;
  /**
   * Values a server computed for this context (`allFlags(context, { clientSideOnly: true })`
   * of `@avsb/node`): served until the datafile is loaded, so the first render
   * matches the server's. Not used after `identify` with another context.
   */
  bootstrap?: Record<string, JsonValue> | null;
  /**
   * The engine's code: a compiled `WebAssembly.Module` or a promise of one
   * (such as `WebAssembly.compileStreaming(fetch(url))`, started as early as
   * the page likes), a (promised) fetch `Response` of the `.wasm`, or its
   * bytes: `avsb-evaluator.wasm` (compiled datafiles are asked for) or
   * `avsb-engine.wasm` (JSON datafiles, with `jsonDatafiles`), told apart by
   * their exports.
   * Default: fetched from `wasmUrl`. `@avsb/browser/inline` defaults to
   * `avsb-engine.wasm`'s bytes inlined in the bundle, compiled once per page,
   * by the first client that passes neither this nor `wasmUrl`.
   */
  engine?: EngineInput;
  /**
   * Where to fetch the engine from when `engine` is not given. Default (`createClient`): `avsb-evaluator.wasm` beside
   * the bundle (`new URL('./avsb-evaluator.wasm', import.meta.url)`); `@avsb/browser/inline` fetches nothing.
   */
  wasmUrl?: string | URL;
  /**
   * Where to fetch `avsb-engine.wasm` from if the service answers JSON
   * datafiles to a page on the evaluator (a service that predates compiled
   * datafiles) and `jsonDatafiles` is given: fetched only then. Default: beside the bundle (`new URL('./avsb-engine.wasm', import.meta.url)`);
   * with `@avsb/browser/inline`, nothing is fetched: the inlined engine is compiled.
   */
  fallbackWasmUrl?: string | URL;
  /**
   * `jsonDatafiles` of `@avsb/browser/json-datafiles`, for a service that answers JSON
   * datafiles (one that predates compiled datafiles: the page then switches
   * to `avsb-engine.wasm`), or an `engine` that is `avsb-engine.wasm`.
   * Without it JSON datafiles are refused, and a page neither bundles their
   * load path nor has Vite or webpack emit `avsb-engine.wasm`.
   * `@avsb/browser/inline` passes it.
   */
  jsonDatafiles?: JsonDatafiles;
  /** Keep the datafile live over server-sent events (`true`, the default), or poll only (`false`). */
  streaming?: boolean;
  /** Interval of polling (when `streaming: false`, and as the stream's fallback). Default 30 000 ms. */
  pollIntervalMs?: number;
  /** Default time limit of `waitForReady()`. Default 5 000 ms. */
  startupTimeoutMs?: number;
  /** Cache the datafile in `localStorage` for the next visit (`true`, the default). */
  cache?: boolean;
  /** Send exposure and custom events (`true`, the default). */
  events?: boolean;
  /** How often queued events are sent. Default 5 000 ms. */
  flushIntervalMs?: number;
  /** Attributes (names, or `/a/b` references) never sent to A vs B. */
  privateAttributes?: string[];
  /** Where to log. Default: the console (keys masked). */
  logger?: Logger;
  /** The lowest level logged. Default `'warn'`. */
  logLevel?: LogLevel;
}

/** A configuration mistake found by `createClient`; the message says how to fix it and never contains the key. */
export class AvsbConfigError extends Error {
  override readonly name = 'AvsbConfigError';
}

/** The local A vs B server's address (`avsb dev` listens on port 4400). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4400';

const KEY_HELP = "Pass the environment's client-side key (cli-…, A vs B → Settings → Environments): createClient({ clientKey, context })";

/** Checks the client key; returns it trimmed. A server key or admin token throws before anything is sent. */
export function checkClientKey(clientKey: unknown): string {
  const key = typeof clientKey === 'string' ? clientKey.trim() : '';
  if (key === '') throw new AvsbConfigError(`createClient: clientKey is ${typeof clientKey === 'string' ? 'empty' : 'missing'}. ${KEY_HELP}.`);
  if (key.startsWith('srv-')) {
    throw new AvsbConfigError(
      'createClient: that is a server key (srv-…), which sees every flag and must never reach a browser: it was not sent anywhere. ' +
        `Rotate it if it was shipped in a page. ${KEY_HELP}.`,
    );
  }
  if (key.startsWith('adm-')) throw new AvsbConfigError(`createClient: that is an admin API token (adm-…), not an SDK key. ${KEY_HELP}.`);
  if (!key.startsWith('cli-')) throw new AvsbConfigError(`createClient: clientKey must start with cli-. ${KEY_HELP}.`);
  return key;
}

/** Checks the base URL; returns it without a trailing slash. */
export function checkBaseUrl(baseUrl: unknown): string {
  const parsed = parseHttpUrl(baseUrl ?? DEFAULT_BASE_URL, 'baseUrl');
  if (!parsed.ok) throw new AvsbConfigError(`createClient: ${parsed.problem}`);
  return parsed.url;
}

/** The options whose values {@link checkOptionValues} checks, with what each takes (`optionProblem` of `@avsb/common`). */
const OPTION_RULES: readonly (readonly [keyof BrowserClientOptions, OptionRule])[] = [
  ['streaming', 'boolean'],
  ['cache', 'boolean'],
  ['events', 'boolean'],
  ['pollIntervalMs', 'milliseconds'],
  ['startupTimeoutMs', 'milliseconds'],
  ['flushIntervalMs', 'milliseconds'],
  ['logLevel', 'logLevel'],
  ['logger', 'logger'],
];

/**
 * Refuses option values of the wrong type or outside their values, which once did something else without a word
 * (`events: 'no'` sent events, `streaming: 'false'` streamed, `logLevel: 'verbose'` logged at info), with an
 * `AvsbConfigError` naming each option, before anything is sent. The development build says what each takes and
 * was given (`optionProblem`); the production build names the options (its code's text says where to look), which
 * keeps `optionProblem`'s words out of the page.
 */
export function checkOptionValues(options: BrowserClientOptions): void {
  const wrong = OPTION_RULES.filter(([name, rule]) => options[name] !== undefined && !optionValueFits(options[name], rule));
  if (wrong.length === 0) return;
  const problems = developmentOnly(() => wrong.map(([name, rule]) => optionProblem(name, options[name], rule)).join('; '))?.();
  throw new AvsbConfigError(
    problems !== undefined
      ? `createClient: ${problems}`
      : `createClient: ${wrong.map(([name]) => name).join(', ')}: a value of the wrong type or out of range; give each what the option table of @avsb/browser's README says (true or false, milliseconds 0 or more, a log level, a logger)`,
  );
}

/** Every option of `createClient`, for {@link warnUnknownOptions} (a development aid: production pages leave it out). */
const OPTION_NAMES: readonly (keyof BrowserClientOptions)[] = [
  'clientKey', 'context', 'baseUrl', 'bootstrap', 'engine', 'wasmUrl', 'jsonDatafiles', 'fallbackWasmUrl', 'streaming',
  'pollIntervalMs', 'startupTimeoutMs', 'cache', 'events', 'flushIntervalMs', 'privateAttributes', 'logger', 'logLevel',
];

/**
 * Warns of each option `createClient` does not know, naming the one meant when only the letters' case differs: a
 * misspelt option was ignored without a word (`baseURL` sent the page to the default service, `http://127.0.0.1:4400`).
 * Called through `developmentOnly`: the warning is the development build's.
 */
export function warnUnknownOptions(options: object, logger: Logger): void {
  for (const name of Object.keys(options)) {
    if ((OPTION_NAMES as readonly string[]).includes(name)) continue;
    const meant = OPTION_NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
    logger.warn(`createClient: unknown option "${name}", ignored${meant === undefined ? '' : `; did you mean "${meant}"?`}`);
  }
}
