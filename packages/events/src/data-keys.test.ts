import { afterAll, beforeAll, expect, it } from 'vitest';
import { contextIdentity } from './context-keys';
import { ContextRedactor } from './context-redactor';
import { toJson } from './json-safe';
import { SummaryCounter } from './summary-counter';
import type { Backend } from '../test/support/harness';
import { pipelineTo, startBackend } from '../test/support/harness';

/** Names that mean something to a plain object, used here as flag keys, event keys, kinds and attribute names. */
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;

/** A parsed JSON object: `__proto__` is an own member there, as it is in a datafile or a request. */
const parse = <T>(text: string): T => JSON.parse(text) as T;

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(() => backend?.close());

it('counts flags keyed like Object.prototype members in a summary without a prototype', () => {
  const summary = new SummaryCounter();
  summary.start(1);
  for (const key of KEYS) summary.count(key, 1);
  summary.count('__proto__', null);
  const event = summary.take(2)!;
  expect(Object.getPrototypeOf(event.flags)).toBe(null);
  expect(Object.keys(event.flags)).toEqual([...KEYS]);
  expect(event.flags['__proto__']).toEqual({ counters: [{ variation: 1, count: 1 }, { variation: null, count: 1 }] });
  expect(JSON.parse(JSON.stringify(event)).flags.constructor).toEqual({ counters: [{ variation: 1, count: 1 }] });
});

it('keeps kinds and attributes keyed like Object.prototype members as plain data in context keys and copies', () => {
  const multi = parse<Record<string, unknown>>('{"kind":"multi","__proto__":{"key":"p"},"constructor":{"key":"c"}}');
  const identity = contextIdentity(multi);
  if (typeof identity === 'string') throw new Error(identity);
  // nothing inherited: the prototype chain holds no Object.prototype
  expect(Object.getPrototypeOf(Object.getPrototypeOf(identity.keys))).toBe(null);
  expect('hasOwnProperty' in identity.keys).toBe(false);
  expect(Object.keys(identity.keys)).toEqual(['__proto__', 'constructor']);
  expect(identity.keys['__proto__']).toBe('p');
  const single = contextIdentity({ kind: 'user', key: 'u' });
  if (typeof single === 'string') throw new Error(single);
  expect(single.keys.constructor).toBeUndefined();

  const attributes = parse<Record<string, unknown>>('{"kind":"user","key":"u","__proto__":{"admin":true},"toString":"x","secret":1}');
  const redacted = new ContextRedactor({ privateAttributes: ['secret'] }).redact(attributes)!;
  expect(Object.keys(redacted)).toEqual(['kind', 'key', '__proto__', 'toString', '_meta']);
  expect((redacted as { admin?: unknown }).admin).toBeUndefined();
  expect(JSON.stringify(toJson(attributes))).toBe('{"kind":"user","key":"u","__proto__":{"admin":true},"toString":"x","secret":1}');
});

it('sends summaries, exposures and custom events keyed like Object.prototype members to the real server', async () => {
  const { pipeline } = pipelineTo(backend.server.url, backend.sdkKey);
  const context = parse<Record<string, unknown>>('{"kind":"user","key":"u_proto","__proto__":{"isAdmin":true},"constructor":"c"}');
  for (const key of KEYS) {
    pipeline.recordExposure({ flag: key, variation: 1, reason: 'FALLTHROUGH', inExperiment: true, context });
    pipeline.countEvaluation(key, 0);
    pipeline.recordCustom({ key, value: 1, properties: parse('{"__proto__":{"x":1},"hasOwnProperty":2}'), context });
  }
  await pipeline.close(5_000);
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, invalid: 0, sent: 2 + 2 * KEYS.length });
  const mine = (await backend.events()).filter((e) => JSON.stringify(e).includes('u_proto') || e.kind === 'summary');
  expect(mine.filter((e) => e.kind === 'exposure').map((e) => e.flag)).toEqual([...KEYS]);
  expect(mine.filter((e) => e.kind === 'custom').map((e) => [e.key, JSON.stringify(e.properties)])).toEqual(
    KEYS.map((k) => [k, '{"__proto__":{"x":1},"hasOwnProperty":2}']),
  );
  const context0 = mine.find((e) => e.kind === 'context')!;
  expect(JSON.stringify(context0.context)).toBe('{"kind":"user","key":"u_proto","__proto__":{"isAdmin":true},"constructor":"c"}');
  const summary = mine.filter((e) => e.kind === 'summary').at(-1)!;
  expect(Object.keys(summary.flags)).toEqual([...KEYS]);
  for (const key of KEYS) {
    expect(JSON.stringify(summary.flags[key])).toBe('{"counters":[{"variation":0,"count":1},{"variation":1,"count":1}]}');
  }
});
