// contextKeysOf holds the rules of SPEC.md §2 once (validateContext answers what it answers, context.test.ts holds that
// to the engine case by case): on generated contexts mixing valid and invalid kinds, keys and members it gives the
// real engine's verdict and the keys the engine is given, and validateContext's problem names the path of its reason.
import { AvsbEngine, EngineInputError } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { contextKeysOf, validateContext } from './index';

const engine = AvsbEngine.createSync(engineWasmModule());

function engineAccepts(context: unknown): boolean {
  try {
    engine.releaseContext(engine.registerContext(context as object));
    return true;
  } catch (error) {
    if (error instanceof EngineInputError) return false;
    throw error;
  }
}

/** The kinds and keys of a context the engine accepted, read from the JSON it is given: [kind, key], sorted. */
function pairsSent(context: object): [string, string][] {
  const sent = JSON.parse(JSON.stringify(context)) as Record<string, { key: string }> & { kind?: string; key: string };
  if (sent.kind !== 'multi') return [[sent.kind ?? 'user', sent.key]];
  return Object.entries(sent)
    .filter(([name]) => name !== 'kind')
    .map(([name, member]): [string, string] => [name, member.key])
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
      expect(typeof result !== 'string', JSON.stringify(context)).toBe(engineAccepts(context));
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
