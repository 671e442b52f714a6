import { batchBody, rememberBody } from './batch-body';
import type { ContextRedactor } from './context-redactor';
import type { EventRing } from './event-ring';
import { pushKeysText } from './keys-text';
import type { QueuedEvent } from './queued-event';
import { toWireEvent } from './queued-event';
import type { EventBatch, JsonObject, SdkInfo, WireEvent } from './wire';

/** A redactor that can write a context straight into a batch's pieces (WholeContextRedactor, a server's). */
interface WholeWriter {
  readonly pushWhole?: (parts: string[], context: Record<string, unknown>) => boolean;
}

/** A batch sealed by {@link writeBatch}: its wire form, and the events it holds. */
export interface WrittenBatch {
  readonly wire: EventBatch;
  /** Events written (those that could be represented). */
  readonly count: number;
}

/**
 * Writes a batch's JSON body in one pass over its records, byte for byte
 * what `JSON.stringify` of the batch object gives. Exposures and context
 * events are slots of `ring` (a record that is a number); the slots are
 * read here and freed by the caller. An exposure is three
 * pieces that mostly exist already: the head with its separator and its
 * time (made once per millisecond) joined to `,"contextKeys":{"<kind>":"`
 * (remade when the head or the kind changes), the key itself and its
 * tail's text (kept per flag and variation: exposure-tails.ts); a key that
 * needs escaping, or several kinds, by `JSON.stringify` of the keys
 * (keys-text.ts). A context event is its head (likewise) and then, for a
 * server's flat context with nothing private, the context's own strings
 * between pieces kept per member place (the redactor's `pushWhole`,
 * flat-context-text.ts: no copy, no text per event); for any other, three
 * pieces filled after the loop with the JSON of the redactor's copy (the
 * batch's copies written by one `JSON.stringify`: contextTexts);
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
  const pushWhole = (redactor as WholeWriter).pushWhole;
  // the redactor's copies of the contexts not written whole, and where their three pieces go (written after the loop)
  const copies: JsonObject[] = [];
  const slots: number[] = [];
  let count = 0;
  let lastTime = NaN;
  let timeText = '';
  let exposureHead = '';
  let contextHead = '';
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (typeof record === 'number') {
      const tail = tails[record]!;
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
        continue;
      }
      if (contextHead === '') contextHead = [',{"kind":"context","time":', timeText, ',"context":'].join('');
      const at = parts.length;
      parts.push(count > 0 ? contextHead : contextHead.slice(1));
      const context = subjects[record] as Record<string, unknown>;
      if (pushWhole === undefined || !pushWhole(parts, context)) {
        const copy = redacted(context, redactor);
        if (copy === undefined) {
          parts.length = at;
          onDropped();
          continue;
        }
        copies.push(copy);
        slots.push(parts.length);
        parts.push('', '', '');
      }
      count++;
      continue;
    }
    if (count++ > 0) parts.push(',');
    parts.push(JSON.stringify(toWireEvent(record)));
  }
  if (copies.length > 0) {
    const { texts, braced } = contextTexts(copies);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const text = texts[i];
      if (text === undefined) {
        // only an Object.prototype.toJSON that answers undefined: the event is left out, as it was before it had a place
        leaveOut(parts, slot - 1, slot + 3);
        count--;
        onDropped();
        continue;
      }
      if (!braced) parts[slot] = '{';
      parts[slot + 1] = text;
      parts[slot + 2] = braced ? '}' : '}}';
    }
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

/** The texts of the redactor's copies (see contextTexts). */
interface ContextTexts {
  /** Each copy's text, in order. */
  readonly texts: (string | undefined)[];
  /** Whether each text is a whole object; `false`: its members only, without the braces. */
  readonly braced: boolean;
}

/**
 * The JSON of each of a batch's copies of contexts that were not written
 * whole (flat-context-text.ts: a server's flat contexts with nothing
 * private are), in order.
 * V8's `JSON.stringify` costs ≈ 60–120 ns a call besides its members, so the
 * copies are written by one call, as an array, and cut apart where
 * one ends and the next begins, at `},{`, which leaves each text without its
 * braces. Every such place is
 * one, and the only others are inside a context (a string holding `},{`,
 * an array of objects); the text cannot overlap itself, so any other place
 * makes more pieces than contexts, and each copy is then written alone,
 * whole. (The array held an empty string between each two copies, cut at
 * `,"",`, until the sixteenth session: ≈ 70 ns a context more, the empty
 * strings' share of `JSON.stringify` and a longer text to search.) Each text
 * is the one `JSON.stringify` gives the copy alone.
 */
function contextTexts(copies: readonly JsonObject[]): ContextTexts {
  if (copies.length > 1) {
    // an Object.prototype.toJSON could make the array's text anything: the count decides, and the text must be an
    // array of objects to be cut
    const all = JSON.stringify(copies);
    const pieces = all.startsWith('[{') && all.endsWith('}]') ? all.slice(2, -2).split(BETWEEN) : [];
    if (pieces.length === copies.length) return { texts: pieces, braced: false };
  }
  return { texts: copies.map((copy) => JSON.stringify(copy) as string | undefined), braced: true };
}

/**
 * Empties the pieces `from` up to `to` (an event whose text turned out to be
 * none); when they held the batch's first event (its head has no `,`), the
 * next event becomes the first: every later event's head starts with `,`.
 */
function leaveOut(parts: string[], from: number, to: number): void {
  const first = !parts[from]!.startsWith(',');
  for (let i = from; i < to; i++) parts[i] = '';
  if (!first) return;
  for (let i = to; i < parts.length; i++) {
    if (parts[i] === '') continue;
    parts[i] = parts[i]!.slice(1);
    return;
  }
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
