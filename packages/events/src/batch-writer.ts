import { batchBody, rememberBody } from './batch-body';
import type { ContextRedactor } from './context-redactor';
import type { EventRing } from './event-ring';
import { pushKeysText } from './keys-text';
import type { QueuedEvent } from './queued-event';
import { toWireEvent } from './queued-event';
import type { EventBatch, JsonObject, SdkInfo, WireEvent } from './wire';

/** A batch sealed by {@link writeBatch}: its wire form, and the events it holds. */
export interface WrittenBatch {
  readonly wire: EventBatch;
  /** Events written (those that could be represented). */
  readonly count: number;
}

/**
 * Writes a batch's JSON body in one pass over its records (and one over
 * its context events before), byte for byte
 * what `JSON.stringify` of the batch object gives. Exposures and context
 * events are slots of `ring` (a record that is a number); the slots are
 * read here and freed by the caller. An exposure is three
 * pieces that mostly exist already: the head with its separator and its
 * time (made once per millisecond) joined to `,"contextKeys":{"<kind>":"`
 * (remade when the head or the kind changes), the key itself and its
 * tail's text (kept per flag and variation: exposure-tails.ts); a key that
 * needs escaping, or several kinds, by `JSON.stringify` of the keys
 * (keys-text.ts). A context event is
 * its head (likewise), the JSON of the redactor's copy (the batch's
 * copies written by one `JSON.stringify`: contextTexts) and `}`, or, when
 * the texts came without their braces, the head with `{`, the members and `}}`;
 * custom events and summaries are their wire form, by `JSON.stringify`. The pieces are joined once into one flat string (a text
 * per event, concatenated, was slower than `JSON.stringify`: each cons
 * string is flattened on its own). Unrepresentable events are left out and
 * counted by `onDropped`. The batch's `events` are parsed back from the
 * body when something reads them (a custom transport, a split): the same
 * bytes.
 */
export function writeBatch(
  records: readonly QueuedEvent[],
  batchId: string,
  sdk: SdkInfo,
  redactor: ContextRedactor,
  ring: EventRing,
  onDropped: () => void,
): WrittenBatch {
  const parts = ['{"batchId":', JSON.stringify(batchId), ',"sdk":', JSON.stringify(sdk), ',"events":['];
  const { times, subjects, keys, tails } = ring;
  const { texts: contexts, braced } = contextTexts(records, ring, redactor);
  const contextOpen = braced ? ',"context":' : ',"context":{';
  const contextClose = braced ? '}' : '}}';
  let nextContext = 0;
  let count = 0;
  let lastTime = NaN;
  let timeText = '';
  let exposureHead = '';
  let contextHead = '';
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (typeof record === 'number') {
      const tail = tails[record]!;
      const context = tail === null ? contexts[nextContext++] : null;
      if (context === undefined) {
        onDropped();
        continue;
      }
      // events of a batch mostly share a few milliseconds: each kind's head with its time is made once per
      // millisecond, one piece instead of two for `join` to copy
      const time = times[record]!;
      if (time !== lastTime) {
        timeText = numberText((lastTime = time));
        exposureHead = contextHead = '';
      }
      // as few pieces as can be: the separator goes with the head (the first event's without it), the head with a single kind's
      // `contextKeys` up to its key, the key's end with the tail
      if (tail !== null) {
        if (exposureHead === '') exposureHead = [',{"kind":"exposure","time":', timeText].join('');
        const head = count++ > 0 ? exposureHead : exposureHead.slice(1);
        const written = pushKeysText(parts, head, subjects[record] as readonly string[], keys[record]!);
        parts.push(written === 'plain' ? tail.afterPlainKey : tail.text);
      } else {
        if (contextHead === '') contextHead = [',{"kind":"context","time":', timeText, contextOpen].join('');
        parts.push(count++ > 0 ? contextHead : contextHead.slice(1), context!, contextClose);
      }
      continue;
    }
    if (count++ > 0) parts.push(',');
    parts.push(JSON.stringify(toWireEvent(record)));
  }
  parts.push(']}');
  const body = parts.join('');
  return { wire: parsedLazily(batchId, sdk, body), count };
}

/** The ring slot of the last exposure or context event among `records`, or −1 when there is none. */
export function lastSlot(records: readonly QueuedEvent[]): number {
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i]!;
    if (typeof record === 'number') return record;
  }
  return -1;
}

/** Where two contexts' texts meet in `JSON.stringify` of an array of them: `},{`. */
const BETWEEN = '},{';

/** The texts of a batch's context events (see contextTexts). */
interface ContextTexts {
  /** Each context event's text, in order (`undefined` for one that cannot be represented). */
  readonly texts: (string | undefined)[];
  /** Whether each text is a whole object; `false`: its members only, without the braces. */
  readonly braced: boolean;
}

/**
 * The JSON of each context event's `context` among `records`, in order.
 * V8's `JSON.stringify` costs ≈ 60–120 ns a call besides its members, so the
 * batch's copies are written by one call, as an array, and cut apart where
 * one ends and the next begins, at `},{`, which leaves each text without its
 * braces (the batch's context heads then end with `{`). Every such place is
 * one, and the only others are inside a context (a string holding `},{`,
 * an array of objects); the text cannot overlap itself, so any other place
 * makes more pieces than contexts, and each copy is then written alone,
 * whole. (The array held an empty string between each two copies, cut at
 * `,"",`, until the sixteenth session: ≈ 70 ns a context more, the empty
 * strings' share of `JSON.stringify` and a longer text to search.) Each text
 * is the one `JSON.stringify` gives the copy alone; the redactor's copies
 * are made here, when the batch is sealed, as before.
 */
function contextTexts(records: readonly QueuedEvent[], ring: EventRing, redactor: ContextRedactor): ContextTexts {
  const { subjects, tails } = ring;
  const texts: (string | undefined)[] = [];
  const copies: JsonObject[] = [];
  // where each copy's text goes in `texts`
  const at: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (typeof record !== 'number' || tails[record] !== null) continue;
    const copy = redacted(subjects[record] as Record<string, unknown>, redactor);
    if (copy !== undefined) {
      copies.push(copy);
      at.push(texts.length);
    }
    texts.push(undefined);
  }
  if (copies.length > 1) {
    // an Object.prototype.toJSON could make the array's text anything: the count decides, and the text must be an
    // array of objects to be cut
    const all = JSON.stringify(copies);
    const pieces = all.startsWith('[{') && all.endsWith('}]') ? all.slice(2, -2).split(BETWEEN) : [];
    if (pieces.length === copies.length) {
      for (let i = 0; i < at.length; i++) texts[at[i]!] = pieces[i];
      return { texts, braced: false };
    }
  }
  for (let i = 0; i < at.length; i++) texts[at[i]!] = JSON.stringify(copies[i]);
  return { texts, braced: true };
}

/** The redactor's copy of a context event's `context`, or `undefined` when it cannot be represented. */
function redacted(context: Record<string, unknown>, redactor: ContextRedactor): JsonObject | undefined {
  try {
    return redactor.redact(context);
  } catch {
    return undefined; // the application changed the context into something else since
  }
}

/** A number as `JSON.stringify` writes it (`null` for a non-finite one). */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** A batch whose `events` are parsed from its body when first read; `batchBody` gives the body as written. */
function parsedLazily(batchId: string, sdk: SdkInfo, body: string): EventBatch {
  const batch = { batchId, sdk } as { batchId: string; sdk: SdkInfo; events: readonly WireEvent[] };
  // an own enumerable accessor, so that `JSON.stringify(batch)` and spreading it see `events` as a member; one getter
  // for every batch: a closure per batch in an object literal gave each batch its own hidden class, which kept the
  // batch and its body alive until a full collection (4× the bytes promoted to the old generation)
  Object.defineProperty(batch, 'events', EVENTS);
  rememberBody(batch, body);
  return batch;
}

const parsedEvents = new WeakMap<object, readonly WireEvent[]>();

const EVENTS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: EventBatch): readonly WireEvent[] {
    let events = parsedEvents.get(this);
    if (events === undefined) {
      events = (JSON.parse(batchBody(this)) as { events: WireEvent[] }).events;
      parsedEvents.set(this, events);
    }
    return events;
  },
};
