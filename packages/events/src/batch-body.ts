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

/** The UTF-8 length of a string (without encoding it). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // a pair: 2 UTF-16 units, 4 bytes
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}
