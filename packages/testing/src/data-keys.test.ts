import { expect, it } from 'vitest';
import type { FlagDefinition } from '@avsb/core';
import { MockAvsbServer, TestData } from './index';

/** Names that mean something to a plain object, each one a flag key here. */
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;

function mock(): MockAvsbServer {
  const td = new TestData();
  for (const key of KEYS) td.update(td.flag(key).booleanFlag().variationForUser('u_1', false).fallthroughVariation(true));
  return new MockAvsbServer({ testData: td });
}

it('serves, explains and records flags keyed like Object.prototype members', () => {
  const m = mock();
  const scoped = m.forUser({ key: 'u_2' });
  for (const key of KEYS) {
    expect(scoped.getBoolFlag(key, false)).toBe(true);
    expect(scoped.getBoolFlagDetails(key, false)).toEqual({ value: true, variationIndex: 1, reason: { kind: 'FALLTHROUGH' }, inExperiment: false });
  }
  expect(m.exposures.map((e) => [e.flag, e.value])).toEqual(KEYS.flatMap((k) => [[k, true], [k, true]]));
  const all = m.allFlags({ key: 'u_1' });
  expect(Object.keys(all)).toEqual([...KEYS]);
  expect(Object.values(all)).toEqual([false, false, false, false]);
  expect(JSON.stringify(all)).toBe('{"__proto__":false,"constructor":false,"toString":false,"hasOwnProperty":false}');
  expect(m.testData.variationValue('__proto__', 1)).toBe(true);
});

it('tells apart JSON variations that differ only in a member named __proto__', () => {
  const withProto = JSON.parse('{"__proto__":{"admin":true}}') as { [key: string]: boolean };
  const flag = TestData.flag('banner').variations(withProto, {}).fallthroughVariation(withProto).build();
  expect(JSON.stringify(flag.variations)).toBe('[{"__proto__":{"admin":true}},{}]');
  expect(flag.fallthrough).toEqual({ variation: 0 });
  const m = new MockAvsbServer({ flags: [flag] });
  expect(JSON.stringify(m.forUser({ key: 'u' }).getJsonFlag('banner', null))).toBe('{"__proto__":{"admin":true}}');
});

it('keeps unknown datafile members named __proto__ as members of the flag', () => {
  const definition = JSON.parse(
    '{"key":"x","on":true,"variations":[false,true],"fallthrough":{"variation":1},"__proto__":{"polluted":true},"note":"n"}',
  ) as FlagDefinition;
  const built = TestData.flag('x').variations(false, true).build();
  const copy = new TestData({ flags: [definition] }).flag('x').build();
  expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
  expect(Object.keys(copy)).toEqual(['__proto__', 'note', ...Object.keys(built)]);
  expect(JSON.stringify(copy)).toContain('"__proto__":{"polluted":true}');
});
