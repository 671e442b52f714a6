import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Validator, validateDatafile, validateProjectDocument } from './index';

interface Fixture {
  readonly description: string;
  readonly document: object;
  readonly problems: { path: string; message: string }[];
}
const fixtures = (dir: string): [string, Fixture][] => {
  const root = fileURLToPath(new URL(`../../protocol/fixtures/${dir}/`, import.meta.url));
  return readdirSync(root)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(root + f, 'utf8')) as Fixture]);
};

const flag = (key: string, extra: object = {}) => ({ key, on: true, variations: [false, true], fallthrough: { variation: 0 }, ...extra });

it.each(fixtures('datafiles'))('finds exactly the problems listed in the datafile fixture %s', (_name, fixture) => {
  const result = validateDatafile(fixture.document);
  expect(result.problems).toEqual(fixture.problems);
  expect(result.ok).toBe(fixture.problems.length === 0);
});

it.each(fixtures('projects'))('finds exactly the problems listed in the project fixture %s', (_name, fixture) => {
  expect(validateProjectDocument(fixture.document).problems).toEqual(fixture.problems);
});

it('reports every problem of a flag, not only the first the engine stops at', () => {
  const [, fixture] = fixtures('datafiles').find(([name]) => name === 'four-problems-in-one-flag.json')!;
  expect(validateDatafile(fixture.document).problems.map((p) => p.path)).toEqual([
    'flags[0].on',
    'flags[0].rules[0].clauses[0].op',
    'flags[0].rules[0].serve.variation',
    'flags[0].fallthrough.rollout.variations',
  ]);
});

it('takes JSON text and bytes as well as parsed values, and names syntax, size and depth problems', () => {
  const doc = { schemaVersion: 1, flags: [flag('a', { on: 3 })] };
  const expected = validateDatafile(doc);
  expect(expected.problems).toHaveLength(1);
  expect(validateDatafile(JSON.stringify(doc))).toEqual(expected);
  expect(validateDatafile(new TextEncoder().encode(JSON.stringify(doc)))).toEqual(expected);
  expect(validateDatafile('{"flags": [,]}').problems).toEqual([{ path: '(document)', message: expect.stringMatching(/^is not JSON: /) }]);
  let deep: unknown = 1;
  for (let i = 0; i < 70; i++) deep = [deep];
  expect(validateDatafile({ schemaVersion: 1, flags: [flag('a', { variations: deep })] }).problems).toEqual([
    { path: '(document)', message: 'nests objects and arrays deeper than 64 levels' },
  ]);
});

it('holds datafile keys to the key rule only when asked, and project documents always', () => {
  const doc = { schemaVersion: 1, flags: [flag('my flag')], segments: [{ key: 'ok-segment' }] };
  expect(validateDatafile(doc).ok).toBe(true);
  expect(validateDatafile(doc, { keyRule: true }).problems).toEqual([
    { path: 'flags[0].key', message: expect.stringMatching(/^must be 1–64 letters.*, not "my flag"$/) },
  ]);
  const project = { key: 'shop', environments: [{ key: 'production', flags: [flag('my flag')] }] };
  expect(validateProjectDocument(project).problems.map((p) => p.path)).toEqual(['environments[0].flags[0].key']);
});

it('lists problems in document order: items by index, members in the order the format lists them', () => {
  const doc = {
    schemaVersion: 1,
    flags: [flag('a'), flag('b'), ...Array.from({ length: 9 }, (_, i) => flag(`c${i}`)), { on: 'x', salt: 5 }],
  };
  doc.flags[10] = flag('c8', { fallthrough: { variation: 9 } });
  expect(validateDatafile(doc).problems.map((p) => p.path)).toEqual([
    'flags[10].fallthrough.variation',
    'flags[11].key',
    'flags[11].on',
    'flags[11].variations',
    'flags[11].salt',
    'flags[11].fallthrough',
  ]);
});

it('one message for a value that matches none of its forms', () => {
  const problems = validateDatafile({ schemaVersion: 1, flags: [flag('a', { fallthrough: {}, offVariation: 'x' })] }).problems;
  expect(problems).toEqual([
    { path: 'flags[0].offVariation', message: expect.stringMatching(/^must be an integer/) },
    { path: 'flags[0].fallthrough', message: expect.stringMatching(/"variation" or "rollout"/) },
  ]);
});

it('a validator of its own, compiled asynchronously, agrees with the shared one', async () => {
  const own = await Validator.create();
  for (const [, fixture] of fixtures('datafiles')) expect(own.validateDatafile(fixture.document)).toEqual(validateDatafile(fixture.document));
});

it('runs the schemas as compiled into src/generated (run `pnpm --filter @avsb/validator compile-schemas` after changing one)', async () => {
  // @ts-expect-error: a build script without types
  const { OUTPUT, generate } = (await import('../scripts/compile-schemas.mjs')) as { OUTPUT: string; generate(): string };
  expect(readFileSync(OUTPUT, 'utf8') === generate()).toBe(true);
});
