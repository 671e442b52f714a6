// One engine handle for equal contexts: a server registers the same user's
// context on every request of that user, and registering (encoding, parsing,
// storing) then releasing it again was a third of a short request. Equal
// contexts share one handle, counted; a context released by all its holders
// stays registered, idle, until it is asked for again or another context
// takes its place in the table.
//
// Only flat contexts are shared: a plain object with a string `key` whose
// members are all strings, finite numbers, booleans or null. Equality is
// member by member, names and order included, against a copy taken when the
// handle was registered (the application may change its object once it
// released it), so two contexts share a handle only when they mean the same
// JSON. Anything else, and an equal context whose members come in another
// order, is registered and released as before.

import type { AvsbEngine } from './avsb-engine';


/** One shared registration. */
interface Entry {
  readonly key: string;
  /** The context's members as registered (the engine restores this copy after a fault). */
  readonly copy: Record<string, unknown>;
  /** The copy's member names and values, in order: what a new context must equal. */
  readonly names: string[];
  readonly values: unknown[];
  readonly handle: number;
  /** Holders that have not released it; 0: idle. */
  refs: number;
  /** The table's clock when it was last registered. */
  used: number;
}

/** Members `for…in` sees in an empty object: only when `Object.prototype` has enumerable ones. */
const PROBE = {};

function prototypeEnumerates(): boolean {
  for (const _ in PROBE) return true;
  return false;
}

/**
 * Makes `engine` share handles among equal flat contexts (see above) and
 * returns it: its `registerContext` gives a context equal to a registered
 * one that context's handle (one more holder), `releaseContext` releases a
 * shared handle once its last holder did, keeping it registered and idle,
 * and `liveContexts` leaves idle ones out. For servers, with a
 * `ContextEncoder`. A released handle may go on answering until its place
 * is taken: release it once per registration, and evaluate it only between
 * the two.
 *
 * The engine host itself stays as it is (a web page never bundles this).
 * A key has two places in the table, both from a hash of the key (the one
 * used less recently is taken first), not a `Map` with an eviction order:
 * with one place per key, two
 * returning users whose keys met in a place pushed each other out on every
 * request and were never shared (4 of 100 users, 60 % of 1,000 in a
 * 1,024-place table). A key seen for the first time costs a hash and
 * one store, its second registration a copy of the context (registered in
 * its place, so the engine restores the copy after a fault, not the
 * application's object, which it may reuse for another user once
 * released), and from then on a returning user one load and a comparison.
 *
 * @param size places in the table, rounded up to a power of two, at least 2 (default
 * 1,024): at most that many released contexts stay registered.
 */
export function shareContexts<E extends AvsbEngine>(engine: E, size = 1024): E {
  // the same three functions on every engine, reading its table from a member: closures of their own (a getter above
  // all, kept in the object's map) gave each server's engine a map of its own, and the hot reads of two servers in one
  // process (`flagIndex`, `evaluateIndex`…) two maps, which made every read ≈ 1.5x dearer (issue 9)
  Object.defineProperties(engine, {
    [SHARE]: { value: new SharedContexts(engine, size) },
    registerContext: { value: registerShared, configurable: true, writable: true },
    releaseContext: { value: releaseShared, configurable: true, writable: true },
    liveContexts: { get: liveShared, configurable: true },
  });
  return engine;
}

// pure: a page's bundle, which never shares contexts, drops it (a bare call stays: +10 B gzipped)
const SHARE = /* @__PURE__ */ Symbol('shared contexts');

/** An engine `shareContexts` made: its table of shared contexts. */
interface Sharing {
  readonly [SHARE]: SharedContexts;
}

function registerShared(this: Sharing, context: object | string): number {
  return this[SHARE].register(context);
}

function releaseShared(this: Sharing, handle: number): boolean {
  return this[SHARE].release(handle);
}

function liveShared(this: Sharing): number {
  return this[SHARE].live;
}

class SharedContexts {
  private readonly _register: (context: object | string) => number;
  private readonly _release: (handle: number) => boolean;
  private readonly _live: () => number;
  private readonly _table: (Entry | undefined)[];
  /** The hash of a key last seen at each place: a context is shared from its second registration on. */
  private readonly _seen: Int32Array;
  /** Counts registrations of shared entries: an entry's `used` says which of two was used less recently. */
  private _clock = 0;
  /** Per first place, which of the key's two notes in `_seen` the next new key overwrites. */
  private readonly _nextSeen: Uint8Array;
  private readonly _mask: number;
  /** Entries by handle slot (a handle's low 20 bits, ABI.md; a literal below: a top-level constant would stay in a page's bundle). */
  private readonly _bySlot: (Entry | undefined)[] = [];
  private _idle = 0;

  constructor(engine: AvsbEngine, size: number) {
    const proto = Object.getPrototypeOf(engine) as AvsbEngine;
    this._register = proto.registerContext.bind(engine);
    this._release = proto.releaseContext.bind(engine);
    const live = Object.getOwnPropertyDescriptor(proto, 'liveContexts')!.get!;
    this._live = () => live.call(engine) as number;
    let n = 2;
    while (n < size && n < 1 << 16) n <<= 1;
    this._mask = n - 1;
    this._table = new Array<Entry | undefined>(n).fill(undefined);
    this._seen = new Int32Array(n);
    this._nextSeen = new Uint8Array(n);
  }

  /** Contexts registered and held (idle ones left out). */
  get live(): number {
    return this._live() - this._idle;
  }

  register(context: object | string): number {
    let key: unknown;
    try {
      key = typeof context === 'object' && context !== null ? (context as { key?: unknown }).key : undefined;
    } catch {
      // a getter that throws: the engine reports it as it always did
    }
    if (typeof key !== 'string') return this._register(context);
    const h = hash(key);
    const mask = this._mask;
    const at = h & mask;
    // the key's second place: elsewhere in the table (an odd distance: never its first place)
    const other = at ^ (((h >>> 16) & mask) | 1);
    const table = this._table;
    const first = table[at];
    const second = table[other];
    const found =
      first !== undefined && first.key === key && equal(first, context as object)
        ? first
        : second !== undefined && second.key === key && equal(second, context as object)
          ? second
          : undefined;
    if (found !== undefined) {
      if (found.refs++ === 0) this._idle--;
      found.used = ++this._clock;
      return found.handle;
    }
    const way = victim(key, first, second);
    // places held by contexts in use stay with them; a key seen once costs nothing more than before (no copy,
    // no churn): most users of a busy server are new to the table
    if (way < 0) return this._register(context);
    const place = way === 0 ? at : other;
    if (this._seen[at] !== h && this._seen[other] !== h) {
      // a key's two notes are written in turn, so two newcomers of one place do not erase each other's
      const next = this._nextSeen[at]!;
      this._seen[next === 0 ? at : other] = h;
      this._nextSeen[at] = next ^ 1;
      return this._register(context);
    }
    const entry = table[place];
    const copy = copyOf(context as object);
    if (copy === undefined) return this._register(context);
    const handle = this._register(copy);
    if (entry !== undefined) {
      this._bySlot[entry.handle & 0xfffff] = undefined;
      this._idle--;
      this._release(entry.handle);
    }
    const names: string[] = [];
    const values: unknown[] = [];
    for (const name in copy) {
      names.push(name);
      values.push(copy[name]);
    }
    const added: Entry = { key, copy, names, values, handle, refs: 1, used: ++this._clock };
    table[place] = added;
    this._bySlot[handle & 0xfffff] = added;
    return handle;
  }

  /** `false` for an unknown handle, or a shared one all its holders released already. */
  release(handle: number): boolean {
    const entry = this._bySlot[handle & 0xfffff];
    if (entry === undefined || entry.handle !== handle) return this._release(handle);
    if (entry.refs === 0) return false;
    if (--entry.refs === 0) this._idle++;
    return true;
  }
}

/**
 * Which of a key's two places (0, 1) a new context of `key` may take, or -1
 * when both hold contexts in use: the place of an older registration of the
 * same key, else an empty place, else the one used less recently.
 */
function victim(key: string, first: Entry | undefined, second: Entry | undefined): number {
  const free0 = first === undefined || first.refs === 0;
  const free1 = second === undefined || second.refs === 0;
  if (free0 && first !== undefined && first.key === key) return 0;
  if (free1 && second !== undefined && second.key === key) return 1;
  if (free0 && free1) return first === undefined ? 0 : second === undefined ? 1 : first.used <= second.used ? 0 : 1;
  return free0 ? 0 : free1 ? 1 : -1;
}

/** A hash of a key's length and its last 32 characters (where keys like `u-00042` differ). */
function hash(key: string): number {
  const n = key.length;
  let h = n * 0x9e3779b1;
  for (let i = n > 32 ? n - 32 : 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/**
 * Whether `context` has exactly the copy's members, in the same order (a
 * context built by the same code; one in another order is registered, not
 * shared); `false` too when reading it throws (a getter, a proxy). Compared
 * by position, not by a keyed read of the copy per member: half the time.
 */
function equal(entry: Entry, context: object): boolean {
  try {
    // no probe of Object.prototype here (copyOf's): an enumerable member it gained since the copy was made is one more
    // name `for…in` gives after the copy's, so the context is not equal; one the context shadows is not given at all
    if (Object.getPrototypeOf(context) !== Object.prototype) return false;
    const names = entry.names;
    const values = entry.values;
    let n = 0;
    for (const name in context) {
      if (n >= names.length || name !== names[n] || (context as Record<string, unknown>)[name] !== values[n]) return false;
      n++;
    }
    return n === names.length;
  } catch {
    return false;
  }
}

/**
 * A copy of a flat context (spread: V8 clones the object's shape at once,
 * and a `__proto__` member stays an own member), or `undefined` when it is
 * not shared.
 */
function copyOf(context: object): Record<string, unknown> | undefined {
  let copy: Record<string, unknown>;
  try {
    if (Object.getPrototypeOf(context) !== Object.prototype || prototypeEnumerates()) return undefined;
    copy = { ...context };
  } catch {
    return undefined; // a getter that throws: the engine reports it as it always did
  }
  for (const name in copy) {
    const value = copy[name];
    const type = typeof value;
    if (!(type === 'string' || type === 'boolean' || value === null || (type === 'number' && Number.isFinite(value)))) return undefined;
  }
  return copy;
}
