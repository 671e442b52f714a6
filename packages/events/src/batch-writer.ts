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
 * copies written by one `JSON.stringify`: contextTexts) and `}`;
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
  const contexts = contextTexts(records, ring, redactor);
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
        if (contextHead === '') contextHead = [',{"kind":"context","time":', timeText, ',"context":'].join('');
        parts.push(count++ > 0 ? contextHead : contextHead.slice(1), context!, '}');
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

/** Between two contexts in the one array given to `JSON.stringify`: its text `,"",` is rare inside one. */
const SEPARATOR = '';
const SEPARATOR_TEXT = ',"",';

/**
 * The JSON of each context event's `context` among `records`, in order
 * (`undefined` for one that cannot be represented). V8's `JSON.stringify`
 * costs ≈ 60–120 ns a call besides its members, so the batch's copies
 * are written by one call, as an array with an empty string between each
 * two, and cut apart at `,"",`. Inside a context's text `,"` can only start
 * a member's name (followed by `:`, not `,`: a quote inside a string is
 * escaped) or an array's item, so `,"",` occurs there only in an array that
 * holds an empty string after another item (never in a flat context, as most
 * are); then there are more pieces than contexts, and each is written alone.
 * Each text is the one `JSON.stringify` gives the copy alone; the redactor's
 * copies are made here, when the batch is sealed, as before.
 */
function contextTexts(records: readonly QueuedEvent[], ring: EventRing, redactor: ContextRedactor): (string | undefined)[] {
  const { subjects, tails } = ring;
  const texts: (string | undefined)[] = [];
  const copies: unknown[] = [];
  // where each copy's text goes in `texts`
  const at: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (typeof record !== 'number' || tails[record] !== null) continue;
    const copy = redacted(subjects[record] as Record<string, unknown>, redactor);
    if (copy !== undefined) {
      if (copies.length > 0) copies.push(SEPARATOR);
      copies.push(copy);
      at.push(texts.length);
    }
    texts.push(undefined);
  }
  if (at.length === 0) return texts;
  const pieces = at.length === 1 ? [] : JSON.stringify(copies).slice(1, -1).split(SEPARATOR_TEXT);
  // one copy, an empty string in a context's array, or an array that did not come out as the copies' texts (an
  // `Object.prototype.toJSON`): each alone
  const whole = pieces.length === at.length;
  for (let i = 0; i < at.length; i++) texts[at[i]!] = whole ? pieces[i] : JSON.stringify(copies[2 * i]);
  return texts;
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
