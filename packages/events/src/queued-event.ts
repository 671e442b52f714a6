import { toJsonObject } from './json-safe';
import type { ContextKeys, CustomEvent, SummaryEvent, WireEvent } from './wire';

/** A custom event as recorded: `properties` is the application's object, copied only when sent. */
export interface PendingCustom {
  readonly kind: 'custom';
  readonly time: number;
  readonly contextKeys: ContextKeys;
  readonly key: string;
  readonly value: number | undefined;
  readonly properties: unknown;
}

/**
 * An event in memory. Exposures and context events are a slot of the
 * pipeline's ring (event-ring.ts: numbers and references, no object per
 * event), written as text when their batch is sealed; summaries are built
 * from primitives and are in wire form; custom events hold references and
 * are turned into JSON once, when their batch is first sent.
 */
export type QueuedEvent = number | SummaryEvent | PendingCustom;

/** Any object: what {@link newQueue} makes its array from. */
const AN_OBJECT: readonly QueuedEvent[] = [{ kind: 'custom', time: 0, contextKeys: {}, key: '', value: undefined, properties: undefined }];

/**
 * A new, empty queue whose array already holds objects as well as numbers.
 * A queue of `[]` starts with small integers only (a slot of the ring) and
 * changes its elements kind, so its map, when a summary or custom event
 * joins it or the batch it became; V8 remembers that per allocation site,
 * and only for an array still young when it changed, so a pipeline's queue
 * met a second map at an unforeseeable flush (a wrong-map deoptimisation of
 * `recordExposure` and the helpers it inlines). Made here, every queue of
 * every pipeline has the one map from the start.
 */
export function newQueue(): QueuedEvent[] {
  return AN_OBJECT.slice(1);
}

/**
 * The wire form of a summary or custom event (exposures and context events
 * are written as text: batch-writer.ts); a custom event whose properties
 * cannot be represented is sent without them.
 */
export function toWireEvent(event: SummaryEvent | PendingCustom): WireEvent {
  switch (event.kind) {
    case 'summary':
      return event;
    case 'custom': {
      const out: { -readonly [K in keyof CustomEvent]: CustomEvent[K] } = {
        kind: 'custom',
        time: event.time,
        contextKeys: event.contextKeys,
        key: event.key,
      };
      if (event.value !== undefined) out.value = event.value;
      if (event.properties !== undefined && event.properties !== null) {
        const properties = toJsonObject(event.properties);
        if (properties !== undefined) out.properties = properties;
      }
      return out;
    }
  }
}
