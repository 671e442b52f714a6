// contextKeysOf (a page's context check) judges every context as validateContext does, with the same keys (in the
// same order) and canonical key: the conformance vectors' invalid contexts, the cases of context.test.ts's kind, and
// generated contexts (fast-check) mixing valid and invalid kinds, keys and members.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { contextKeysOf, validateContext } from './index';

function agree(context: unknown): void {
  const full = validateContext(context);
  const small = contextKeysOf(context);
  if (!full.valid) {
    expect(typeof small, JSON.stringify(context)).toBe('string');
    return;
  }
  expect(small, JSON.stringify(context)).not.toBeTypeOf('string');
  const { keys, canonicalKey } = small as Exclude<typeof small, string>;
  expect(Object.getPrototypeOf(keys)).toBeNull();
  expect(JSON.stringify(keys)).toBe(JSON.stringify(full.keys));
  expect(canonicalKey).toBe(full.canonicalKey);
}

const vectors = JSON.parse(readFileSync(new URL('../../../tools/conformance/cases/invalid-contexts.json', import.meta.url), 'utf8')) as {
  cases: [string, unknown, string][];
};

it('refuses every invalid context of the conformance vectors that validateContext refuses', () => {
  const objects = vectors.cases.filter(([, context]) => typeof context === 'object' && context !== null);
  expect(objects.length).toBeGreaterThan(5);
  for (const [, context] of objects) agree(context);
});

it('agrees with validateContext on kinds, keys, multi-kind members and what JSON leaves out', () => {
  const long = 'k'.repeat(256);
  const cases: unknown[] = [
    { kind: 'user', key: 'u_1', plan: 'pro' },
    { key: 'u_1' },
    { kind: undefined, key: 'u_1' },
    { kind: () => 'user', key: 'u_1' },
    { kind: 'org.v2_x-y', key: 'acme' },
    { kind: long, key: 'k' },
    { kind: `${long}k`, key: 'k' },
    { kind: 'kind', key: 'k' },
    { kind: '', key: 'k' },
    { kind: 'ørg', key: 'k' },
    { kind: null, key: 'k' },
    { kind: 5, key: 'k' },
    { plan: 'pro' },
    { key: '' },
    { key: 42 },
    { key: () => 'u' },
    [{ key: 'u' }],
    null,
    'u_1',
    { kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme', tier: 2 } },
    { kind: 'multi', org: { key: 'acme' } },
    { kind: 'multi' },
    { kind: 'multi', user: undefined },
    { kind: 'multi', user: undefined, org: { key: 'a' } },
    { kind: 'multi', user: { key: 'u' }, org: { name: 'a' } },
    { kind: 'multi', org: 'acme' },
    { kind: 'multi', org: [{ key: 'a' }] },
    { kind: 'multi', org: null },
    { kind: 'multi', org: { kind: 'org', key: 'a' } },
    { kind: 'multi', org: { kind: undefined, key: 'a' } },
    { kind: 'multi', user: { key: 'u' }, plan: 'pro' },
    { kind: 'multi', user: { key: 'u' }, multi: { key: 'm' } },
    { kind: 'multi', 'my org': { key: 'a' } },
    { kind: 'multi', b: { key: '2' }, a: { key: '1' }, 'a.b': { key: '3' }, A: { key: '0' } },
    JSON.parse('{"kind":"multi","__proto__":{"key":"p"},"constructor":{"key":"c"}}'),
    { kind: 'constructor', key: 'c' },
    { kind: '__proto__', key: 'p' },
  ];
  for (const context of cases) agree(context);
});

it('agrees with validateContext on generated contexts', () => {
  const kind = fc.constantFrom('user', 'org', 'device', 'multi', 'kind', '', 'my org', 'a.b', '__proto__', 'Z');
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(undefined, null, 0, true, () => 'k'));
  const member = fc.oneof(
    fc.record({ key, kind: fc.option(kind, { nil: undefined }), plan: fc.string() }, { requiredKeys: ['key'] }),
    fc.constantFrom(undefined, null, 'acme', [], () => 1),
  );
  const single = fc.record({ kind: fc.oneof(kind, fc.constantFrom(undefined, 5)), key, plan: fc.string() }, { requiredKeys: [] });
  const multi = fc.dictionary(kind, member, { maxKeys: 4 }).map((members) => ({ ...members, kind: 'multi' }));
  fc.assert(fc.property(fc.oneof(single, multi), (context) => agree(context)), { numRuns: 2_000 });
});
