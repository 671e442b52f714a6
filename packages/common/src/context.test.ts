import { readFileSync } from 'node:fs';
import { AvsbEngine, EngineInputError } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextKeysOf, validateContext, validatedContext } from './index';

// Contexts both sides must judge alike: [name, context, valid]. Members JSON
// leaves out (undefined, functions) are absent for the engine too.
const longKind = 'k'.repeat(256);
const TABLE: [string, unknown, boolean][] = [
  ['single with kind', { kind: 'user', key: 'u_1', plan: 'pro' }, true],
  ['kind left out is user', { key: 'u_1' }, true],
  ['kind undefined is user', { kind: undefined, key: 'u_1' }, true],
  ['kind with dots, dashes, underscores', { kind: 'org.v2_x-y', key: 'acme' }, true],
  ['kind of 256 characters', { kind: longKind, key: 'k' }, true],
  ['kind of 257 characters', { kind: `${longKind}k`, key: 'k' }, false],
  ['kind "kind"', { kind: 'kind', key: 'k' }, false],
  ['kind empty', { kind: '', key: 'k' }, false],
  ['kind with a space', { kind: 'my org', key: 'k' }, false],
  ['kind non-ASCII', { kind: 'ørg', key: 'k' }, false],
  ['kind null', { kind: null, key: 'k' }, false],
  ['kind a number', { kind: 5, key: 'k' }, false],
  ['key missing', { plan: 'pro' }, false],
  ['key empty', { key: '' }, false],
  ['key a number', { key: 42 }, false],
  ['key null', { key: null }, false],
  ['key undefined', { key: undefined }, false],
  ['key an object', { key: { id: 'u' } }, false],
  ['key a function', { key: () => 'u' }, false],
  ['key with odd characters', { key: 'ü "quoted" \\ \u2028 😀' }, true],
  ['not an object: array', [{ key: 'u' }], false],
  ['multi of two', { kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme', tier: 2 } }, true],
  ['multi of one', { kind: 'multi', org: { key: 'acme' } }, true],
  ['multi with no kinds', { kind: 'multi' }, false],
  ['multi with only an undefined member', { kind: 'multi', user: undefined }, false],
  ['multi with an undefined member', { kind: 'multi', user: undefined, org: { key: 'a' } }, true],
  ['multi member without key', { kind: 'multi', user: { key: 'u' }, org: { name: 'a' } }, false],
  ['multi member with an empty key', { kind: 'multi', org: { key: '' } }, false],
  ['multi member a string', { kind: 'multi', org: 'acme' }, false],
  ['multi member an array', { kind: 'multi', org: [{ key: 'a' }] }, false],
  ['multi member null', { kind: 'multi', org: null }, false],
  ['multi member with its own kind', { kind: 'multi', org: { kind: 'org', key: 'a' } }, false],
  ['multi member with kind undefined', { kind: 'multi', org: { kind: undefined, key: 'a' } }, true],
  ['multi with a top-level attribute', { kind: 'multi', user: { key: 'u' }, plan: 'pro' }, false],
  ['multi member named multi', { kind: 'multi', user: { key: 'u' }, multi: { key: 'm' } }, false],
  ['multi member with an invalid name', { kind: 'multi', 'my org': { key: 'a' } }, false],
  ['multi member named like a prototype member', JSON.parse('{"kind":"multi","__proto__":{"key":"p"},"constructor":{"key":"c"}}'), true],
  ['single kind named like a prototype member', { kind: 'constructor', key: 'c' }, true],
];

// the contexts of the conformance vectors every engine host must reject (the objects; text rows test the JSON reader)
const vectors = JSON.parse(readFileSync(new URL('../../../tools/conformance/cases/invalid-contexts.json', import.meta.url), 'utf8')) as {
  datafile: object;
  cases: [string, unknown, string][];
};
// rules of the serialised text (nesting deeper than 64, over 1 MiB) are the engine's alone: it is the wire boundary
const textRule = (name: string): boolean => name.startsWith('nesting');
const objectRows = vectors.cases.filter(([, context]) => typeof context === 'object' && context !== null);
const VECTORS: [string, unknown, boolean][] = objectRows.filter(([name]) => !textRule(name)).map(([name, context]) => [`vector: ${name}`, context, false]);
const TEXT_RULES = objectRows.filter(([name]) => textRule(name));

function engineAccepts(engine: AvsbEngine, context: unknown): boolean {
  try {
    engine.releaseContext(engine.registerContext(context as object));
    return true;
  } catch (error) {
    if (error instanceof EngineInputError) return false;
    throw error;
  }
}

describe('the TypeScript rules and the engine', () => {
  const engine = AvsbEngine.createSync(engineWasmModule());
  expect(engine.load(vectors.datafile)).toMatchObject({ ok: true });

  it.each([...TABLE, ...VECTORS])('agree on %s', (_name, context, valid) => {
    expect(validateContext(context).valid).toBe(valid);
    expect(engineAccepts(engine, context)).toBe(valid);
  });

  it('leave the rules of the serialised text to the engine', () => {
    expect(TEXT_RULES.length).toBeGreaterThan(0);
    for (const [, context] of TEXT_RULES) {
      expect(validateContext(context).valid).toBe(true);
      expect(engineAccepts(engine, context)).toBe(false);
    }
  });
});

it('judges each kind by its own name whatever kind came before, and shares only equal frozen kinds', () => {
  const a = validateContext({ kind: 'org', key: 'a' });
  const b = validateContext({ kind: 'org', key: 'b' });
  const bad = validateContext({ kind: 'my org', key: 'c' });
  const user = validateContext({ key: 'd' });
  if (!a.valid || !b.valid || !user.valid) throw new Error('expected valid contexts');
  expect(bad.valid).toBe(false);
  expect(validateContext({ kind: 'multi', key: 'e' }).valid).toBe(false);
  expect(a.kinds).toBe(b.kinds);
  expect(user.kinds).toEqual(['user']);
  expect(a.kinds).toEqual(['org']);
  expect(Object.isFrozen(a.kinds) && Object.isFrozen(user.kinds)).toBe(true);
});

it('works out kinds, keys and the canonical key once', () => {
  const single = validateContext({ kind: 'org', key: 'acme', tier: 2 });
  expect(single).toMatchObject({ valid: true, kinds: ['org'], canonicalKey: 'org:acme' });
  if (!single.valid) throw new Error(single.problem);
  expect({ ...single.keys }).toEqual({ org: 'acme' });
  expect(Object.isFrozen(single.keys) && Object.isFrozen(single.kinds)).toBe(true);
  expect(validateContext({ key: 'u_1' })).toMatchObject({ kinds: ['user'], canonicalKey: 'user:u_1' });
  // one kind in a multi-kind context is the same context as that single kind
  expect(validateContext({ kind: 'multi', org: { key: 'acme' } })).toMatchObject({ canonicalKey: 'org:acme' });
  const multi = validateContext({ kind: 'multi', user: { key: 'u:1' }, org: { key: 'acme' } });
  expect(multi).toMatchObject({ kinds: ['org', 'user'], canonicalKey: '[["org","acme"],["user","u:1"]]' });
});

it('gives keys no prototype, so a kind named __proto__ is plain data', () => {
  const result = validateContext(JSON.parse('{"kind":"multi","__proto__":{"key":"p"},"constructor":{"key":"c"}}'));
  if (!result.valid) throw new Error(result.problem);
  // nothing inherited: the prototype chain holds no Object.prototype
  expect(Object.getPrototypeOf(Object.getPrototypeOf(result.keys))).toBe(null);
  expect(Object.keys(Object.getPrototypeOf(result.keys) as object)).toEqual([]);
  expect('toString' in result.keys).toBe(false);
  expect(result.keys['__proto__']).toBe('p');
  expect(result.kinds).toEqual(['__proto__', 'constructor']);
  const single = validateContext({ key: 'u' });
  expect(single.valid && single.keys.constructor).toBeUndefined();
});

it('names the path and the type of a problem, never a value', () => {
  const problem = (context: unknown) => {
    const result = validateContext(context);
    return result.valid ? null : result.problem;
  };
  expect(problem('secret-u_1')).toBe("the context must be an object such as { kind: 'user', key: 'u_1' }, not a string");
  expect(problem({ key: 42 })).toBe('context.key: must be a non-empty string, not a number');
  expect(problem({ kind: 'us er', key: 'secret' })).toBe('context.kind: must be a kind name such as "user" or "org" ([A-Za-z0-9._-])');
  expect(problem({ kind: null, key: 'k' })).toBe('context.kind: must be a string, not null');
  expect(problem({ kind: 'multi', org: { kind: 'org', key: 'a' } })).toBe('context.org: "kind" is not allowed inside a multi-kind context');
  expect(problem({ kind: 'multi', 'secret plan': { key: 'a' } })).toBe('a multi-kind context has a member that is not a kind name ([A-Za-z0-9._-])');
  expect(problem({ kind: 'multi', org: { key: null } })).toBe('context.org.key: must be a non-empty string, not null');
  expect(problem({ kind: 'multi', org: ['secret'] })).toBe('context.org: must be an object with a key, not an array');
  expect(problem({ kind: 'multi', org: undefined })).toBe('a multi-kind context needs at least one kind');
  expect(problem({ kind: () => 'user', key: '' })).toBe('context.key: must be a non-empty string, not an empty string');
});

it('reuses the last validation for the same object, and validates a new object afresh', () => {
  const context = { key: 'u_1' };
  const first = validateContext(context);
  expect(validatedContext(context)).toBe(first);
  expect(validatedContext({ key: 'u_1' })).not.toBe(first);
  // validateContext itself never answers from memory
  context.key = '';
  expect(validateContext(context).valid).toBe(false);
  expect(validatedContext(context).valid).toBe(false);
});

// contextKeysOf holds the rules once (validateContext answers what it answers): on generated contexts mixing valid and
// invalid kinds, keys and members it gives the real engine's verdict and the keys the engine is given, and
// validateContext's problem names the path of its short reason.
const rulesEngine = AvsbEngine.createSync(engineWasmModule());

/** The kinds and keys of a context the engine accepted, read from the JSON it is given: [kind, key], sorted. */
function pairsSent(context: object): [string, string][] {
  const sent = JSON.parse(JSON.stringify(context)) as Record<string, { key: string }> & { kind?: string; key: string };
  if (sent.kind !== 'multi') return [[sent.kind ?? 'user', sent.key]];
  return Object.entries(sent)
    .filter(([name]) => name !== 'kind')
    .map(([name, member]): [string, string] => [name, (member as { key: string }).key])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

const SECRET = 'secret-v4lue';
const kind = fc.constantFrom('user', 'org', 'device', 'multi', 'kind', '', 'my org', 'a.b', '__proto__', 'Z', '10', '9');
const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(SECRET, undefined, null, 0, true, () => 'k'));
const member = fc.oneof(
  fc.record({ key, kind: fc.option(kind, { nil: undefined }), plan: fc.string() }, { requiredKeys: ['key'] }),
  fc.constantFrom(undefined, null, 'acme', [], () => 1),
);
const single = fc.record({ kind: fc.oneof(kind, fc.constantFrom(undefined, 5)), key, plan: fc.string() }, { requiredKeys: [] });
const multi = fc.dictionary(kind, member, { maxKeys: 4 }).map((members) => ({ ...members, kind: 'multi' }));
// what validateContext says for each short reason that is not a path
const DETAILS: Record<string, RegExp> = {
  'the context is not an object': /^the context must be an object such as .*, not /,
  'a kind is not a kind name': /^(context\.kind: must be a (string, not |kind name such as)|a multi-kind context has a member that is not a kind name)/,
  'a multi-kind context without kinds': /^a multi-kind context needs at least one kind$/,
};
const notObject = fc.constantFrom(null, undefined, SECRET, 5, [{ key: SECRET }]);

it('gives the engine’s verdict, and for a valid context the kinds and keys the engine is given', () => {
  let valid = 0;
  fc.assert(
    fc.property(fc.oneof(single, multi), (context) => {
      const result = contextKeysOf(context);
      expect(typeof result !== 'string', JSON.stringify(context)).toBe(engineAccepts(rulesEngine, context));
      if (typeof result === 'string') return;
      valid++;
      const pairs = pairsSent(context);
      expect(result.kinds).toEqual(pairs.map(([name]) => name));
      expect(Object.entries(result.keys).sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(pairs);
      expect(result.canonicalKey).toBe(pairs.length === 1 ? `${pairs[0]![0]}:${pairs[0]![1]}` : JSON.stringify(pairs));
      expect(Object.isFrozen(result.keys) && Object.isFrozen(result.kinds)).toBe(true);
      expect(validateContext(context)).toEqual(result);
    }),
    { numRuns: 2_000 },
  );
  expect(valid).toBeGreaterThan(200);
});

it('refuses with a short reason that holds no value, which validateContext details at the same path', () => {
  fc.assert(
    fc.property(fc.oneof(single, multi, notObject), (context) => {
      const reason = contextKeysOf(context);
      if (typeof reason !== 'string') return;
      const detail = validateContext(context);
      if (detail.valid) throw new Error(`validateContext accepted what contextKeysOf refused: ${reason}`);
      expect(reason).not.toContain(SECRET);
      expect(detail.problem).not.toContain(SECRET);
      const path = /^(context(?:\.[^:]+)?):/.exec(reason)?.[1];
      const expected = path === undefined ? DETAILS[reason] : path === 'context' ? /^context\.key: / : new RegExp(`^${path.replace(/\./g, '\\.')}(\\.key)?: `);
      expect(detail.problem, reason).toMatch(expected!);
    }),
    { numRuns: 2_000 },
  );
});

it('is the same short reason for every way a part breaks the rules', () => {
  expect(contextKeysOf('u_1')).toBe('the context is not an object');
  expect(contextKeysOf({ kind: 5, key: 'k' })).toBe('a kind is not a kind name');
  expect(contextKeysOf({ kind: 'my org', key: 'k' })).toBe('a kind is not a kind name');
  expect(contextKeysOf({ kind: 'multi', 'my org': { key: 'k' } })).toBe('a kind is not a kind name');
  expect(contextKeysOf({ key: '' })).toBe('context: needs a non-empty string key');
  for (const org of ['acme', { key: 'a', kind: 'org' }, { key: 7 }]) {
    expect(contextKeysOf({ kind: 'multi', org })).toBe('context.org: needs a non-empty string key and no kind');
  }
  expect(contextKeysOf({ kind: 'multi', user: undefined })).toBe('a multi-kind context without kinds');
});
