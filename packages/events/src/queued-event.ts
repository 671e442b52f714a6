import type { ExposureTail } from './exposure-tails';
import { toJsonObject } from './json-safe';
import type { ContextKeys, CustomEvent, SummaryEvent, WireEvent } from './wire';

/**
 * An exposure as recorded: its time, its context's kinds and keys (the
 * validation's, shared by every event of the context; not the context
 * itself, which an exposure need not keep alive) and the JSON text of the
 * rest, shared by every exposure of the same flag, variation, reason and
 * revision: the batch's text is written from them at seal, with no event
 * object in between.
 */
export class PendingExposure {
  readonly kind = 'exposure';
  constructor(
    readonly time: number,
    /** The context's kinds (one for a single-kind context); any other array has its keys written by `JSON.stringify`. */
    readonly kinds: readonly string[],
    readonly keys: ContextKeys,
    readonly tail: ExposureTail,
  ) {}
}

/** A custom event as recorded: `properties` is the application's object, copied only when sent. */
export interface PendingCustom {
  readonly kind: 'custom';
  readonly time: number;
  readonly contextKeys: ContextKeys;
  readonly key: string;
  readonly value: number | undefined;
  readonly properties: unknown;
}

/** A context event as recorded: `context` is the application's object, redacted only when sent. */
export interface PendingContext {
  readonly kind: 'context';
  readonly time: number;
  readonly context: Record<string, unknown>;
}

/**
 * An event in memory. Exposures are text already (above); summaries are
 * built from primitives and are in wire form; custom and context events
 * hold references and are turned into JSON once, when their batch is first
 * sent.
 */
export type QueuedEvent = PendingExposure | SummaryEvent | PendingCustom | PendingContext;

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
