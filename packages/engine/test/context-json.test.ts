import { expect, it } from 'vitest';
import { rawEngine } from './support/wasm';

// A JSON context is turned into the binary encoding and read by its walker
// (assembly/context/from-json.ts). Its top-level member names keep their
// escapes in that encoding, because an escaped name is never a kind; these
// pin what that means, on a fresh registration and on the re-index a new
// datafile makes from the kept bytes.

const flag = (key: string, contextKind: string, attribute: string, value: unknown) => ({
  key,
  on: true,
  variations: [false, true],
  offVariation: 0,
  rules: [{ clauses: [{ contextKind, attribute, op: 'in', values: [value] }], serve: { variation: 1 } }],
  fallthrough: { variation: 0 },
});

const flags = [
  flag('user-plan', 'user', 'plan', 'pro'),
  flag('user-key', 'user', 'key', 'u_1'),
  flag('org-key', 'org', 'key', 'acme'),
  flag('user-kind-member', 'user', 'kind', 'org'),
  flag('nested', 'user', '/address/city', 'Oslo'),
];

function engine(binary: 'release' | 'debug') {
  const { x, put, error } = rawEngine(binary);
  const load = (revision: number) => {
    const list = revision === 1 ? flags : [...flags].reverse();
    expect(x.avsb_load(put(JSON.stringify({ schemaVersion: 1, revision, flags: list })))).toBe(0);
    return (h: number) => Object.fromEntries(list.map((f, i) => [f.key, (x.avsb_eval(h, i) & 0xfff) === 1]));
  };
  return { x, put, error, load };
}

it.each(['release', 'debug'] as const)('reads escaped top-level names of a single-kind context as their characters, before and after a new datafile (%s)', (binary) => {
  const { x, put, load } = engine(binary);
  let matches = load(1);
  const h = x.avsb_ctx_create(put('{"k\\u0065y":"u_1","pl\\u0061n":"pro","\\u0061ddress":{"c\\u0069ty":"Oslo"},"ki\\u006ed":"org"}'));
  expect(h).toBeGreaterThan(0);
  // "ki\u006ed" is no kind (the context stays a user), nor the attribute kind
  const expected = { 'user-plan': true, 'user-key': true, 'org-key': false, 'user-kind-member': false, nested: true };
  expect(matches(h)).toEqual(expected);
  matches = load(2);
  expect(matches(h)).toEqual(expected);
});

it.each(['release', 'debug'] as const)('refuses an escaped kind name in a multi-kind context, quoted as written, and an escaped kind (%s)', (binary) => {
  const { x, put, error, load } = engine(binary);
  load(1);
  expect(x.avsb_ctx_create(put('{"kind":"multi","\\u006frg":{"key":"acme"}}'))).toBe(-2);
  expect(error()).toBe('context.\\u006frg: is not a valid kind name (letters, digits, \'.\', \'_\', \'-\'; not "kind" or "multi")');
  expect(x.avsb_ctx_create(put('{"kind":"\\u006frg","key":"acme"}'))).toBe(-2);
  expect(error()).toBe('context: "kind" must be a string of letters, digits, \'.\', \'_\' or \'-\'');
  // met before the syntax error that follows it, as the JSON is read in order
  expect(x.avsb_ctx_create(put('{"kind":1,"key":}'))).toBe(-2);
  expect(error()).toBe('context: "kind" must be a string of letters, digits, \'.\', \'_\' or \'-\'');
  expect(x.avsb_ctx_create(put('{"key":"u","kind":"org",}'))).toBe(-2);
  expect(error()).toBe('context: invalid JSON at byte 24: expected a string');
});

it.each(['release', 'debug'] as const)('unescapes names and strings below the top, in a multi-kind context too, before and after a new datafile (%s)', (binary) => {
  const { x, put, load } = engine(binary);
  let matches = load(1);
  const h = x.avsb_ctx_create(
    put('{"kind":"multi","user":{"\\u006bey":"u\\u005f1","pl\\u0061n":"pro","kind":null},"org":{"key":"\\u0061cme"}}'),
  );
  // "kind" (escaped or not) is not allowed inside a kind: only a plain "kind" is that error
  expect(h).toBe(-2);
  const h2 = x.avsb_ctx_create(put('{"kind":"multi","user":{"\\u006bey":"u\\u005f1","pl\\u0061n":"pro","a\\u0064dress":{"city":"Oslo"}},"org":{"key":"\\u0061cme"}}'));
  expect(h2).toBeGreaterThan(0);
  // (kind in ["org"] asks whether the context has an org: SPEC.md §3)
  const expected = { 'user-plan': true, 'user-key': true, 'org-key': true, 'user-kind-member': true, nested: true };
  expect(matches(h2)).toEqual(expected);
  matches = load(2);
  expect(matches(h2)).toEqual(expected);
});
