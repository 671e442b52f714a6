import type { AvsbBrowserClient, AvsbContext, BrowserClientOptions, JsonValue as AvsbJsonValue } from '@avsb/browser';
import { createClient } from '@avsb/browser';
import type { EvaluationContext, JsonValue, Logger, Provider, ResolutionDetails, TrackingEventDetails } from '@openfeature/web-sdk';
import { GeneralError, InvalidContextError, OpenFeatureEventEmitter, ProviderEvents, ProviderFatalError, TargetingKeyMissingError } from '@openfeature/web-sdk';
import { checkProviderOptions, describeArgument, misplacedOptions } from '../provider-arguments';
import type { ContextMapping } from '../context-mapping';
import { toAvsbContext, toTrackOptions } from '../context-mapping';
import type { AnyFlagDetail } from '../resolution';
import { errorResolution, toObjectResolution, toResolution } from '../resolution';

/** What the provider needs of a browser client: `AvsbBrowserClient` (`createClient` of `@avsb/browser`) has it. */
export type AvsbWebProviderClient = Pick<
  AvsbBrowserClient,
  'context' | 'ready' | 'revision' | 'getBoolFlagDetails' | 'getStringFlagDetails' | 'getNumberFlagDetails' | 'getJsonFlagDetails' | 'track' | 'on' | 'identify' | 'waitForReady' | 'flush' | 'close'
>;

/** The options of `createClient` (`@avsb/browser`) but `context`, which comes from OpenFeature's evaluation context. */
export type AvsbWebClientOptions = Omit<BrowserClientOptions, 'context'>;

/** Options of {@link AvsbWebProvider}. */
export interface AvsbWebProviderOptions {
  /** How long `initialize` and a context change wait for flags. Default: the client's `startupTimeoutMs` (5 s). */
  readyTimeoutMs?: number;
  /** Whether shutting the provider down closes the client (events flushed). Default `true`; `false` only flushes. */
  closeClient?: boolean;
}

type Read<T> = (client: AvsbWebProviderClient) => AnyFlagDetail<T>;

const PROVIDER_OPTIONS: readonly (keyof AvsbWebProviderOptions)[] = ['readyTimeoutMs', 'closeClient'];

/**
 * The OpenFeature web provider for A vs B (`@openfeature/web-sdk`, static
 * context): one `@avsb/browser` client for the page's visitor.
 *
 * ```ts
 * await OpenFeature.setProviderAndWait(new AvsbWebProvider({ clientKey: 'cli-…' }), { targetingKey: 'u_1' });
 * OpenFeature.getClient().getBooleanValue('new-banner', false);
 * ```
 *
 * `initialize(context)` creates the client for OpenFeature's context (or
 * identifies a client given to it) and waits for flags; `setContext` calls
 * `identify`; datafile updates that change values emit
 * `PROVIDER_CONFIGURATION_CHANGED`; shutting down closes the client (events
 * flushed). Reads never throw. See README.md.
 */
export class AvsbWebProvider implements Provider {
  readonly metadata = { name: 'A vs B' } as const;
  readonly runsOn = 'client' as const;
  /** The provider holds one visitor's client: bind it to one domain only. */
  readonly domainScoped = true;
  /** `PROVIDER_READY` (flags after a timed-out wait) and `PROVIDER_CONFIGURATION_CHANGED`. */
  readonly events = new OpenFeatureEventEmitter();
  private readonly _options: AvsbWebClientOptions | null;
  private readonly _given: AvsbWebProviderClient | null;
  private readonly _readyTimeoutMs: number | undefined;
  private readonly _closeClient: boolean;
  private _client: AvsbWebProviderClient | null = null;
  private _unsubscribe: (() => void) | null = null;
  /** Why reads fail while OpenFeature's context cannot be an A vs B context (the client keeps the last good one). */
  private _contextError: Extract<ContextMapping, { ok: false }> | null = null;
  /** Whether OpenFeature knows the provider is ready; change events before that are the first load. */
  private _announced = false;
  /** Set when a wait for flags timed out: the client's `ready` event then announces `PROVIDER_READY`. */
  private _readyLate = false;

  /**
   * `new AvsbWebProvider({ clientKey, baseUrl, … })` creates the client at
   * `initialize` with OpenFeature's context (the options of `createClient`
   * but `context`); `new AvsbWebProvider(client)` uses a client the page made
   * (e.g. from `@avsb/browser/inline`, or with `bootstrap` values).
   * Throws a `TypeError` for a first argument that is neither (nothing, a key on its own), or for options of the
   * provider among the client's (`readyTimeoutMs`, `closeClient` go second): it names what to pass, and never quotes
   * a key. The client's own options are checked by `createClient` at `initialize`.
   */
  constructor(source: AvsbWebClientOptions | AvsbWebProviderClient, options: AvsbWebProviderOptions = {}) {
    if (typeof source !== 'object' || source === null) {
      throw new TypeError(
        `new AvsbWebProvider: pass the options of createClient, such as { clientKey: 'cli-…', baseUrl: 'https://flags.example.com' }, or a client of @avsb/browser, not ${describeArgument(source)}`,
      );
    }
    const isClient = typeof (source as AvsbWebProviderClient).getBoolFlagDetails === 'function';
    const misplaced = isClient ? [] : misplacedOptions(source, PROVIDER_OPTIONS);
    if (misplaced.length > 0) {
      const names = misplaced.join(' and ');
      throw new TypeError(
        `new AvsbWebProvider: ${names} ${misplaced.length > 1 ? 'are options' : 'is an option'} of the provider, not of the client: pass ${misplaced.length > 1 ? 'them' : 'it'} second, new AvsbWebProvider({ clientKey, … }, { ${names.replace(' and ', ', ')} })`,
      );
    }
    this._given = isClient ? (source as AvsbWebProviderClient) : null;
    this._options = isClient ? null : (source as AvsbWebClientOptions);
    checkProviderOptions('AvsbWebProvider', options, [
      ['readyTimeoutMs', 'milliseconds'],
      ['closeClient', 'boolean'],
    ]);
    this._readyTimeoutMs = options.readyTimeoutMs;
    this._closeClient = options.closeClient !== false;
  }

  /** The browser client, once `initialize` made (or took) it; `null` after shutdown. */
  get client(): AvsbWebProviderClient | null {
    return this._client;
  }

  /**
   * Creates the client for `context` (or identifies the given one) and waits
   * for flags. Rejects with `TARGETING_KEY_MISSING` / `INVALID_CONTEXT` for a
   * context A vs B cannot use (then `setContext` with one it can starts it),
   * with `GENERAL` after the ready timeout (`PROVIDER_READY` follows when
   * flags arrive), or `PROVIDER_FATAL` for a refused key or a closed client.
   */
  async initialize(context: EvaluationContext = {}): Promise<void> {
    this._announced = false;
    await this._use(context, true);
  }

  /** Identifies the client with the new context and waits for its flags; rejects as `initialize` does. */
  async onContextChange(_oldContext: EvaluationContext, newContext: EvaluationContext): Promise<void> {
    await this._use(newContext, false);
  }

  /** Closes the client (events flushed), or only flushes with `closeClient: false`; `initialize` may start again. */
  async onClose(): Promise<void> {
    const client = this._client;
    this._unsubscribe?.();
    this._unsubscribe = null;
    this._client = null;
    this._announced = false;
    this._readyLate = false;
    this._contextError = null;
    if (client !== null) await (this._closeClient ? client.close() : client.flush());
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, _context: EvaluationContext, _logger: Logger): ResolutionDetails<boolean> {
    return this._resolve(defaultValue, (client) => client.getBoolFlagDetails(flagKey, defaultValue));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, _context: EvaluationContext, _logger: Logger): ResolutionDetails<string> {
    return this._resolve(defaultValue, (client) => client.getStringFlagDetails(flagKey, defaultValue));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, _context: EvaluationContext, _logger: Logger): ResolutionDetails<number> {
    return this._resolve(defaultValue, (client) => client.getNumberFlagDetails(flagKey, defaultValue));
  }

  /** An object flag: the value served must be a JSON object or array, otherwise `TYPE_MISMATCH`. */
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, _context: EvaluationContext, _logger: Logger): ResolutionDetails<T> {
    const resolution = this._resolve(defaultValue, (client) => client.getJsonFlagDetails<T>(flagKey, defaultValue as T & AvsbJsonValue));
    return toObjectResolution(flagKey, defaultValue, resolution);
  }

  /**
   * `client.track('purchase', { value: 149.99, currency: 'usd' })`: an A vs B
   * custom event for the client's visitor; `value` is its value, every other
   * detail a property. Dropped (OpenFeature logs it at debug) while the
   * context cannot be an A vs B context.
   */
  track(trackingEventName: string, _context: EvaluationContext, trackingEventDetails?: TrackingEventDetails): void {
    const client = this._client;
    if (this._contextError !== null) throw new GeneralError(`track("${trackingEventName}") dropped: ${this._contextError.message}`);
    if (client === null) throw new GeneralError(`track("${trackingEventName}") dropped: the provider is not initialized`);
    client.track(trackingEventName, toTrackOptions(trackingEventDetails));
  }

  private async _use(context: EvaluationContext, initializing: boolean): Promise<void> {
    const client = this._client ?? this._given;
    const mapped = isEmpty(context) && client !== null ? null : toAvsbContext(context);
    if (mapped !== null && !mapped.ok) {
      this._contextError = mapped;
      throw mapped.errorCode === 'TARGETING_KEY_MISSING' ? new TargetingKeyMissingError(mapped.message) : new InvalidContextError(mapped.message);
    }
    this._contextError = null;
    if (this._client === null) this._attach(this._given ?? createClient({ ...this._options!, context: mapped!.context }));
    const current = this._client!;
    // the changes identify causes are OpenFeature's PROVIDER_CONTEXT_CHANGED (reason identify), not a configuration change
    if (mapped !== null && !sameContext(current.context, mapped.context)) await current.identify(mapped.context);
    const result = await current.waitForReady(this._readyTimeoutMs === undefined ? {} : { timeoutMs: this._readyTimeoutMs });
    if (result.ready) {
      this._announced = true;
      return;
    }
    if (result.error.kind !== 'timeout') throw new ProviderFatalError(result.error.message);
    if (initializing || !this._announced) this._readyLate = true;
    throw new GeneralError(result.error.message);
  }

  private _attach(client: AvsbWebProviderClient): void {
    this._client = client;
    const offChange = client.on('change', (keys, info) => {
      if (!this._announced || info.reason === 'identify' || this._client !== client) return;
      const metadata = { source: info.reason, ...(info.revision !== null && { revision: info.revision }) };
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [...keys], metadata });
    });
    // after a timed-out wait: PROVIDER_READY once the flags arrive (OpenFeature then reads them)
    const offReady = client.on('ready', () => {
      if (!this._readyLate || this._announced || this._client !== client) return;
      this._announced = true;
      this._readyLate = false;
      this.events.emit(ProviderEvents.Ready, { message: `A vs B flags loaded (revision ${client.revision ?? 'none'})` });
    });
    this._unsubscribe = () => {
      offChange();
      offReady();
    };
  }

  private _resolve<T>(defaultValue: T, read: Read<T>): ResolutionDetails<T> {
    const client = this._client;
    if (this._contextError !== null) return errorResolution(defaultValue, this._contextError.errorCode, this._contextError.message);
    if (client === null) return errorResolution(defaultValue, 'PROVIDER_NOT_READY', 'the A vs B web provider is not initialized');
    try {
      return toResolution(read(client), client.revision);
    } catch (e) {
      return errorResolution(defaultValue, 'GENERAL', e instanceof Error ? e.message : String(e));
    }
  }
}

function isEmpty(context: EvaluationContext): boolean {
  return Object.keys(context).length === 0;
}

/** Whether two contexts are the same visitor with the same attributes, in any member order: no `identify` needed (it would drop bootstrap values). */
function sameContext(a: AvsbContext, b: AvsbContext): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  const source = value as Record<string, unknown>;
  return `{${Object.keys(source).sort().map((name) => `${JSON.stringify(name)}:${canonical(source[name])}`).join(',')}}`;
}
