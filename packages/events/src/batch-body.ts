import { PipelineExposure, exposureJson } from './exposure-json';
import type { EventBatch, SdkInfo, WireEvent } from './wire';

/** The protocol's limit on one batch's body (`@avsb/protocol`). */
export { MAX_BATCH_BYTES } from '@avsb/protocol';

const bodies = new WeakMap<EventBatch, string>();

/**
 * A batch as the pipeline seals it: `JSON.stringify` of it is its JSON, and
 * {@link batchBody} writes that text event by event, each pipeline exposure
 * by {@link exposureJson} (other batches are `JSON.stringify`'d whole).
 */
export class SealedBatch implements EventBatch {
  readonly batchId: string;
  readonly sdk: SdkInfo;
  readonly events: readonly WireEvent[];

  constructor(batchId: string, sdk: SdkInfo, events: readonly WireEvent[]) {
    this.batchId = batchId;
    this.sdk = sdk;
    this.events = events;
  }
}

function sealedJson(batch: SealedBatch): string {
  let json = `{"batchId":${JSON.stringify(batch.batchId)},"sdk":${JSON.stringify(batch.sdk)},"events":[`;
  const { events } = batch;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (i > 0) json += ',';
    json += event instanceof PipelineExposure ? exposureJson(event) : JSON.stringify(event);
  }
  return `${json}]}`;
}

/**
 * The JSON body of a batch, serialised once per batch object: the pipeline
 * measures it before sending, transports send it, and every retry reuses it.
 * Custom transports should send this string too.
 */
export function batchBody(batch: EventBatch): string {
  let body = bodies.get(batch);
  if (body === undefined) {
    body = batch instanceof SealedBatch ? sealedJson(batch) : JSON.stringify(batch);
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
