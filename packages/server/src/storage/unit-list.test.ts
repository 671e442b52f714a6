import { expect, it } from 'vitest';
import type { ExperimentUnit } from './records';
import { ExperimentUnitList } from './unit-list';

const unit = (firstId: number, i: number): ExperimentUnit => ({
  firstId, variation: i % 3, crossed: i % 5 === 0, converted: i % 2 === 0, valueSum: i / 7, hasValue: i % 4 === 0,
});

it('iterates its units in first-id order, through growth, with first ids past the packed range too', () => {
  for (const base of [1, 2 ** 40]) {
    const units = Array.from({ length: 5000 }, (_, i) => unit(base + ((i * 7919) % 5000), i));
    const list = new ExperimentUnitList();
    for (const u of units) list.push(u);
    expect(list.length).toBe(5000);
    const sorted = [...units].sort((a, b) => a.firstId - b.firstId);
    expect([...list]).toEqual(sorted);
    list.push(unit(0, 1)); // a push after iterating re-sorts
    expect([...list][0]!.firstId).toBe(0);
  }
});
