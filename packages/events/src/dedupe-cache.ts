/**
 * Writes two 32-bit hashes of `text` to `out[0]` and `out[1]`. The cache
 * remembers a context or a flag by these 64 bits alone (see {@link DedupeCache}).
 */
export type TextHash = (text: string, out: Int32Array) => void;

/**
 * FNV-1a over the UTF-16 code units with two primes and two seeds, each
 * finished with murmur3's avalanche. Not a keyed hash: keys are chosen by
 * the application, and a collision costs one deduplicated event (below),
 * which a visitor could only inflict on itself by guessing another's key.
 */
export function hashText(text: string, out: Int32Array): void {
  let a = 0x811c9dc5 | 0;
  let b = 0x6a09e667 | 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = avalanche(a ^ text.length);
  out[1] = avalanche(b + Math.imul(text.length, 0x27d4eb2f));
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The code of an exposure: `null` (the default served) and each variation index, each in or out of experiment. */
export function exposureCode(variation: number | null, inExperiment: boolean): number {
  return ((variation === null ? 0 : variation + 1) << 1) | (inExperiment ? 1 : 0);
}

/** No context: what {@link DedupeCache.context} returns for a context not sent this window. */
export const NO_CONTEXT = -1;

const FIRST_RECORDS = 256;
const FIRST_EXPOSURE_SLOTS = 1024;
/** Flags numbered per window; each one's name (≤ 256 characters) is held until the window ends. */
const MAX_FLAG_NUMBERS = 4096;
const HASHED_FLAG = 1 << 30;

/**
 * What one flush window has already sent: each context (its `context`
 * event) and, per context, each (flag, variation, in-experiment) exposure.
 * Bounded: beyond `capacity` remembered entries (contexts plus exposures),
 * contexts not used recently are forgotten (and would be sent again).
 *
 * Everything it remembers is numbers in typed arrays, grown by doubling up
 * to what `capacity` needs and then reused window after window: a new
 * context costs stores into old arrays, with no object for a scavenge to
 * copy or promote and no pointer for the write barrier. (An entry object
 * and its `Map` slot per context were ≈ 160 B per new user that outlived
 * the next scavenge.) A context is its canonical key's 64-bit hash, its
 * text not kept; a flag is a number given per window (its name's hash past
 * 4,096 flags in a window). Two different contexts with the same 64 bits in
 * one window count as one: the second's context event, and its exposures
 * of variations the first was exposed to, are not sent that window. The odds for 10,000 contexts in a window are ≈ 3 × 10⁻¹²
 * (n² / 2⁶⁵), and a lost event is what a full buffer already does, so no
 * text is kept to tell them apart.
 *
 * Contexts are records (indexes into the `_ctx*` arrays) found through an
 * open-addressing table of record numbers; exposures live in a second
 * open-addressing table keyed by (record, its incarnation, flag,
 * code). Forgetting a context bumps its record's incarnation, which makes
 * its exposures stale at once: they are skipped by lookups, overwritten by
 * inserts, and dropped when the table is rebuilt.
 *
 * Eviction is "second chance" (CLOCK), an approximation of least recently
 * used that costs a read one store: a read marks its context used; eviction
 * takes contexts in queue order and sends a used one to the back of the
 * queue, unmarked, instead of forgetting it.
 */
export class DedupeCache {
  private readonly _h = new Int32Array(2);
  private readonly _fh = new Int32Array(2);

  // context records, from 0 to `_records` (freed ones chained from `_free` through `_ctxNext`)
  private _ctxHi: Int32Array;
  private _ctxLo: Int32Array;
  private _ctxEntries: Int32Array;
  private _ctxIncarnation: Int32Array;
  private _ctxNext: Int32Array;
  private _ctxUsed: Uint8Array;
  private _records = 0;
  private _free = -1;
  private _contexts = 0;

  /** Open addressing, linear probing: record + 1, 0 when empty. At most half full. */
  private _slots: Int32Array;

  /** Contexts in eviction order: a ring of `_queueCount` records from `_queueHead`. */
  private _queue: Int32Array;
  private _queueHead = 0;
  private _queueCount = 0;

  // exposures: open addressing, linear probing, record + 1 in `_expRecord` (0: empty); at most half full, stale included
  private _expRecord: Int32Array;
  private _expIncarnation: Int32Array;
  private _expHi: Int32Array;
  private _expLo: Int32Array;
  private _expCode: Int32Array;
  private _expOccupied = 0;

  private _entries = 0;

  /**
   * The context last added or found: a request's reads come one context at a
   * time, so its second and later exposures skip hashing its key. A hit here
   * needs no used mark: the context is at the back of the queue (added last,
   * or sent there by an eviction since it was found) or already marked.
   */
  private _lastId: string | undefined = undefined;
  private _lastRecord = NO_CONTEXT;
  /** The id whose hash `_h` holds after a miss, so that adding it does not hash it again. */
  private _hashedId: string | undefined = undefined;
  /**
   * Flag → a number of this window. Flags come from the application's
   * datafiles, a few strings read again and again, whose hash V8 keeps in
   * the string: a lookup here costs less than hashing the text per read.
   * Past {@link MAX_FLAG_NUMBERS} flags in a window, further ones are keyed
   * by their text's hash instead.
   */
  private readonly _flagNumbers = new Map<string, number>();
  /** What `_flagKey` wrote for (`_keyedFlag`, `_keyedCode`): `_fh` and `_flagCode`. */
  private _keyedFlag: string | undefined = undefined;
  private _keyedCode = 0;
  private _flagCode = 0;

  constructor(
    private readonly _capacity: number,
    private readonly _hash: TextHash = hashText,
  ) {
    const records = Math.min(FIRST_RECORDS, this._maxRecords());
    this._ctxHi = new Int32Array(records);
    this._ctxLo = new Int32Array(records);
    this._ctxEntries = new Int32Array(records);
    this._ctxIncarnation = new Int32Array(records);
    this._ctxNext = new Int32Array(records);
    this._ctxUsed = new Uint8Array(records);
    this._queue = new Int32Array(records);
    this._slots = new Int32Array(powerOfTwoAtLeast(records * 2));
    this._expRecord = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this._expIncarnation = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this._expHi = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this._expLo = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this._expCode = new Int32Array(FIRST_EXPOSURE_SLOTS);
  }

  /** Entries remembered (contexts plus exposures): at most the capacity, or one context's when it alone is larger. */
  get entries(): number {
    return this._entries;
  }

  /** Slots of the cache's tables (context records, context slots, exposure slots): bounded by the capacity, not the traffic. */
  get slots(): number {
    return this._ctxHi.length + this._slots.length + this._expRecord.length;
  }

  /** The context's record if it was sent this window, else {@link NO_CONTEXT}. */
  context(id: string): number {
    if (id === this._lastId) return this._lastRecord;
    const h = this._h;
    this._hash(id, h);
    this._hashedId = id;
    const record = this._find(h[0]!, h[1]!);
    if (record !== NO_CONTEXT) {
      this._ctxUsed[record] = 1;
      this._lastId = id;
      this._lastRecord = record;
    }
    return record;
  }

  /** Remembers a context as sent (one not remembered yet: see {@link context}); returns its record. */
  addContext(id: string): number {
    const h = this._h;
    if (id !== this._hashedId) this._hash(id, h);
    this._hashedId = undefined;
    if (this._free < 0 && this._records === this._ctxHi.length) this._growRecords();
    let record: number;
    if (this._free >= 0) {
      record = this._free;
      this._free = this._ctxNext[record]!;
    } else {
      record = this._records++;
    }
    const hi = h[0]!;
    const lo = h[1]!;
    this._ctxHi[record] = hi;
    this._ctxLo[record] = lo;
    this._ctxEntries[record] = 1;
    this._ctxUsed[record] = 0;
    const slots = this._slots;
    const mask = slots.length - 1;
    let s = hi & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = record + 1;
    this._enqueue(record);
    this._contexts++;
    this._entries++;
    this._lastId = id;
    this._lastRecord = record;
    this._evict(record);
    return record;
  }

  /** Whether the exposure was sent for this context (a record from {@link context} or {@link addContext}) this window. */
  hasExposure(record: number, flag: string, code: number): boolean {
    this._flagKey(flag, code);
    const fh = this._fh;
    const hi = fh[0]!;
    const lo = fh[1]!;
    const key = this._flagCode;
    const owner = record + 1;
    const incarnation = this._ctxIncarnation[record]!;
    const records = this._expRecord;
    const mask = records.length - 1;
    for (let s = exposureSlot(record, hi, key) & mask; records[s] !== 0; s = (s + 1) & mask) {
      if (
        records[s] === owner &&
        this._expHi[s] === hi &&
        this._expLo[s] === lo &&
        this._expCode[s] === key &&
        this._expIncarnation[s] === incarnation
      ) {
        return true;
      }
    }
    return false;
  }

  /** Remembers an exposure as sent (one not remembered yet: see {@link hasExposure}). */
  addExposure(record: number, flag: string, code: number): void {
    if (flag !== this._keyedFlag || code !== this._keyedCode) this._flagKey(flag, code);
    if ((this._expOccupied + 1) * 2 > this._expRecord.length) this._rebuildExposures();
    this._insertExposure(record, this._ctxIncarnation[record]!, this._fh[0]!, this._fh[1]!, this._flagCode);
    this._ctxEntries[record] = this._ctxEntries[record]! + 1;
    this._entries++;
    this._evict(record);
  }

  /** A new window: forgets everything, keeping the tables for the next. */
  clear(): void {
    if (this._records === 0 && this._expOccupied === 0) return;
    this._slots.fill(0);
    this._expRecord.fill(0);
    this._expOccupied = 0;
    this._records = 0;
    this._free = -1;
    this._contexts = 0;
    this._queueHead = 0;
    this._queueCount = 0;
    this._entries = 0;
    this._lastId = undefined;
    this._lastRecord = NO_CONTEXT;
    this._hashedId = undefined;
    this._flagNumbers.clear();
    this._keyedFlag = undefined;
  }

  /**
   * An exposure's key without its context: a flag numbered this window is
   * (number, -1, code); another, its text's hash and the code with bit 30
   * set (codes stay under 2¹³), so the two kinds never meet.
   */
  private _flagKey(flag: string, code: number): void {
    const fh = this._fh;
    this._keyedFlag = flag;
    this._keyedCode = code;
    let number = this._flagNumbers.get(flag);
    if (number === undefined && this._flagNumbers.size < MAX_FLAG_NUMBERS) {
      this._flagNumbers.set(flag, (number = this._flagNumbers.size));
    }
    if (number === undefined) {
      this._hash(flag, fh);
      this._flagCode = code | HASHED_FLAG;
    } else {
      fh[0] = number;
      fh[1] = -1;
      this._flagCode = code;
    }
  }

  /** Contexts can be at most one over capacity (each holds an entry, and the one being recorded is never evicted). */
  private _maxRecords(): number {
    return this._capacity + 1;
  }

  private _find(hi: number, lo: number): number {
    const slots = this._slots;
    const mask = slots.length - 1;
    for (let s = hi & mask; slots[s] !== 0; s = (s + 1) & mask) {
      const record = slots[s]! - 1;
      if (this._ctxHi[record] === hi && this._ctxLo[record] === lo) return record;
    }
    return NO_CONTEXT;
  }

  /** Stores an exposure in the first empty or stale slot of its probe (it is known not to be there already). */
  private _insertExposure(record: number, incarnation: number, hi: number, lo: number, code: number): void {
    const records = this._expRecord;
    const mask = records.length - 1;
    let s = exposureSlot(record, hi, code) & mask;
    for (; records[s] !== 0; s = (s + 1) & mask) {
      // a stale exposure: its context was forgotten (its record's incarnation moved on)
      if (this._expIncarnation[s] !== this._ctxIncarnation[records[s]! - 1]) break;
    }
    if (records[s] === 0) this._expOccupied++;
    records[s] = record + 1;
    this._expIncarnation[s] = incarnation;
    this._expHi[s] = hi;
    this._expLo[s] = lo;
    this._expCode[s] = code;
  }

  /** Drops stale exposures, and doubles the table while the live ones would fill more than a quarter of it. */
  private _rebuildExposures(): void {
    const live = this._entries - this._contexts;
    let size = this._expRecord.length;
    while ((live + 1) * 4 > size) size *= 2;
    const records = this._expRecord;
    const incarnations = this._expIncarnation;
    const his = this._expHi;
    const los = this._expLo;
    const codes = this._expCode;
    this._expRecord = new Int32Array(size);
    this._expIncarnation = new Int32Array(size);
    this._expHi = new Int32Array(size);
    this._expLo = new Int32Array(size);
    this._expCode = new Int32Array(size);
    this._expOccupied = 0;
    for (let s = 0; s < records.length; s++) {
      const owner = records[s]!;
      if (owner === 0 || incarnations[s] !== this._ctxIncarnation[owner - 1]) continue;
      this._insertExposure(owner - 1, incarnations[s]!, his[s]!, los[s]!, codes[s]!);
    }
  }

  private _growRecords(): void {
    const size = Math.min(this._ctxHi.length * 2, this._maxRecords());
    this._ctxHi = grown(this._ctxHi, size);
    this._ctxLo = grown(this._ctxLo, size);
    this._ctxEntries = grown(this._ctxEntries, size);
    this._ctxIncarnation = grown(this._ctxIncarnation, size);
    this._ctxNext = grown(this._ctxNext, size);
    const used = new Uint8Array(size);
    used.set(this._ctxUsed);
    this._ctxUsed = used;
    // the ring laid out again from its head
    const queue = new Int32Array(size);
    for (let i = 0; i < this._queueCount; i++) queue[i] = this._queue[(this._queueHead + i) % this._queue.length]!;
    this._queue = queue;
    this._queueHead = 0;
    const slots = new Int32Array(powerOfTwoAtLeast(size * 2));
    const mask = slots.length - 1;
    for (const owner of this._slots) {
      if (owner === 0) continue;
      let s = this._ctxHi[owner - 1]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = owner;
    }
    this._slots = slots;
  }

  private _enqueue(record: number): void {
    const queue = this._queue;
    let tail = this._queueHead + this._queueCount++;
    if (tail >= queue.length) tail -= queue.length;
    queue[tail] = record;
  }

  /** Forgets contexts beyond capacity, oldest first, giving used ones a second chance; never `keep` (the one being recorded). */
  private _evict(keep: number): void {
    const queue = this._queue;
    const used = this._ctxUsed;
    while (this._entries > this._capacity && this._contexts > 1) {
      const record = queue[this._queueHead]!;
      if (++this._queueHead === queue.length) this._queueHead = 0;
      this._queueCount--;
      if (used[record] === 1 || record === keep) {
        used[record] = 0;
        this._enqueue(record);
      } else {
        this._forget(record);
      }
    }
  }

  private _forget(record: number): void {
    const slots = this._slots;
    const mask = slots.length - 1;
    let s = this._ctxHi[record]! & mask;
    while (slots[s] !== record + 1) s = (s + 1) & mask;
    // backward-shift deletion: every record after the hole that hashes at or before it moves into it
    for (let next = (s + 1) & mask; slots[next] !== 0; next = (next + 1) & mask) {
      const home = this._ctxHi[slots[next]! - 1]! & mask;
      if (((next - home) & mask) >= ((next - s) & mask)) {
        slots[s] = slots[next]!;
        s = next;
      }
    }
    slots[s] = 0;
    this._entries -= this._ctxEntries[record]!;
    this._contexts--;
    // its exposures are stale from here on
    this._ctxIncarnation[record] = (this._ctxIncarnation[record]! + 1) | 0;
    this._ctxNext[record] = this._free;
    this._free = record;
    if (record === this._lastRecord) {
      this._lastId = undefined;
      this._lastRecord = NO_CONTEXT;
    }
  }
}

function exposureSlot(record: number, hi: number, code: number): number {
  return avalanche(hi ^ Math.imul(record + 1, 0x9e3779b1) ^ Math.imul(code, 0x7feb352d));
}

function grown(array: Int32Array, size: number): Int32Array {
  const copy = new Int32Array(size);
  copy.set(array);
  return copy;
}

function powerOfTwoAtLeast(n: number): number {
  let size = 16;
  while (size < n) size *= 2;
  return size;
}
