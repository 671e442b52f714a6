import type { JsonValue, Logger } from '@avsb/core/page';
import { describeError, developmentOnly } from '@avsb/core/page';

/**
 * Where a datafile came from: `cache` (saved by an earlier visit, in
 * `localStorage`), `stream` (server-sent events, and the datafile fetched to
 * catch up with them) or `poll` (polling, alone or as the stream's fallback).
 */
export type DatafileSource = 'cache' | 'stream' | 'poll';

/** Why values changed: a datafile from one of its sources, or `identify` (another context). */
export type ChangeReason = DatafileSource | 'identify';

/** What `change` listeners get besides the values: why they changed, and the revision now served (`null` before any datafile). */
export interface ChangeInfo {
  readonly reason: ChangeReason;
  readonly revision: number | null;
}

/** What `update` listeners get: the datafile just applied. */
export interface UpdateInfo {
  readonly source: DatafileSource;
  readonly revision: number | null;
  /** The keys of the flags whose definitions changed (every key for the first datafile). */
  readonly flagKeys: string[];
}

/** `client.on('change', …)`: the keys of the flags whose value for the current context changed, and why. */
export type ChangeListener = (keys: string[], info: ChangeInfo) => void;
/**
 * `client.on('change:<flagKey>', …)`: the flag's new value (`undefined` when it no longer serves one), and why. `T` is
 * the flag's type as the caller knows it (`boolean`, `string`, `number`, a JSON shape): a promise, not checked, as
 * `getJsonFlag<T>`'s is; a listener that must not trust it reads the flag instead (`getBoolFlag(key, default)`).
 */
export type FlagChangeListener<T = JsonValue> = (value: T | undefined, info: ChangeInfo) => void;
/** `client.on('update', …)`: after a datafile was applied. */
export type UpdateListener = (info: UpdateInfo) => void;
/** `client.on('ready', …)`: once flags are evaluated from a datafile. */
export type ReadyListener = () => void;

type AnyListener = (a?: unknown, b?: unknown) => void;

/**
 * Names an event `on` has none of. A development aid (`developmentOnly`): TypeScript already refuses such a name, and
 * a production page keeps its listener, which no event calls, without the check (42 B of the page's gzipped JS).
 */
function warnUnknown(event: string, logger: Logger): void {
  if (!/^(ready|update|change(:[^]+)?)$/.test(event)) logger.warn(`on("${event}"): unknown event; use "ready", "update", "change" or "change:<flag key>"`);
}

/**
 * The client's events and the values it serves its context. `update`
 * compares the values now served with the last (as JSON) and calls `change`
 * listeners only for flags whose value differs: a new datafile that agrees
 * with the bootstrap values, or an edit that leaves this context's variation
 * alone, calls no one. `ready` is told once (check `client.ready` before
 * listening).
 *
 * The values are taken when the first `change` or `change:<key>` listener is
 * added, and kept from then on: evaluating every flag and writing each value
 * as JSON is 10–16 % of a returning visitor's first read at 1,000 flags, for
 * a comparison no one may hear. A listener added later compares from the
 * values served when the first was added (before a datafile, the bootstrap
 * values): it hears of what changes after it subscribed.
 */
export class FlagChanges {
  /** The values `change` listeners last heard of, as JSON by key; none until one listens. */
  private _values?: Map<string, string>;
  private _ready = false;
  /** Every listener with its event (`ready`, `update`, `change`, `change:<key>`), in the order added. */
  private readonly _listeners = new Set<readonly [string, AnyListener]>();

  /** `served`: the values served to the context now (the client's `allFlags()`). */
  constructor(
    private readonly _logger: Logger,
    private readonly _served: () => Record<string, JsonValue>,
  ) {}

  /** Adds a listener; returns the function that removes it. */
  on(event: string, listener: ChangeListener | FlagChangeListener<never> | UpdateListener | ReadyListener): () => void {
    const entry = [event, listener as AnyListener] as const;
    if (typeof listener !== 'function') return () => {};
    developmentOnly(warnUnknown)?.(event, this._logger);
    // change or change:<key>, the events that compare values
    if (event.startsWith('change')) this._values ??= asJson(this._served());
    this._listeners.add(entry);
    return () => void this._listeners.delete(entry);
  }

  /** Calls the `change` listeners of the values now served that differ from the last ones. */
  update(info: ChangeInfo): void {
    const last = this._values;
    if (!last) return;
    const values = this._served();
    const next = asJson(values);
    const changed = [...next.keys()].filter((key) => last.get(key) !== next.get(key));
    for (const key of last.keys()) if (!next.has(key)) changed.push(key);
    this._values = next;
    if (changed.length === 0) return;
    for (const key of changed) this._emit(`change:${key}`, () => values[key], info);
    this._emit('change', () => changed.slice(), info);
  }

  /** Tells `update` listeners a datafile was applied. */
  applied(info: UpdateInfo): void {
    this._emit('update', () => ({ ...info, flagKeys: info.flagKeys.slice() }));
  }

  /** Tells `ready` listeners, the first time only. */
  ready(): void {
    if (!this._ready) this._emit('ready', () => undefined);
    this._ready = true;
  }

  /** Calls each listener of `event` (those there when it starts) with its own `arg()` (a listener may keep or change it); one that throws is logged. */
  private _emit(event: string, arg: () => unknown, info?: ChangeInfo): void {
    for (const [name, listener] of [...this._listeners]) {
      try {
        if (name === event) listener(arg(), info);
      } catch (e) {
        this._logger.error(`a ${event} listener threw: ${describeError(e)}`);
      }
    }
  }
}

/** Each value as JSON, by key: values are compared by their JSON. */
function asJson(values: Record<string, JsonValue>): Map<string, string> {
  return new Map(Object.keys(values).map((key) => [key, JSON.stringify(values[key])]));
}
