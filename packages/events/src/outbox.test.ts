// The outbox cuts what it is handed into batches of at most `batchSize`, in order, whether it takes the array over as a
// batch (a new batch) or copies into the last unsealed one.
import { expect, it } from 'vitest';
import { Outbox } from './outbox';
import type { EventBatch } from './wire';

const numbers = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

it('cuts a queue into batches of at most batchSize, in order, filling the last unsealed batch first', () => {
  const outbox = new Outbox(500);
  outbox.add(numbers(0, 1_203));
  outbox.add(numbers(1_203, 10));
  expect(outbox.unsealed().map((b) => [b.count, b.records!.length, b.records![0], b.records!.at(-1)])).toEqual([
    [500, 500, 0, 499],
    [500, 500, 500, 999],
    [213, 213, 1_000, 1_212],
  ]);
  expect([outbox.events, outbox.batches]).toEqual([1_213, 3]);
  // a sealed last batch takes nothing more: the next queue starts a batch of its own
  for (const batch of outbox.unsealed()) outbox.seal(batch, {} as EventBatch, batch.count);
  outbox.add(numbers(2_000, 501));
  outbox.add([]);
  expect(outbox.unsealed().map((b) => b.records)).toEqual([numbers(2_000, 500), [2_500]]);
  expect([outbox.events, outbox.batches]).toEqual([1_714, 5]);
  // room in the last batch, then more than a batch behind it
  outbox.add(numbers(3_000, 1_000));
  expect(outbox.unsealed().map((b) => [b.records![0], b.records!.at(-1), b.count])).toEqual([
    [2_000, 2_499, 500],
    [2_500, 3_498, 500],
    [3_499, 3_998, 500],
    [3_999, 3_999, 1],
  ]);
  expect(outbox.events).toBe(2_714);
});
