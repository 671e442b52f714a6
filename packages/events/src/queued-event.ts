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
