import { MAX_BATCH_BYTES, batchBody, utf8Length } from './batch-body';
import { DeliveryBase } from './delivery-base';
import type { Outcome } from './delivery-base';
import type { OutboxBatch } from './outbox';

/**
 * {@link DeliveryBase} for batches that may be large (a server's, up to
 * `batchSize` events of any size): a body over the protocol's 1 MiB is split
 * before it is sent, instead of waiting for the server's 413.
 */
export class Delivery extends DeliveryBase {
  protected override _beforeSend(batch: OutboxBatch): Outcome | null {
    // over the protocol's 1 MiB: split before sending (a server may cut a huge upload short instead of answering 413)
    const body = batchBody(batch.wire!);
    // a UTF-16 unit is at most 3 UTF-8 bytes: most batches are measured without walking the string
    if (body.length * 3 <= MAX_BATCH_BYTES || utf8Length(body) <= MAX_BATCH_BYTES) return null;
    if (batch.count > 1) return this._split(batch);
    this._give(batch, `a single event larger than ${MAX_BATCH_BYTES} bytes`, 'could not send');
    return 'next';
  }

  protected override _keyAdvice(): string {
    return 'Check the SDK key (a server key, srv-…, of the right environment).';
  }
}
