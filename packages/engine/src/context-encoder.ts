// Writes a context object in the engine's binary context encoding (ABI.md,
// "Context encoding") straight into linear memory: no JSON text is built
// and the engine lexes none. It covers what contexts are made of (plain
// objects, arrays, strings, numbers, booleans, null) and declines anything
// whose JSON form needs `JSON.stringify`'s own rules (`toJSON`, class
// instances, boxed primitives, bigint, cycles, deep nesting, a context too
// large for the buffer): the host sends those as JSON, so every context
// means exactly what its JSON means.

import type { PageEngine } from './engine';
import { EngineInputError } from './engine-input-error';

/** Input room for binary-encoded contexts, asked for once; larger contexts go as JSON. */
const ENCODED_CONTEXT_ROOM = 1 << 16;

const B_NULL = 0;
const B_FALSE = 1;
const B_TRUE = 2;
const B_NUM = 3;
const B_STR = 4;
const B_ARR = 5;
const B_OBJ = 6;

/** Deeper objects go as JSON, whose path reports nesting beyond the engine's 64 levels (and cycles). */
const MAX_DEPTH = 32;

/** Top-level members whose names' bytes are kept by place, and the longest name kept (four 32-bit words). */
const KEPT_NAMES = 16;
const KEPT_NAME_BYTES = 16;

/**
 * The top-level member names last written at each place, their lengths and their bytes as little-endian words: a
 * server's contexts come from one piece of code and share a shape, so the next context's names are mostly the same
 * strings at the same places, written as a length and four words instead of byte by byte. One table for the process
 * (a name's bytes are the same from any encoder) rather than members of the encoder: the engine's build shortens
 * members' names by how often the whole build uses each, and members more (or members used more often) renamed a
 * page's engine code, 3 B larger (8 B in new-12), though a page has no encoder (`_name` keeps its long name:
 * tsup.config.ts; `_string` and `_limit` are used as often as before, `_pos` and `_bytes` more: the size test's pages
 * kept their members' names).
 */
class KeptNames {
  readonly names: (string | undefined)[] = new Array<string | undefined>(KEPT_NAMES).fill(undefined);
  readonly lengths = new Uint8Array(KEPT_NAMES);
  readonly words = new Int32Array(KEPT_NAMES * 4);
}

const kept = /* @__PURE__ */ new KeptNames();

const encoder = /* @__PURE__ */ new TextEncoder();
const OBJECT_PROTOTYPE = /* @__PURE__ */ Object.getPrototypeOf({}) as object;
const ARRAY_PROTOTYPE = /* @__PURE__ */ Object.getPrototypeOf([]) as object;

function isPlainObject(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return (proto === OBJECT_PROTOTYPE || proto === null) && typeof (o as { toJSON?: unknown }).toJSON !== 'function';
}

/** An empty object: `for…in` finds a member in it only when `Object.prototype` has enumerable ones. */
const PROBE = {};

/** Whether `Object.prototype` has enumerable members (someone added one): `for…in` would then see them. */
function prototypeEnumerates(): boolean {
  for (const _ in PROBE) return true;
  return false;
}

/** What `JSON.stringify` leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * Encodes context objects into a byte range of linear memory. One per
 * engine host; its state lives in fields (module `let`s cost a context
 * load and a hole check on every access).
 */
export class ContextEncoder {
  private _bytes: Uint8Array = new Uint8Array(0);
  private _view: DataView = new DataView(new ArrayBuffer(0));
  private _pos = 0;
  private _limit = 0;
  /** `for…in` lists exactly the own enumerable keys (nothing inherited): it is then the fast way to walk an object. */
  private _forIn = true;
  /** The engine memory `_into` last wrote to (the engine's view, the same object until memory grows) and a DataView of it. */
  private _memory: Uint8Array = this._bytes;
  private _memoryView: DataView = this._view;

  /**
   * Registers `context` in the binary encoding: its handle, or 0 when it is
   * left to JSON. @internal The engine's side of the encoder, here so that a
   * host without an encoder (a page) does not bundle it.
   */
  _register(engine: PageEngine, context: object): number {
    const len = this._into(engine, context);
    if (len < 0) return 0;
    let handle: number;
    try {
      handle = engine._x.avsb_ctx_create_bin(len);
    } catch {
      engine._recover();
      throw new EngineInputError('context: the engine faulted while reading it');
    }
    return engine._registered(handle, context);
  }

  /** Encodes `context` into `engine`'s input buffer: its length, or -1 (JSON it is). @internal Also for restoring contexts. */
  _into(engine: PageEngine, context: object): number {
    let at = engine._contextInput;
    if (at === 0) {
      at = engine._x.avsb_input(ENCODED_CONTEXT_ROOM);
      engine._contextInput = at;
    }
    const bytes = engine._mem();
    if (bytes !== this._memory) {
      this._memory = bytes;
      this._memoryView = new DataView(bytes.buffer);
    }
    const view = this._memoryView;
    try {
      return this.encode(context, bytes, view, at, ENCODED_CONTEXT_ROOM);
    } catch {
      return -1; // a getter threw: JSON.stringify reports it
    }
  }

  /**
   * Encodes `context` at `out[at…at + room)`; returns the bytes written, or
   * -1 when it is left to JSON (see above). May throw what a getter of the
   * context throws; the host then sends it as JSON, which reports it.
   */
  encode(context: object, out: Uint8Array, view: DataView, at: number, room: number): number {
    this._bytes = out;
    this._view = view;
    this._pos = at;
    this._limit = at + room;
    this._forIn = !prototypeEnumerates();
    const ok = isPlainObject(context) && this._object(context as Record<string, unknown>, 1);
    return ok ? this._pos - at : -1;
  }

  /** Members as `JSON.stringify` writes them: own enumerable string keys, minus what it omits. */
  private _object(o: Record<string, unknown>, depth: number): boolean {
    const at = this._pos;
    if (depth > MAX_DEPTH || at + 5 > this._limit) return false;
    this._bytes[at] = B_OBJ;
    this._pos = at + 5;
    let count = 0;
    if (this._forIn) {
      // V8 walks for…in with the object's enum cache and loads each value by field index: twice as fast as
      // Object.keys and a keyed load per member. Inherited keys cannot appear (checked in encode).
      for (const key in o) {
        const value = o[key];
        if (omitted(value)) continue;
        if (!this._name(key, depth === 1 ? count : KEPT_NAMES) || !this._value(value, depth)) return false;
        count++;
      }
    } else {
      const keys = Object.keys(o);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const value = o[key];
        if (omitted(value)) continue;
        if (!this._string(key) || !this._value(value, depth)) return false;
        count++;
      }
    }
    this._view.setUint32(at + 1, count, true);
    return true;
  }

  /**
   * A member's name: at a top-level `place` (else `KEPT_NAMES`), from the words kept for the place when it is the
   * name kept there, else as `_string` writes it, then kept.
   */
  private _name(name: string, place: number): boolean {
    const at = this._pos;
    const view = this._view;
    if (place < KEPT_NAMES && kept.names[place] === name && at + 4 + KEPT_NAME_BYTES <= this._limit) {
      // four words whatever the name's length: those past it are overwritten by what follows or lie past the
      // context's end, never past the room
      const n = kept.lengths[place]!;
      const words = kept.words;
      const w = place * 4;
      view.setUint32(at, n, true);
      view.setInt32(at + 4, words[w]!, true);
      view.setInt32(at + 8, words[w + 1]!, true);
      view.setInt32(at + 12, words[w + 2]!, true);
      view.setInt32(at + 16, words[w + 3]!, true);
      this._pos = at + 4 + n;
      return true;
    }
    return keepName(this._string(name), this._bytes, view, at, name, place);
  }

  private _array(a: unknown[], depth: number): boolean {
    const at = this._pos;
    if (depth > MAX_DEPTH || at + 5 > this._limit) return false;
    if (Object.getPrototypeOf(a) !== ARRAY_PROTOTYPE || typeof (a as { toJSON?: unknown }).toJSON === 'function') return false;
    const n = a.length;
    this._bytes[at] = B_ARR;
    this._view.setUint32(at + 1, n, true);
    this._pos = at + 5;
    for (let i = 0; i < n; i++) {
      const item = a[i];
      // JSON writes null for what it omits from objects, and for holes
      if (!this._value(omitted(item) ? null : item, depth)) return false;
    }
    return true;
  }

  private _value(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this._tag(B_STR) && this._string(value);
    const at = this._pos;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return this._tag(B_NULL); // JSON writes NaN and ±Infinity as null
      if (at + 9 > this._limit) return false;
      this._bytes[at] = B_NUM;
      this._view.setFloat64(at + 1, value === 0 ? 0 : value, true); // JSON writes -0 as 0
      this._pos = at + 9;
      return true;
    }
    if (typeof value === 'boolean') return this._tag(value ? B_TRUE : B_FALSE);
    if (value === null) return this._tag(B_NULL);
    if (typeof value !== 'object') return false; // bigint: JSON refuses it, and says so
    if (Array.isArray(value)) return this._array(value, depth + 1);
    return isPlainObject(value) && this._object(value as Record<string, unknown>, depth + 1);
  }

  private _tag(tag: number): boolean {
    const at = this._pos;
    if (at >= this._limit) return false;
    this._bytes[at] = tag;
    this._pos = at + 1;
    return true;
  }

  /** A u32 byte length and the UTF-8 bytes; a lone surrogate becomes U+FFFD, as the JSON path gives the engine. */
  private _string(s: string): boolean {
    const n = s.length;
    const at = this._pos;
    const start = at + 4;
    const bytes = this._bytes;
    const limit = this._limit;
    if (start + n > limit) return false;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      bytes[start + i] = c;
    }
    let written = n;
    if (i < n) {
      const r = encoder.encodeInto(s, bytes.subarray(start, limit));
      if (r.read !== n) return false;
      written = r.written;
    }
    this._view.setUint32(at, written, true);
    this._pos = start + written;
    return true;
  }
}

/**
 * Keeps `name`, just written at `at` (`written`: whether it was), for its top-level place: its length and four words
 * from `at`, when it is at most 16 bytes and the four words are within `bytes` (what follows a shorter name was
 * written or lies past the room's end, in the engine's memory: reading it is harmless); else the place keeps no
 * name. `written`, handed on.
 */
function keepName(written: boolean, bytes: Uint8Array, view: DataView, at: number, name: string, place: number): boolean {
  if (!written || place >= KEPT_NAMES) return written;
  const n = view.getUint32(at, true);
  if (n > KEPT_NAME_BYTES || at + 4 + KEPT_NAME_BYTES > bytes.length) {
    kept.names[place] = undefined;
    return true;
  }
  const w = place * 4;
  const words = kept.words;
  for (let k = 0; k < 4; k++) words[w + k] = view.getInt32(at + 4 + 4 * k, true);
  kept.lengths[place] = n;
  kept.names[place] = name;
  return true;
}
