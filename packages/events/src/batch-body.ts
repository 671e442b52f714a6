import type { EventBatch } from './wire';

/** The protocol's limit on one batch's body (`@avsb/protocol`). */
export { MAX_BATCH_BYTES } from '@avsb/protocol';

const bodies = new WeakMap<EventBatch, string>();

/**
 * The JSON body of a batch, serialised once per batch object: the pipeline
 * measures it before sending, transports send it, and every retry reuses it.
 * Custom transports should send this string too.
 */
export function batchBody(batch: EventBatch): string {
  let body = bodies.get(batch);
  if (body === undefined) {
    body = JSON.stringify(batch);
    bodies.set(batch, body);
  }
  return body;
}

/** Gives a batch the body it was written with (batch-writer.ts): `batchBody` returns it instead of serialising the batch. */
export function rememberBody(batch: EventBatch, body: string): void {
  bodies.set(batch, body);
}

/** The UTF-8 length of a string (without encoding it); a lone surrogate counts as the 3 bytes of U+FFFD, as encoders send it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      // a unit past U+07FF is 3 bytes; a surrogate pair, 2 units, is 4: its first unit counts 2 more, its second none
      bytes += code > 0x7ff ? 2 : 1;
      if (code >> 10 === 0x36 && text.charCodeAt(i + 1) >> 10 === 0x37) i++;
    }
  }
  return bytes;
}
