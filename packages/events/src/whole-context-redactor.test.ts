import { expect, it } from 'vitest';
import { ContextRedactor } from './context-redactor';
import { WholeContextRedactor } from './whole-context-redactor';

// The server pipeline's redactor copies a context with nothing private in
// one walk; the general path (a page's) makes a shallow copy, then a JSON
// copy, then removes. Both must send the same JSON, or the same refusal.
const general = new ContextRedactor();
const direct = new WholeContextRedactor();

function sentBy(redactor: ContextRedactor, context: Record<string, unknown>): string {
  try {
    return JSON.stringify(redactor.redact(context)) ?? 'undefined';
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

function cyclic(): Record<string, unknown> {
  const context: Record<string, unknown> = { kind: 'user', key: 'u1', tags: ['a'] };
  context.self = context;
  (context.tags as unknown[]).push(context);
  return context;
}

function throwingGetter(): Record<string, unknown> {
  const context: Record<string, unknown> = { kind: 'user', key: 'u1' };
  Object.defineProperty(context, 'plan', { enumerable: true, get: () => { throw new Error('no plan'); } });
  return context;
}

function deep(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) node = { next: node };
  return { kind: 'user', key: 'u1', node };
}

const cases: [string, () => Record<string, unknown>][] = [
  ['a flat context', () => ({ kind: 'user', key: 'u1', email: 'a@example.com', age: 40, beta: true, score: Number.NaN, gone: undefined })],
  ['nested values and arrays', () => ({ key: 'u1', address: { city: 'Oslo', geo: [59.9, 10.7, undefined] }, when: new Date(0) })],
  ['an own __proto__ member', () => JSON.parse('{"kind":"user","key":"u1","__proto__":{"x":1}}') as Record<string, unknown>],
  ['a cycle back to the context itself', cyclic],
  ['a getter that throws', throwingGetter],
  ['values 70 levels deep', () => deep(70)],
  ['an own toJSON', () => ({ kind: 'user', key: 'u1', toJSON: () => ({ replaced: true }) })],
  ['a class instance', () => new (class { kind = 'user'; key = 'u1'; toJSON() { return { kind: 'user', key: 'swapped' }; } })() as unknown as Record<string, unknown>],
  ['a multi-context', () => ({ kind: 'multi', user: { key: 'u1', email: 'a@example.com' }, org: { key: 'o1', seats: 10 } })],
  ['a multi-context whose part repeats its kind', () => ({ kind: 'multi', user: { kind: 'user', key: 'u1' } })],
  ['a flat context with an own __proto__ member', () => JSON.parse('{"kind":"user","key":"u1","__proto__":"x","n":1}') as Record<string, unknown>],
  ['a flat context with an infinite number', () => ({ kind: 'user', key: 'u1', score: Number.POSITIVE_INFINITY, plan: 'pro' })],
  ['a flat context with a function member', () => ({ kind: 'user', key: 'u1', plan: 'pro', f: () => 1 })],
  ['a flat context with a bigint', () => ({ kind: 'user', key: 'u1', n: BigInt(1) })],
  ['a flat context whose text is past the walk\'s budget', () => ({ kind: 'user', key: 'u1', a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) })],
  ['a flat multi-context', () => ({ kind: 'multi', user: { key: 'u1', plan: 'pro' }, org: { key: 'o1', seats: 10, paid: true } })],
  ['an empty _meta', () => ({ kind: 'user', key: 'u1', _meta: {} })],
  ['a _meta member left undefined', () => ({ kind: 'user', key: 'u1', _meta: undefined })],
];

for (const [name, make] of cases) {
  it(`a context with nothing private is sent as the general path sends it: ${name}`, () => {
    expect(sentBy(direct, make())).toBe(sentBy(general, make()));
  });
}

it('the one-walk path still copies: changing the context afterwards changes nothing sent', () => {
  const context = { kind: 'user', key: 'u1', address: { city: 'Oslo' } };
  const sent = direct.redact(context)!;
  context.address.city = 'Bergen';
  expect(sent).toEqual({ kind: 'user', key: 'u1', address: { city: 'Oslo' } });
});

it('with private attributes configured it removes them as the general path does', () => {
  const options = { privateAttributes: ['email', '/address/city'] };
  const context = { kind: 'user', key: 'u1', email: 'a@example.com', address: { city: 'Oslo', zip: '0150' } };
  expect(new WholeContextRedactor(options).redact(context)).toEqual(new ContextRedactor(options).redact(context));
  expect(new WholeContextRedactor(options).redact(context)).toEqual({ kind: 'user', key: 'u1', address: { zip: '0150' }, _meta: { redactedAttributes: ['email', '/address/city'] } });
  expect(new WholeContextRedactor({ allAttributesPrivate: true }).redact(context)).toEqual({ kind: 'user', key: 'u1', _meta: { redactedAttributes: ['email', 'address'] } });
});

it('a flat context is copied, not referenced: changing it afterwards changes nothing sent', () => {
  const context: Record<string, unknown> = { kind: 'user', key: 'u1', plan: 'pro', age: 40, beta: true, team: null };
  const sent = direct.redact(context)!;
  context.plan = 'free';
  context.extra = 'later';
  expect(sent).toEqual({ kind: 'user', key: 'u1', plan: 'pro', age: 40, beta: true, team: null });
  expect(sent).not.toBe(context);
});
