import { expect, it } from 'vitest';
import { ExposureTails } from './exposure-tails';

const json = (flag: string, variation: number | null, inExperiment: boolean, reason?: string, revision?: number) =>
  JSON.stringify({ x: 0, flag, variation, inExperiment, reason, revision }).replace('{"x":0', '');

it('gives each combination of flag, variation, in-experiment, reason and revision its own text, and the same object again', () => {
  const tails = new ExposureTails();
  const a = tails.get('checkout', 1, true, 'RULE_MATCH', 3);
  expect(a.text).toBe(json('checkout', 1, true, 'RULE_MATCH', 3));
  expect(tails.get('checkout', 1, true, 'RULE_MATCH', 3)).toBe(a);
  const others: [string, number | null, boolean, string | undefined, number | undefined][] = [
    ['checkout', 0, true, 'RULE_MATCH', 3],
    ['checkout', null, true, 'RULE_MATCH', 3],
    ['checkout', 1, false, 'RULE_MATCH', 3],
    ['checkout', 1, true, 'FALLTHROUGH', 3],
    ['checkout', 1, true, undefined, 3],
    ['checkout', 1, true, 'RULE_MATCH', 4],
    ['checkout', 1, true, 'RULE_MATCH', undefined],
    ['checkout-2', 1, true, 'RULE_MATCH', 3],
  ];
  for (const args of others) {
    const other = tails.get(...args);
    expect(other).not.toBe(a);
    expect(other.text).toBe(json(...args));
  }
  expect(tails.get('"quoted"\n😀\ud800', 0, true).text).toBe(json('"quoted"\n😀\ud800', 0, true));
});

it('stays bounded: a flag keeps its 16 latest combinations, the cache its 4,096 latest flags, a long reason is not kept', () => {
  const tails = new ExposureTails();
  const first = tails.get('f', 0, true, 'R', 0);
  for (let revision = 1; revision <= 16; revision++) tails.get('f', 0, true, 'R', revision);
  // the oldest made room: written again, the same text
  const again = tails.get('f', 0, true, 'R', 0);
  expect(again).not.toBe(first);
  expect(again.text).toBe(first.text);
  const kept = tails.get('g', 0, true);
  for (let i = 0; i < 4_096; i++) tails.get(`flag-${i}`, 0, true);
  expect(tails.get('g', 0, true)).not.toBe(kept);
  const reason = 'R'.repeat(65);
  const long = tails.get('h', 0, true, reason);
  expect(long.text).toBe(json('h', 0, true, reason));
  expect(tails.get('h', 0, true, reason)).not.toBe(long);
});
