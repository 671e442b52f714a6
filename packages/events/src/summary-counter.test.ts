import { expect, it } from 'vitest';
import { IndexedSummaryCounter } from './indexed-summary-counter';
import { SummaryCounter } from './summary-counter';

/** Exposes the counts a window holds, to check their arrays have no holes. */
class OpenCounter extends IndexedSummaryCounter {
  countsOf(flag: string): number[] | undefined {
    return this._flags.get(flag)?.byVariation;
  }
}

it('sends only the variations served, in index order, with the defaults last, by key and by index alike', () => {
  const byKey = new SummaryCounter();
  const byIndex = new OpenCounter();
  byKey.start(10);
  byIndex.start(10);
  const reads: [string, number | null][] = [['f', 3], ['f', 0], ['f', 3], ['f', null], ['g', 1]];
  for (const [flag, variation] of reads) {
    byKey.count(flag, variation);
    if (!byIndex.countAt(flag, flag === 'f' ? 0 : 1, variation)) byIndex.countAndKeep(flag, flag === 'f' ? 0 : 1, variation);
  }
  const expected = {
    f: { counters: [{ variation: 0, count: 1 }, { variation: 3, count: 2 }, { variation: null, count: 1 }] },
    g: { counters: [{ variation: 1, count: 1 }] },
  };
  expect(byKey.take(20)?.flags).toEqual(expected);
  // variations 1 and 2 of f were never served: zeros that are not sent, not holes
  const f = byIndex.countsOf('f')!;
  expect(f).toEqual([1, 0, 0, 2]);
  expect(Object.keys(f)).toHaveLength(f.length);
  expect(byIndex.take(20)?.flags).toEqual(expected);
});

it('clears a server window whole: its counts and the slots that point at them', () => {
  const counter = new OpenCounter();
  counter.start(10);
  counter.countAndKeep('f', 0, 1);
  expect(counter.countAt('f', 0, 1)).toBe(true);
  counter.clear();
  expect(counter.isEmpty).toBe(true);
  // a slot left pointing at the cleared counts would count this read where take() no longer looks
  expect(counter.countAt('f', 0, 1)).toBe(false);
  expect(counter.take(20)).toBeUndefined();
  counter.start(30);
  counter.count('f', 1);
  expect(counter.take(40)?.flags).toEqual({ f: { counters: [{ variation: 1, count: 1 }] } });
});

it('counts window after window by index: a slot of an ended window counts nothing until its flag is counted again', () => {
  const counter = new OpenCounter();
  for (let window = 0; window < 3; window++) {
    counter.start(window * 10);
    // a window's first read of each flag misses its slot (emptied when the last window ended) and fills it
    expect(counter.countAt('f', 2, 0)).toBe(false);
    expect(counter.countAt('', 0, 0)).toBe(false);
    counter.countAndKeep('f', 2, 0);
    expect(counter.countAt('f', 2, 1)).toBe(true);
    expect(counter.countAt('g', 2, 1)).toBe(false);
    // an index past every slot kept so far
    expect(counter.countAt('f', 9, 1)).toBe(false);
    expect(counter.take(window * 10 + 5)).toEqual({
      kind: 'summary',
      startTime: window * 10,
      endTime: window * 10 + 5,
      flags: { f: { counters: [{ variation: 0, count: 1 }, { variation: 1, count: 1 }] } },
    });
  }
});

it('sends a start time of 0, as before, for a window counted without start()', () => {
  const counter = new SummaryCounter();
  counter.count('f', null);
  const summary = counter.take(5)!;
  expect(JSON.stringify(summary.startTime)).toBe('0');
  expect(summary.endTime).toBe(5);
});
