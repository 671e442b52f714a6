/**
 * Writes two 32-bit hashes of `text` to `out[0]` and `out[1]`. The cache
 * remembers a context or a flag by these 64 bits alone (see {@link DedupeCache}).
 */
export type TextHash = (text: string, out: Int32Array) => void;

/**
 * FNV-1a over the UTF-16 code units with two primes, each lane started from
 * a seed and finished with murmur3's avalanche. A collision costs one
 * deduplicated event (below).
 */
export function hashText(text: string, out: Int32Array, seedA = 0, seedB = 0): void {
  let a = 0x811c9dc5 ^ seedA;
  let b = 0x6a09e667 ^ seedB;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = avalanche(a ^ text.length);
  out[1] = avalanche(b + Math.imul(text.length, 0x27d4eb2f));
}

/**
 * `hashText` with seeds drawn once from `random` (the pipeline's platform): a visitor who picks their own context key
 * cannot prepare, offline, a key whose hashes collide with another visitor's (FNV is not collision-resistant for a
 * known starting state).
 */
export function seededTextHash(random: () => number): TextHash {
  const seedA = (random() * 0x100000000) | 0;
  const seedB = (random() * 0x100000000) | 0;
  return (text, out) => hashText(text, out, seedA, seedB);
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
/** Exposures kept in their context's record (numbered flags), before the exposure table. */
const INLINE = 4;

const EMPTY: Int32Array = new Int32Array(0);
/**
 * Records a {@link DedupeCache.mark} can name: its record above its low 32 bits, within a double's 53 (2²¹; a literal:
 * esbuild keeps a top-level `2 ** 21` in a page's bundle, which leaves this file out).
 */
const MARKED_RECORDS = 2_097_152;

/**
 * The cache's state, for {@link DedupeCache} alone (the package does not
 * export either). Its fields are not `_`-prefixed private members because
 * the build gives `_` members short names by how often the package uses
 * them: as thirty busy `_` members they took the page pipeline's
 * one-letter names, and a page's gzipped bundles grew by 30–35 B though
 * they leave this file out (+0 and +7 B this way).
 */
class Tables {
  readonly h = new Int32Array(2);
  readonly fh = new Int32Array(2);

  // context records, from 0 to `records` (freed ones chained from `free` through `ctxNext`)
  ctxHi = EMPTY;
  ctxLo = EMPTY;
  ctxEntries = EMPTY;
  ctxIncarnation = EMPTY;
  ctxNext = EMPTY;
  ctxUsed = new Uint8Array(0);
  /** Each record's first exposures of numbered flags, `INLINE` a record: (flag number << 14) | code. */
  ctxExposures = EMPTY;
  /** How many of `ctxExposures`' places each record fills; its other exposures are in the exposure table. */
  ctxInline = new Uint8Array(0);
  /** Exposures held in records (not in the exposure table). */
  inlined = 0;
  records = 0;
  free = -1;
  contexts = 0;

  /** Open addressing, linear probing: record + 1, 0 when empty. At most half full. */
  contextSlots = EMPTY;

  /** Contexts in eviction order: a ring of `queueCount` records from `queueHead`. */
  queue = EMPTY;
  queueHead = 0;
  queueCount = 0;

  // exposures: open addressing, linear probing, record + 1 in `expRecord` (0: empty); at most half full, stale included
  expRecord = EMPTY;
  expIncarnation = EMPTY;
  expHi = EMPTY;
  expLo = EMPTY;
  expCode = EMPTY;
  expOccupied = 0;

  /** Entries (contexts plus exposures). */
  held = 0;

  /**
   * The context last added or found: a request's reads come one context at a
   * time, so its second and later exposures skip hashing its key. A hit here
   * needs no used mark: the context is at the back of the queue (added last,
   * or sent there by an eviction since it was found) or already marked.
   */
  lastId: string | undefined = undefined;
  lastRecord = NO_CONTEXT;
  /** The id whose hash `h` holds after a miss, so that adding it does not hash it again. */
  hashedId: string | undefined = undefined;
  /**
   * Flag → a number of this window. Flags come from the application's
   * datafiles, a few strings read again and again, whose hash V8 keeps in
   * the string: a lookup here costs less than hashing the text per read.
   * Past {@link MAX_FLAG_NUMBERS} flags in a window, further ones are keyed
   * by their text's hash instead.
   */
  readonly flagNumbers = new Map<string, number>();
  /** The code `flagKey` wrote beside `fh`. */
  flagCode = 0;
}

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
 * open-addressing table of record numbers. A context's first four
 * exposures of numbered flags are kept in its record (`ctxExposures`),
 * the others in a second open-addressing table keyed by (record, its
 * incarnation, flag, code). A new user's record is the one an eviction has
 * just freed, whose fields are still in the processor's caches, where a
 * slot of the exposure table was last touched thousands of requests ago
 * (a request allocates ≈ 2.7 kB, which streams through the caches): kept
 * in the record, a new user's exposures cost the events pipeline ≈ 10 %
 * less. Forgetting a context bumps its record's incarnation, which makes
 * its exposures in the table stale at once: they are skipped by lookups,
 * overwritten by inserts, and dropped when the table is rebuilt (those in
 * the record go with it: its next context starts with none).
 *
 * Eviction is "second chance" (CLOCK), an approximation of least recently
 * used that costs a read one store: a read marks its context used; eviction
 * takes contexts in queue order and sends a used one to the back of the
 * queue, unmarked, instead of forgetting it.
 */
export class DedupeCache extends Tables {
  // its state and helpers are public members of a class the package does not export (see Tables), not `_` members
  /** Entries beyond which contexts are forgotten. */
  readonly capacity: number;
  readonly hash: TextHash;

  constructor(capacity: number, hash: TextHash = hashText) {
    super();
    this.capacity = capacity;
    this.hash = hash;
    const records = Math.min(FIRST_RECORDS, this.maxRecords());
    this.ctxHi = new Int32Array(records);
    this.ctxLo = new Int32Array(records);
    this.ctxEntries = new Int32Array(records);
    this.ctxIncarnation = new Int32Array(records);
    this.ctxNext = new Int32Array(records);
    this.ctxUsed = new Uint8Array(records);
    this.ctxExposures = new Int32Array(records * INLINE);
    this.ctxInline = new Uint8Array(records);
    this.queue = new Int32Array(records);
    this.contextSlots = new Int32Array(powerOfTwoAtLeast(records * 2));
    this.expRecord = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this.expIncarnation = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this.expHi = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this.expLo = new Int32Array(FIRST_EXPOSURE_SLOTS);
    this.expCode = new Int32Array(FIRST_EXPOSURE_SLOTS);
  }

  /** Entries remembered (contexts plus exposures): at most the capacity, or one context's when it alone is larger. */
  get entries(): number {
    return this.held;
  }

  /** Slots of the cache's tables (context records, context slots, exposure slots): bounded by the capacity, not the traffic. */
  get slots(): number {
    return this.ctxHi.length + this.contextSlots.length + this.expRecord.length;
  }

  /** The context's record if it was sent this window, else {@link NO_CONTEXT}. */
  context(id: string): number {
    if (id === this.lastId) return this.lastRecord;
    const h = this.h;
    this.hash(id, h);
    this.hashedId = id;
    const record = this.find(h[0]!, h[1]!);
    if (record !== NO_CONTEXT) {
      this.ctxUsed[record] = 1;
      this.lastId = id;
      this.lastRecord = record;
    }
    return record;
  }

  /** Remembers a context as sent (one not remembered yet: see {@link context}); returns its record. */
  addContext(id: string): number {
    const h = this.h;
    if (id !== this.hashedId) this.hash(id, h);
    this.hashedId = undefined;
    if (this.free < 0 && this.records === this.ctxHi.length) this.growRecords();
    let record: number;
    if (this.free >= 0) {
      record = this.free;
      this.free = this.ctxNext[record]!;
    } else {
      record = this.records++;
    }
    const hi = h[0]!;
    const lo = h[1]!;
    this.ctxHi[record] = hi;
    this.ctxLo[record] = lo;
    this.ctxEntries[record] = 1;
    this.ctxUsed[record] = 0;
    this.ctxInline[record] = 0;
    const slots = this.contextSlots;
    const mask = slots.length - 1;
    let s = hi & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = record + 1;
    this.enqueue(record);
    this.contexts++;
    this.held++;
    this.lastId = id;
    this.lastRecord = record;
    this.evict(record);
    return record;
  }

  /** Whether the exposure was sent for this context (a record from {@link context} or {@link addContext}) this window. */
  hasExposure(record: number, flag: string, code: number): boolean {
    this.flagKey(flag, code);
    const inline = this.ctxInline[record]!;
    if (this.fh[1] === -1) {
      if (inline > 0 && this.hasInline(record, inline)) return true;
      if (inline < INLINE) return false;
    }
    return this.tableSlot(record) === -1;
  }

  /** Whether the exposure `flagKey` wrote (a numbered flag's) is among the record's first `inline` ones. */
  hasInline(record: number, inline: number): boolean {
    const packed = (this.fh[0]! << 14) | this.flagCode;
    const exposures = this.ctxExposures;
    const row = record * INLINE;
    for (let i = 0; i < inline; i++) if (exposures[row + i] === packed) return true;
    return false;
  }

  /**
   * Probes the exposure table for the exposure `flagKey` wrote: −1 when it
   * is there, else the slot to put it in (the first stale one passed, else
   * the empty one that ended the probe, as `-(slot + 2)` for an empty one).
   */
  tableSlot(record: number): number {
    const fh = this.fh;
    const hi = fh[0]!;
    const lo = fh[1]!;
    const key = this.flagCode;
    const owner = record + 1;
    const incarnations = this.ctxIncarnation;
    const incarnation = incarnations[record]!;
    const records = this.expRecord;
    const mask = records.length - 1;
    let free = -1;
    let s = exposureSlot(record, hi, key) & mask;
    for (; records[s] !== 0; s = (s + 1) & mask) {
      const slotOwner = records[s]!;
      if (
        slotOwner === owner &&
        this.expHi[s] === hi &&
        this.expLo[s] === lo &&
        this.expCode[s] === key &&
        this.expIncarnation[s] === incarnation
      ) {
        return -1;
      }
      if (free < 0 && this.expIncarnation[s] !== incarnations[slotOwner - 1]) free = s;
    }
    return free >= 0 ? free : -(s + 2);
  }

  /**
   * Remembers an exposure as sent unless it already was: whether it is new
   * (the recording path's one call; it was {@link hasExposure} and then a
   * second probe). A numbered flag's exposure among a context's first
   * `INLINE` goes in its record; any other is looked up and inserted in one
   * probe of the exposure table.
   */
  noteExposure(record: number, flag: string, code: number): boolean {
    this.flagKey(flag, code);
    const inline = this.ctxInline[record]!;
    if (this.fh[1] === -1) {
      if (inline > 0 && this.hasInline(record, inline)) return false;
      // a numbered flag's exposure goes to the table only once the record's places are full
      if (inline < INLINE) {
        this.ctxExposures[record * INLINE + inline] = (this.fh[0]! << 14) | this.flagCode;
        this.ctxInline[record] = inline + 1;
        this.inlined++;
        return this.added(record);
      }
    }
    if ((this.expOccupied + 1) * 2 > this.expRecord.length) this.rebuildExposures();
    let slot = this.tableSlot(record);
    if (slot === -1) return false;
    if (slot < -1) {
      slot = -(slot + 2);
      this.expOccupied++;
    }
    this.expRecord[slot] = record + 1;
    this.expIncarnation[slot] = this.ctxIncarnation[record]!;
    this.expHi[slot] = this.fh[0]!;
    this.expLo[slot] = this.fh[1]!;
    this.expCode[slot] = this.flagCode;
    return this.added(record);
  }

  /** Counts an exposure just remembered for `record`, and evicts what is over capacity: `true`. */
  added(record: number): boolean {
    this.ctxEntries[record] = this.ctxEntries[record]! + 1;
    this.held++;
    this.evict(record);
    return true;
  }

  /**
   * A number that stands for `record` as it is now (its incarnation in the low 32 bits), for {@link holds}; −1 for a
   * record past {@link MARKED_RECORDS}, which no mark can name.
   */
  mark(record: number): number {
    return record < MARKED_RECORDS ? record * 2 ** 32 + (this.ctxIncarnation[record]! >>> 0) : -1;
  }

  /**
   * Whether the record `mark` stood for still holds what it held then: it was not forgotten since, nor the window
   * ended (which moves every record on), so every exposure noted for it then is still remembered. Marks it used, as
   * {@link context} does a context it finds. A record's incarnation comes back only after 2³² more lives.
   */
  holds(mark: number): boolean {
    const incarnation = mark >>> 0;
    const record = (mark - incarnation) / 2 ** 32;
    if (!(record < this.records) || this.ctxIncarnation[record]! >>> 0 !== incarnation) return false;
    this.ctxUsed[record] = 1;
    return true;
  }

  /** A new window: forgets everything, keeping the tables for the next. */
  clear(): void {
    if (this.records === 0 && this.expOccupied === 0) return;
    // what a mark stood for is gone: each record's next life starts with the next window
    const incarnations = this.ctxIncarnation;
    for (let r = 0; r < this.records; r++) incarnations[r] = (incarnations[r]! + 1) | 0;
    this.contextSlots.fill(0);
    this.expRecord.fill(0);
    this.expOccupied = 0;
    this.inlined = 0;
    this.records = 0;
    this.free = -1;
    this.contexts = 0;
    this.queueHead = 0;
    this.queueCount = 0;
    this.held = 0;
    this.lastId = undefined;
    this.lastRecord = NO_CONTEXT;
    this.hashedId = undefined;
    this.flagNumbers.clear();
  }

  /**
   * An exposure's key without its context: a flag numbered this window is
   * (number, -1, code); another, its text's hash and the code with bit 30
   * set (codes stay under 2¹³), so the two kinds never meet.
   */
  flagKey(flag: string, code: number): void {
    const fh = this.fh;
    let number = this.flagNumbers.get(flag);
    if (number === undefined && this.flagNumbers.size < MAX_FLAG_NUMBERS) {
      this.flagNumbers.set(flag, (number = this.flagNumbers.size));
    }
    if (number === undefined) {
      this.hash(flag, fh);
      this.flagCode = code | HASHED_FLAG;
    } else {
      fh[0] = number;
      fh[1] = -1;
      this.flagCode = code;
    }
  }

  /** Contexts can be at most one over capacity (each holds an entry, and the one being recorded is never evicted). */
  maxRecords(): number {
    return this.capacity + 1;
  }

  find(hi: number, lo: number): number {
    const slots = this.contextSlots;
    const mask = slots.length - 1;
    for (let s = hi & mask; slots[s] !== 0; s = (s + 1) & mask) {
      const record = slots[s]! - 1;
      if (this.ctxHi[record] === hi && this.ctxLo[record] === lo) return record;
    }
    return NO_CONTEXT;
  }

  /** Stores an exposure in the first empty or stale slot of its probe (it is known not to be there already). */
  insertExposure(record: number, incarnation: number, hi: number, lo: number, code: number): void {
    const records = this.expRecord;
    const mask = records.length - 1;
    let s = exposureSlot(record, hi, code) & mask;
    for (; records[s] !== 0; s = (s + 1) & mask) {
      // a stale exposure: its context was forgotten (its record's incarnation moved on)
      if (this.expIncarnation[s] !== this.ctxIncarnation[records[s]! - 1]) break;
    }
    if (records[s] === 0) this.expOccupied++;
    records[s] = record + 1;
    this.expIncarnation[s] = incarnation;
    this.expHi[s] = hi;
    this.expLo[s] = lo;
    this.expCode[s] = code;
  }

  /** Drops stale exposures, and doubles the table while the live ones would fill more than a quarter of it. */
  rebuildExposures(): void {
    const live = this.held - this.contexts - this.inlined;
    let size = this.expRecord.length;
    while ((live + 1) * 4 > size) size *= 2;
    const records = this.expRecord;
    const incarnations = this.expIncarnation;
    const his = this.expHi;
    const los = this.expLo;
    const codes = this.expCode;
    this.expRecord = new Int32Array(size);
    this.expIncarnation = new Int32Array(size);
    this.expHi = new Int32Array(size);
    this.expLo = new Int32Array(size);
    this.expCode = new Int32Array(size);
    this.expOccupied = 0;
    for (let s = 0; s < records.length; s++) {
      const owner = records[s]!;
      if (owner === 0 || incarnations[s] !== this.ctxIncarnation[owner - 1]) continue;
      this.insertExposure(owner - 1, incarnations[s]!, his[s]!, los[s]!, codes[s]!);
    }
  }

  growRecords(): void {
    const size = Math.min(this.ctxHi.length * 2, this.maxRecords());
    this.ctxHi = grown(this.ctxHi, size);
    this.ctxLo = grown(this.ctxLo, size);
    this.ctxEntries = grown(this.ctxEntries, size);
    this.ctxIncarnation = grown(this.ctxIncarnation, size);
    this.ctxNext = grown(this.ctxNext, size);
    const used = new Uint8Array(size);
    used.set(this.ctxUsed);
    this.ctxUsed = used;
    this.ctxExposures = grown(this.ctxExposures, size * INLINE);
    const inline = new Uint8Array(size);
    inline.set(this.ctxInline);
    this.ctxInline = inline;
    // the ring laid out again from its head
    const queue = new Int32Array(size);
    for (let i = 0; i < this.queueCount; i++) queue[i] = this.queue[(this.queueHead + i) % this.queue.length]!;
    this.queue = queue;
    this.queueHead = 0;
    const slots = new Int32Array(powerOfTwoAtLeast(size * 2));
    const mask = slots.length - 1;
    for (const owner of this.contextSlots) {
      if (owner === 0) continue;
      let s = this.ctxHi[owner - 1]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = owner;
    }
    this.contextSlots = slots;
  }

  enqueue(record: number): void {
    const queue = this.queue;
    let tail = this.queueHead + this.queueCount++;
    if (tail >= queue.length) tail -= queue.length;
    queue[tail] = record;
  }

  /** Forgets contexts beyond capacity, oldest first, giving used ones a second chance; never `keep` (the one being recorded). */
  evict(keep: number): void {
    const queue = this.queue;
    const used = this.ctxUsed;
    while (this.held > this.capacity && this.contexts > 1) {
      const record = queue[this.queueHead]!;
      if (++this.queueHead === queue.length) this.queueHead = 0;
      this.queueCount--;
      if (used[record] === 1 || record === keep) {
        used[record] = 0;
        this.enqueue(record);
      } else {
        this.forget(record);
      }
    }
  }

  forget(record: number): void {
    const slots = this.contextSlots;
    const mask = slots.length - 1;
    let s = this.ctxHi[record]! & mask;
    while (slots[s] !== record + 1) s = (s + 1) & mask;
    // backward-shift deletion: every record after the hole that hashes at or before it moves into it
    for (let next = (s + 1) & mask; slots[next] !== 0; next = (next + 1) & mask) {
      const home = this.ctxHi[slots[next]! - 1]! & mask;
      if (((next - home) & mask) >= ((next - s) & mask)) {
        slots[s] = slots[next]!;
        s = next;
      }
    }
    slots[s] = 0;
    this.held -= this.ctxEntries[record]!;
    this.inlined -= this.ctxInline[record]!;
    this.contexts--;
    // its exposures are stale from here on
    this.ctxIncarnation[record] = (this.ctxIncarnation[record]! + 1) | 0;
    this.ctxNext[record] = this.free;
    this.free = record;
    if (record === this.lastRecord) {
      this.lastId = undefined;
      this.lastRecord = NO_CONTEXT;
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
