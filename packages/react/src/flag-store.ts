import type { AvsbBrowserClient, BootstrapValues, BrowserFlagDetail, TrackOptions } from '@avsb/browser';
import type { FlagType } from './bootstrap-read';
import { bootstrapDetail } from './bootstrap-read';

interface Subscription {
  readonly key: string;
  /** A `useFlagDetails` subscription: its reason also changes when the datafile takes over from bootstrap values. */
  readonly details: boolean;
  readonly onChange: () => void;
  off: () => void;
}

/** Custom events tracked before the provider's client exists (it is created after the first render): kept, then sent. */
const MAX_PENDING_TRACKS = 100;

const noop = (): void => {};

/**
 * What one `<AvsbProvider>` shares with its hooks; the context value, created
 * once per provider so that it never changes (a new context value would
 * re-render every consumer). The client can arrive later (the provider
 * creates its own after the first render, never on the server) or change:
 * subscriptions move to it and components re-render only where their flag's
 * value differs.
 */
export class FlagStore {
  private _client: AvsbBrowserClient | null = null;
  private readonly _hydration: BootstrapValues | null;
  private readonly _subs = new Set<Subscription>();
  private readonly _clientListeners = new Set<() => void>();
  private _pendingTracks: Array<[string, TrackOptions | undefined]> = [];
  private _unwatch: () => void = noop;

  /**
   * @param hydration The values the server rendered with (bootstrap), read
   * while hydrating and until a client exists; `null` for defaults.
   */
  constructor(client: AvsbBrowserClient | null, hydration: BootstrapValues | null) {
    this._hydration = hydration;
    if (client !== null) this.setClient(client);
  }

  /** The client flags are read from; `null` on the server and before the provider has created it. */
  get client(): AvsbBrowserClient | null {
    return this._client;
  }

  /** Moves every subscription to `client` (or drops them, for `null`) and lets each hook compare its value again. */
  setClient(client: AvsbBrowserClient | null): void {
    if (client === this._client) return;
    this._client = client;
    this._unwatch();
    this._unwatch = client !== null ? this._watch(client) : noop;
    for (const sub of this._subs) {
      sub.off();
      sub.off = client !== null ? client.on(`change:${sub.key}`, sub.onChange) : noop;
    }
    if (client !== null) {
      const pending = this._pendingTracks;
      this._pendingTracks = [];
      for (const [eventKey, options] of pending) client.track(eventKey, options);
    }
    for (const sub of [...this._subs]) sub.onChange();
    for (const listener of [...this._clientListeners]) listener();
  }

  /** Calls `onChange` when the value of flag `key` may have changed (`useSyncExternalStore`'s subscribe); returns the unsubscribe. */
  subscribe(key: string, onChange: () => void, details = false): () => void {
    const sub: Subscription = { key, details, onChange, off: this._client !== null ? this._client.on(`change:${key}`, onChange) : noop };
    this._subs.add(sub);
    return () => {
      sub.off();
      this._subs.delete(sub);
    };
  }

  /**
   * The client's `change` events tell of changed values only, but the reason
   * of a details read also changes when the datafile takes over from
   * bootstrap values that agree (`BOOTSTRAP` → the engine's: `ready`), or
   * when a datafile serves the same value for another reason (`update`, e.g.
   * a flag turned off whose off variation is the value served): details
   * subscribers compare their read then (an equal one re-renders nothing).
   */
  private _watch(client: AvsbBrowserClient): () => void {
    const details = (): void => {
      if (this._client !== client) return;
      for (const sub of [...this._subs]) if (sub.details) sub.onChange();
    };
    const offReady = client.on('ready', details);
    const offUpdate = client.on('update', details);
    return () => {
      offReady();
      offUpdate();
    };
  }

  /** Calls `onChange` when the client changes (`useAvsbClient`). */
  subscribeClient(onChange: () => void): () => void {
    this._clientListeners.add(onChange);
    return () => void this._clientListeners.delete(onChange);
  }

  /** A flag's value for the client's context (recording an exposure); the bootstrap value or the default without a client. */
  readValue<T>(key: string, defaultValue: T, type: FlagType): T {
    const client = this._client;
    if (client === null) return this.readHydration(key, defaultValue, type).value;
    switch (type) {
      case 'boolean':
        return client.getBoolFlag(key, defaultValue as boolean) as T;
      case 'string':
        return client.getStringFlag(key, defaultValue as string) as T;
      case 'number':
        return client.getNumberFlag(key, defaultValue as number) as T;
      default:
        return client.getJsonFlag(key, defaultValue);
    }
  }

  /** As `readValue`, with the variation index and the reason. */
  readDetail<T>(key: string, defaultValue: T, type: FlagType): BrowserFlagDetail<T> {
    const client = this._client;
    if (client === null) return this.readHydration(key, defaultValue, type);
    switch (type) {
      case 'boolean':
        return client.getBoolFlagDetails(key, defaultValue as boolean) as BrowserFlagDetail<T>;
      case 'string':
        return client.getStringFlagDetails(key, defaultValue as string) as BrowserFlagDetail<T>;
      case 'number':
        return client.getNumberFlagDetails(key, defaultValue as number) as BrowserFlagDetail<T>;
      default:
        return client.getJsonFlagDetails(key, defaultValue);
    }
  }

  /** What the server rendered: the bootstrap values, never the client (so hydration matches the server's HTML). */
  readHydration<T>(key: string, defaultValue: T, type: FlagType): BrowserFlagDetail<T> {
    return bootstrapDetail(this._hydration, key, defaultValue, type);
  }

  /** `client.track`, or kept until the client exists (dropped on the server, where none ever does). */
  track(eventKey: string, options?: TrackOptions): void {
    if (this._client !== null) return this._client.track(eventKey, options);
    if (typeof window === 'undefined' || this._pendingTracks.length >= MAX_PENDING_TRACKS) return;
    this._pendingTracks.push([eventKey, options]);
  }
}
