import { MAX_BATCH_BYTES, batchBody, utf8Length } from './batch-body';
import { DeliveryBase } from './delivery-base';
import type { Outcome } from './delivery-base';
import type { OutboxBatch } from './outbox';

/**
 * {@link DeliveryBase} for batches that may be large (a server's, up to
 * `batchSize` events of any size): a 413 splits a batch in two halves, and a
 * body over the protocol's 1 MiB is split before it is sent.
 */
export class Delivery extends DeliveryBase {
  protected override _beforeSend(batch: OutboxBatch): Outcome | null {
    // over the protocol's 1 MiB: split before sending (a server may cut a huge upload short instead of answering 413)
    const body = batchBody(batch.wire!);
    // a UTF-16 unit is at most 3 UTF-8 bytes: most batches are measured without walking the string
    if (body.length * 3 <= MAX_BATCH_BYTES || utf8Length(body) <= MAX_BATCH_BYTES) return null;
    if (batch.count > 1) return this._tooLarge(batch, '');
    this._give(batch, `a single event larger than ${MAX_BATCH_BYTES} bytes`, 'could not send');
    return 'next';
  }

  protected override _keyAdvice(): string {
    return 'Check the SDK key (a server key, srv-…, of the right environment).';
  }

  /** Too large (413, or over 1 MiB): the same events in two halves, with ids derived from the batch's (README, "Delivery guarantees"). */
  protected override _tooLarge(batch: OutboxBatch, _why: string): Outcome {
    this._platform.logger.debug(`a batch of ${batch.count} events is too large; sending it in two halves`);
    const wire = batch.wire!;
    const middle = Math.ceil(wire.events.length / 2);
    const halves = [wire.events.slice(0, middle), wire.events.slice(middle)].map((events, half): OutboxBatch => {
      const id = `${wire.batchId}${half === 0 ? 'a' : 'b'}`;
      const batchId = id.length <= 64 ? id : this._platform.randomId();
      return { records: null, wire: { batchId, sdk: wire.sdk, events }, count: events.length, errorAttempts: 0 };
    });
    this._outbox.replace(batch, halves);
    return 'next';
  }
}
