import { expect, it } from 'vitest';
import { rawEngine, type Binary } from './support/wasm';

// The JSON lexer scans a string eight bytes at a time and stops at the first
// byte that ends it or needs a look (a quote, a backslash, a control
// character); the last few bytes of the input go one at a time. A
// datafile's string first tries its first sixteen bytes in two steps of its
// own, and anything else (an escape, a control byte, a longer string, the
// input's last sixteen bytes) goes back to the general scan. These pin
// that a string reads the same wherever such a byte falls within a step,
// that UTF-8's high bytes never stop a step, and that a refusal names the
// byte it was refused at, in a datafile and in a context's JSON alike.

const binaries: Binary[] = ['release', 'debug'];
const enc = new TextEncoder();

/** Every prefix length across three steps and a bit, before each kind of byte the scan must find. */
const prefixes = Array.from({ length: 27 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'.slice(0, i));
/** JSON string bodies and what they read as: escapes, and UTF-8 of two, three and four bytes next to the quote. */
const bodies: [json: string, text: string][] = [
  ['', ''],
  ['\\"', '"'],
  ['\\\\', '\\'],
  ['\\u00e9x', 'éx'],
  ['é', 'é'],
  ['ÿ€', 'ÿ€'],
  ['😀', '😀'],
  ['\\n\\t/', '\n\t/'],
];

/** A flag that serves variation 1 to the user keyed `key` (as JSON text) and 0 to anyone else, keyed by `flagKey` (JSON text too). */
const targetFlag = (flagKey: string, key: string) =>
  `{"schemaVersion":1,"flags":[{"key":"${flagKey}","on":true,"variations":[0,1],` +
  `"targets":[{"values":["${key}"],"variation":1}],"fallthrough":{"variation":0}}]}`;

const variation = (result: number) => result & 0xfff;

it.each(binaries)('reads a string the same wherever its quote, escape or last UTF-8 byte falls within a step (%s)', (binary) => {
  const { x, put, error } = rawEngine(binary);
  for (const prefix of prefixes) {
    for (const [json, text] of bodies) {
      const key = prefix + json;
      const value = prefix + text;
      // the key as a target value (last in its list) and in the flag key (followed by the rest of the datafile)
      expect(x.avsb_load(put(targetFlag(`k${key}`, key))), `${key}: ${error()}`).toBe(0);
      const contexts: [string, number][] = [[value, 1], [value + 'z', 0], [value.slice(0, -1), 0]];
      // (a context's key may not be empty)
      for (const [context, want] of contexts.filter(([c]) => c !== '')) {
        // the context as JSON: the same scan reads its key
        const h = x.avsb_ctx_create(put(JSON.stringify({ kind: 'user', key: context }))) as number;
        expect(h, JSON.stringify(context)).toBeGreaterThan(0);
        expect(variation(x.avsb_eval(h, 0)), `${JSON.stringify(key)} against ${JSON.stringify(context)}`).toBe(want);
        x.avsb_ctx_release(h);
      }
    }
  }
});

it.each(binaries)('refuses a control character, a bad escape or an unterminated string at the byte where it is, at any place in a step (%s)', (binary) => {
  const { x, put, error } = rawEngine(binary);
  for (const prefix of prefixes) {
    for (const [bad, message, offset] of [
      ['\u0001', 'control character in string', 0],
      ['\u001f', 'control character in string', 0],
      ['\n', 'control character in string', 0],
      ['\\x', 'bad escape', 1],
      ['\\u00g0', 'bad \\u escape', 1],
    ] as const) {
      const text = targetFlag('f', `é${prefix}${bad}`);
      const at = enc.encode(text.slice(0, text.indexOf(bad))).length + offset;
      expect(x.avsb_load(put(text)), JSON.stringify(prefix + bad)).not.toBe(0);
      expect(error()).toBe(`datafile: invalid JSON at byte ${at}: ${message}`);
      // a context's JSON refuses it too
      expect(x.avsb_ctx_create(put(`{"kind":"user","key":"${prefix}${bad}"}`)), JSON.stringify(prefix + bad)).toBeLessThan(0);
    }
    // a string the input ends in, one byte at a time near the end and eight at a time before it
    const open = `{"schemaVersion":1,"flags":[{"key":"${prefix}`;
    expect(x.avsb_load(put(open)), prefix).not.toBe(0);
    expect(error()).toBe(`datafile: invalid JSON at byte ${enc.encode(open).length}: unterminated string`);
    // a string whose closing quote is the input's last byte (the sixteen-byte
    // try reads no further than the input's end), with and without UTF-8
    for (const closed of [`${open}"`, `${open}é"`]) {
      expect(x.avsb_load(put(closed)), closed).not.toBe(0);
      expect(error()).toBe(`datafile: invalid JSON at byte ${enc.encode(closed).length}: expected ',' or '}'`);
    }
  }
});

it.each(binaries)('serves a target or rule whose contextKind is "user" written out as one with none, and other spellings as other kinds (%s)', (binary) => {
  const { x, put, error } = rawEngine(binary);
  const flag = (kind: string) =>
    `{"schemaVersion":1,"flags":[{"key":"f","on":true,"variations":[0,1,2],` +
    `"targets":[{"contextKind":"${kind}","values":["t"],"variation":1}],` +
    `"rules":[{"clauses":[{"contextKind":"${kind}","attribute":"plan","op":"in","values":["pro"]}],"serve":{"variation":2}}],` +
    `"fallthrough":{"variation":0}}]}`;
  const user = (key: string, plan: string) => x.avsb_ctx_create(put(JSON.stringify({ kind: 'user', key, plan }))) as number;
  for (const [kind, served] of [['user', true], ['\\u0075ser', true], ['User', false], ['users', false], ['use', false]] as const) {
    expect(x.avsb_load(put(flag(kind))), `${kind}: ${error()}`).toBe(0);
    expect(x.avsb_warning_count(), kind).toBe(0);
    expect(variation(x.avsb_eval(user('t', 'free'), 0)), kind).toBe(served ? 1 : 0);
    expect(variation(x.avsb_eval(user('u', 'pro'), 0)), kind).toBe(served ? 2 : 0);
  }
  // "user" is the default kind of a context too: a multi-kind context's user part is served
  expect(x.avsb_load(put(flag('user')))).toBe(0);
  const multi = x.avsb_ctx_create(put('{"kind":"multi","user":{"key":"t"},"org":{"key":"o"}}')) as number;
  expect(variation(x.avsb_eval(multi, 0))).toBe(1);
});
