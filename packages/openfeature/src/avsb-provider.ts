import type { AvsbContext, FlagDetail, JsonValue as AvsbJsonValue, ReadyResult, ScopedClient, UpdateListener } from '@avsb/core';
import type {
  EvaluationContext,
  JsonValue,
  Logger,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/server-sdk';
import { GeneralError, OpenFeatureEventEmitter, ProviderEvents, ProviderFatalError } from '@openfeature/server-sdk';
import { toAvsbContext, toTrackOptions } from './context-mapping';
import { checkProviderOptions, describeArgument, hasMethods } from './provider-arguments';
import { errorResolution, toObjectResolution, toResolution } from './resolution';

const SERVER_METHODS = ['onReady', 'forUser', 'on', 'off', 'flush', 'close'] as const;

/**
 * What the provider needs of the server: `AvsbServer` (`@avsb/node`) and
 * `MockAvsbServer` (`@avsb/testing`) have it.
 */
export interface AvsbProviderServer {
  /** The revision of the datafile being served, or `null`. */
  readonly revision: number | null;
  onReady(options?: { timeoutMs?: number }): Promise<ReadyResult>;
  forUser(context: AvsbContext): ScopedClient;
  on(event: 'update', listener: UpdateListener): unknown;
  off(event: 'update', listener: UpdateListener): unknown;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link AvsbProvider}. */
export interface AvsbProviderOptions {
  /**
   * How long `initialize` waits for the first datafile before OpenFeature
   * reports `PROVIDER_ERROR` (the provider turns `PROVIDER_READY` when the
   * datafile arrives later). Default: the server's `startupTimeoutMs`.
   */
  readyTimeoutMs?: number;
  /**
   * Whether shutting the provider down (`OpenFeature.close()`, or setting
   * another provider) closes the server, flushing its events. Default
   * `true`; with `false` it only flushes, for a server the application
   * closes itself.
   */
  closeServer?: boolean;
}

/**
 * The OpenFeature server provider for A vs B:
 *
 * ```ts
 * const server = new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY });
 * await OpenFeature.setProviderAndWait(new AvsbProvider(server));
 * const client = OpenFeature.getClient();
 * await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_1', plan: 'pro' });
 * ```
 *
 * Flags are evaluated locally by `server` (an `AvsbServer`, a
 * `MockAvsbServer` or anything with that surface); every read is recorded
 * as with `server.forUser(context)`. Nothing throws into the application:
 * problems come back as OpenFeature error codes with the caller's default.
 * See README.md for the mapping of contexts, reasons, error codes, variants,
 * metadata and events.
 */
export class AvsbProvider implements Provider {
  readonly metadata = { name: 'A vs B' } as const;
  readonly runsOn = 'server' as const;
  /** `PROVIDER_READY` (after a late first datafile) and `PROVIDER_CONFIGURATION_CHANGED` on datafile updates. */
  readonly events = new OpenFeatureEventEmitter();
  private readonly _server: AvsbProviderServer;
  private readonly _readyTimeoutMs: number | undefined;
  private readonly _closeServer: boolean;
  private _listening = false;
  private _initializing = false;
  /** Whether OpenFeature knows this provider is ready (from `initialize` or a `PROVIDER_READY` event). */
  private _announced = false;
  private readonly _onUpdate: UpdateListener = (changedKeys) => this._updated(changedKeys);

  /**
   * Throws a `TypeError` when `server` is not a server (nothing, an SDK key, the server's options): it names what to
   * pass, and never quotes a key; and for an option of the wrong type (`readyTimeoutMs: '2000'`).
   */
  constructor(server: AvsbProviderServer, options: AvsbProviderOptions = {}) {
    if (!hasMethods(server, SERVER_METHODS)) {
      const given = typeof server === 'object' && server !== null && 'sdkKey' in server ? "the server's options" : describeArgument(server);
      throw new TypeError(
        `new AvsbProvider: pass the A vs B server, not ${given}: new AvsbProvider(new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY })) (AvsbServer of @avsb/node, or MockAvsbServer of @avsb/testing)`,
      );
    }
    checkProviderOptions('AvsbProvider', options, [
      ['readyTimeoutMs', 'milliseconds'],
      ['closeServer', 'boolean'],
    ]);
    this._server = server;
    this._readyTimeoutMs = options.readyTimeoutMs;
    this._closeServer = options.closeServer !== false;
  }

  /**
   * Waits for the server's first datafile. Rejects when there is none within
   * the ready timeout (OpenFeature then reports `PROVIDER_ERROR`, and reads
   * resolve `PROVIDER_NOT_READY` until the datafile arrives), or with
   * `PROVIDER_FATAL` when the SDK key was refused or the server is closed.
   */
  async initialize(): Promise<void> {
    if (!this._listening) {
      this._server.on('update', this._onUpdate);
      this._listening = true;
    }
    this._initializing = true;
    let result: ReadyResult;
    try {
      result = await this._server.onReady(this._readyTimeoutMs === undefined ? undefined : { timeoutMs: this._readyTimeoutMs });
    } finally {
      this._initializing = false;
    }
    if (result.ready) {
      this._announced = true;
      return;
    }
    if (result.error.kind === 'timeout') throw new GeneralError(result.error.message);
    throw new ProviderFatalError(result.error.message);
  }

  /** Stops listening for updates and closes the server (events flushed), or only flushes with `closeServer: false`. */
  async onClose(): Promise<void> {
    if (this._listening) this._server.off('update', this._onUpdate);
    this._listening = false;
    this._announced = false;
    await (this._closeServer ? this._server.close() : this._server.flush());
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext, _logger?: Logger): Promise<ResolutionDetails<boolean>> {
    return this._resolve(defaultValue, context, (scoped) => scoped.getBoolFlagDetails(flagKey, defaultValue));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext, _logger?: Logger): Promise<ResolutionDetails<string>> {
    return this._resolve(defaultValue, context, (scoped) => scoped.getStringFlagDetails(flagKey, defaultValue));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext, _logger?: Logger): Promise<ResolutionDetails<number>> {
    return this._resolve(defaultValue, context, (scoped) => scoped.getNumberFlagDetails(flagKey, defaultValue));
  }

  /** An object flag: the variation served must be a JSON object or array, otherwise `TYPE_MISMATCH`. */
  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext, _logger?: Logger): Promise<ResolutionDetails<T>> {
    const resolution = await this._resolve(defaultValue, context, (scoped) => scoped.getJsonFlagDetails<T>(flagKey, defaultValue as T & AvsbJsonValue));
    return toObjectResolution(flagKey, defaultValue, resolution);
  }

  /**
   * Records an A vs B custom event for the context (`client.track('purchase',
   * ctx, { value: 149.99, currency: 'usd' })`): `value` is the event's value,
   * every other detail a property. Dropped (logged by the SDK) for a context
   * that cannot be an A vs B context.
   */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails?: TrackingEventDetails): void {
    const mapped = toAvsbContext(context);
    // OpenFeature's client catches and logs at debug what a provider throws from track
    if (!mapped.ok) throw new GeneralError(`track("${trackingEventName}") dropped: ${mapped.message}`);
    const scoped = this._server.forUser(mapped.context);
    try {
      scoped.track(trackingEventName, toTrackOptions(trackingEventDetails));
    } finally {
      scoped.close();
    }
  }

  private async _resolve<T>(defaultValue: T, context: EvaluationContext, read: (scoped: ScopedClient) => FlagDetail<T>): Promise<ResolutionDetails<T>> {
    const mapped = toAvsbContext(context);
    if (!mapped.ok) return errorResolution(defaultValue, mapped.errorCode, mapped.message);
    const scoped = this._server.forUser(mapped.context);
    try {
      return toResolution(read(scoped), this._server.revision);
    } catch (e) {
      return errorResolution(defaultValue, 'GENERAL', e instanceof Error ? e.message : String(e));
    } finally {
      scoped.close();
    }
  }

  private _updated(changedKeys: string[]): void {
    if (!this._announced) {
      // the first datafile while initialize waits: initialize's answer reports it
      if (this._initializing) return;
      this._announced = true;
      this.events.emit(ProviderEvents.Ready, { message: `A vs B datafile loaded (revision ${this._server.revision ?? 'none'})` });
      return;
    }
    const metadata = this._server.revision === null ? undefined : { revision: this._server.revision };
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [...changedKeys], ...(metadata && { metadata }) });
  }
}
