import type { EventBatch } from './wire';

/**
 * A batch too large for the server (a 413, or over 1 MiB before sending) as
 * two halves with ids derived from its own, `<id>a` and `<id>b` (a random id
 * where that would pass the protocol's 64 characters): each half is stored
 * at most once, and the parent id never was (README, "Delivery guarantees").
 */
export function splitBatch(batch: EventBatch, randomId: () => string): EventBatch[] {
  const middle = Math.ceil(batch.events.length / 2);
  return [batch.events.slice(0, middle), batch.events.slice(middle)].map((events, half) => {
    const id = `${batch.batchId}${half === 0 ? 'a' : 'b'}`;
    return { batchId: id.length <= 64 ? id : randomId(), sdk: batch.sdk, events };
  });
}
