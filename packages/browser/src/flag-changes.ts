import type { JsonValue, Logger } from '@avsb/core';

/** `client.on('change', …)`: the keys of the flags whose value for the current context changed. */
export type ChangeListener = (keys: string[]) => void;
/** `client.on('change:<flagKey>', …)`: the flag's new value (`undefined` when it no longer serves one). */
export type FlagChangeListener = (value: JsonValue | undefined) => void;

/**
 * The values the client serves its context, and the listeners told when they
 * change. `update` compares a new set of values with the last (as JSON) and
 * calls listeners only for flags whose value differs: a new datafile that
 * agrees with the bootstrap values, or an edit that leaves this context's
 * variation alone, calls no one.
 */
export class FlagChanges {
  private _values = new Map<string, string>();
  private readonly _any = new Set<ChangeListener>();
  private readonly _byKey = new Map<string, Set<FlagChangeListener>>();
  private readonly _logger: Logger;

  constructor(logger: Logger) {
    this._logger = logger;
  }

  /** Adds a listener; returns the function that removes it. */
  on(event: string, listener: ChangeListener | FlagChangeListener): () => void {
    if (typeof listener !== 'function') return () => {};
    if (event === 'change') {
      const l = listener as ChangeListener;
      this._any.add(l);
      return () => void this._any.delete(l);
    }
    if (event.startsWith('change:') && event.length > 7) {
      const key = event.slice(7);
      const set = this._byKey.get(key) ?? new Set<FlagChangeListener>();
      this._byKey.set(key, set);
      const l = listener as FlagChangeListener;
      set.add(l);
      return () => {
        set.delete(l);
        if (set.size === 0 && this._byKey.get(key) === set) this._byKey.delete(key);
      };
    }
    this._logger.warn(`on("${event}"): unknown event; use "change" or "change:<flag key>"`);
    return () => {};
  }

  /** Takes the values now served; calls the listeners of those that differ from the last ones. */
  update(values: Record<string, JsonValue>): void {
    const next = new Map<string, string>();
    for (const key of Object.keys(values)) next.set(key, JSON.stringify(values[key]));
    const changed: string[] = [];
    for (const [key, text] of next) if (this._values.get(key) !== text) changed.push(key);
    for (const key of this._values.keys()) if (!next.has(key)) changed.push(key);
    this._values = next;
    if (changed.length === 0) return;
    for (const key of changed) {
      const set = this._byKey.get(key);
      if (set === undefined) continue;
      for (const listener of [...set]) this._call(listener, values[key]);
    }
    for (const listener of [...this._any]) this._call(listener, changed.slice());
  }

  private _call<T>(listener: (value: T) => void, value: T): void {
    try {
      listener(value);
    } catch (e) {
      this._logger.error(`a change listener threw: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}
