import { describe, expect, it } from 'vitest';
import { AvsbEngine, EngineInputError } from '../src/index';
import { ContextEncoder } from '../src/context-encoder';
import { rawEngine, wasmModule } from './support/wasm';

// The binary context encoding (ABI.md, "Context encoding"): what the host
// writes, what the engine makes of it, and that it always means what the
// context's JSON means.

function encode(context: object): Uint8Array {
  const out = new Uint8Array(1 << 16);
  const n = new ContextEncoder().encode(context, out, new DataView(out.buffer), 0, out.length);
  if (n < 0) throw new Error('left to JSON');
  return out.slice(0, n);
}

const datafile = {
  schemaVersion: 1,
  revision: 1,
  flags: [
    {
      key: 'plan',
      on: true,
      variations: ['other', 'pro', 'tagged', 'org'],
      offVariation: 0,
      rules: [
        { id: 'org', clauses: [{ contextKind: 'org', attribute: 'key', op: 'in', values: ['acme'] }], serve: { variation: 3 } },
        { id: 'pro', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } },
        { id: 'tag', clauses: [{ attribute: '/tags', op: 'in', values: ['beta'] }], serve: { variation: 2 } },
      ],
      fallthrough: { variation: 0 },
    },
  ],
};

/** The same datafile reading one more attribute, `country`. */
const datafileReadingCountry = {
  ...datafile,
  revision: 2,
  flags: [
    ...datafile.flags,
    {
      key: 'country',
      on: true,
      variations: [false, true],
      offVariation: 0,
      rules: [{ id: 'no', clauses: [{ attribute: 'country', op: 'in', values: ['NO'] }], serve: { variation: 1 } }],
      fallthrough: { variation: 0 },
    },
  ],
};

it('writes the documented bytes for the example in ABI.md', () => {
  const bytes = encode({ kind: 'user', key: 'u1', age: 42, beta: true, tags: ['a', null] });
  // prettier-ignore
  expect([...bytes]).toEqual([
    6, 5, 0, 0, 0,
    4, 0, 0, 0, ...'kind'.split('').map((c) => c.charCodeAt(0)), 4, 4, 0, 0, 0, ...'user'.split('').map((c) => c.charCodeAt(0)),
    3, 0, 0, 0, 0x6b, 0x65, 0x79, 4, 2, 0, 0, 0, 0x75, 0x31,
    3, 0, 0, 0, 0x61, 0x67, 0x65, 3, 0, 0, 0, 0, 0, 0, 0x45, 0x40,
    4, 0, 0, 0, 0x62, 0x65, 0x74, 0x61, 2,
    4, 0, 0, 0, 0x74, 0x61, 0x67, 0x73, 5, 2, 0, 0, 0, 4, 1, 0, 0, 0, 0x61, 0,
  ]);
});

it('encodes own members only, as JSON does, even when Object.prototype has an enumerable member', () => {
  const context = { kind: 'user', key: 'u', plan: 'pro', nested: { a: 1 } };
  const clean = encode(context);
  const proto = Object.prototype as Record<string, unknown>;
  proto.polluted = 'inherited';
  try {
    expect(encode(context)).toEqual(clean);
  } finally {
    delete proto.polluted;
  }
});

it('leaves to JSON what only JSON.stringify can say', () => {
  const out = new Uint8Array(1 << 16);
  const view = new DataView(out.buffer);
  const encoder = new ContextEncoder();
  class Person {
    key = 'u';
  }
  const cases: object[] = [
    { key: 'u', toJSON: () => ({ key: 'v' }) },
    { key: 'u', when: new Date(0) },
    new Person(),
    { key: 'u', n: 1n as unknown as number },
    { key: 'u', boxed: new String('x') },
    { key: 'u', big: 'x'.repeat(70_000) },
  ];
  for (const c of cases) expect(encoder.encode(c, out, view, 0, out.length)).toBe(-1);
  expect(encoder.encode({ key: 'u', small: 'x'.repeat(100) }, out, view, 0, 64)).toBe(-1);
});

/**
 * ABI.md's context encoding written from the JSON text of `context`, member by member: a second writer to hold the
 * encoder to (a second `ContextEncoder` would share the names it keeps).
 */
function reference(context: object): Uint8Array {
  const out: number[] = [];
  const u32 = (n: number): void => void out.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  const text = (s: string): void => {
    const bytes = new TextEncoder().encode(s);
    u32(bytes.length);
    out.push(...bytes);
  };
  const value = (v: unknown): void => {
    if (v === null) out.push(0);
    else if (typeof v === 'boolean') out.push(v ? 2 : 1);
    else if (typeof v === 'number') out.push(3, ...new Uint8Array(new Float64Array([v]).buffer));
    else if (typeof v === 'string') {
      out.push(4);
      text(v);
    } else if (Array.isArray(v)) {
      out.push(5);
      u32(v.length);
      v.forEach(value);
    } else {
      const members = Object.entries(v as object);
      out.push(6);
      u32(members.length);
      for (const [name, member] of members) {
        text(name);
        value(member);
      }
    }
  };
  value(JSON.parse(JSON.stringify(context)));
  return new Uint8Array(out);
}

it("writes each context's own member names when encoders see contexts of other shapes in turn", () => {
  // the encoders keep the top-level names they wrote last by place: a name kept is written from its words only when
  // it is the same name at the same place, and the words never reach past the room given
  const shapes: object[] = [
    { kind: 'user', key: 'u1', email: 'a@b.c', country: 'NO', plan: 'pro', age: 42, appVersion: '2.3.4' },
    { kind: 'user', key: 'u2', email: 'd@e.f', country: 'SE', plan: 'free', age: 7, appVersion: '1.0.0' },
    // names of the same lengths at the same places, other bytes
    { kinD: 'user', kex: 'u2', emaiL: 'd@e.f', countrY: 'SE', plaN: 'free', agE: 7, appVersioN: '1.0.0' },
    { kind: 'user', key: 'u3', mail: 'x', country: 'DK', plan: null, age: 1.5, appVersionX: '9' },
    { key: 'u4', kind: 'user', 'a-name-of-seventeen': 1, 'sixteen-byte-nam': 2, 'ÆØÅ-navn': true, '😀': 'x' },
    { key: 'u5', kind: 'user', 'a-name-of-seventeen': 1, 'sixteen-byte-nam': 2, 'ÆØÅ-navn': false, nested: { kind: 'x', key: 'y' } },
    { kind: 'multi', user: { key: 'u6', plan: 'pro' }, org: { key: 'acme', kind2: 'k' } },
    { kind: 'user', key: 'u7', skipped: undefined, email: 'g@h.i', fn: () => 1, country: 'FI' },
    { kind: 'user', key: 'u1', email: 'a@b.c', country: 'NO', plan: 'pro', age: 42, appVersion: '2.3.4' },
    // a last name of 5 bytes and a value of one: its words would reach past the encoding
    { kind: 'user', key: 'u10', abcde: null },
    { '': 1, key: 'u11' },
    { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13, n: 14, o: 15, p: 16, q: 17, r: 18, key: 'u8' },
    { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13, n: 14, o: 15, p: 16, q: 17, r: 18, key: 'u9' },
  ];
  const encoders = [new ContextEncoder(), new ContextEncoder()];
  const out = new Uint8Array(1 << 16);
  const view = new DataView(out.buffer);
  for (let round = 0; round < 3; round++) {
    for (const [i, context] of shapes.entries()) {
      const encoder = encoders[(i + round) % 2]!;
      const expected = reference(context);
      // what follows a name is kept in its words too: bytes other than the ones checked below
      out.fill(0x11);
      expect(encoder.encode(context, out, view, 0, out.length)).toBe(expected.length);
      expect(out.slice(0, expected.length)).toEqual(expected);
      // again (its names now kept), at an odd offset, with exactly the room it needs: the bytes after it stay as they were
      out.fill(0xee);
      const n = encoder.encode(context, out, view, 3, expected.length);
      expect(n).toBe(expected.length);
      expect(out.slice(3, 3 + n)).toEqual(expected);
      expect([out[3 + n], out[4 + n], out[5 + n]]).toEqual([0xee, 0xee, 0xee]);
      // and with a byte too little: left to JSON
      expect(encoder.encode(context, out, view, 3, expected.length - 1)).toBe(-1);
    }
  }
});

describe.each(['release', 'debug'] as const)('on the %s binary', (binary) => {
  const engine = (): AvsbEngine => {
    const e = AvsbEngine.createSync(wasmModule(binary), { contextEncoder: new ContextEncoder() });
    expect(e.load(datafile).ok).toBe(true);
    return e;
  };
  const value = (e: AvsbEngine, context: object | string, flag = 'plan'): unknown => e.evaluate(e.registerContext(context), flag).value;

  it('evaluates an encoded context exactly as its JSON', () => {
    const e = engine();
    const contexts: object[] = [
      { key: 'u', plan: 'pro' },
      { kind: 'user', key: 'u', tags: ['x', 'beta'] },
      { kind: 'multi', user: { key: 'u', plan: 'free' }, org: { key: 'acme' } },
      { kind: 'org', key: 'acme' },
      { key: 'u', plan: 'pr\u00f6', tags: [undefined, () => 1, 'beta'], skipped: undefined, nested: { a: [1, { b: 2 }] } },
      { key: '\ud800', plan: NaN, tags: [Infinity, -0] },
      Object.assign(Object.create(null) as object, { key: 'u', plan: 'pro' }),
    ];
    for (const c of contexts) expect(value(e, c)).toEqual(value(e, JSON.stringify(c)));
    expect(contexts.map((c) => value(e, c))).toEqual(['pro', 'tagged', 'org', 'org', 'tagged', 'other', 'pro']);
  });

  it('evaluates what JSON.stringify makes of a toJSON, a Date or a class instance', () => {
    const e = engine();
    expect(value(e, { key: 'u', plan: 'free', toJSON: () => ({ key: 'u', plan: 'pro' }) })).toBe('pro');
    class Member {
      key = 'u';
      tags = ['beta'];
    }
    expect(value(e, new Member())).toBe('tagged');
  });

  it('gives an invalid context the same message whichever way it is sent', () => {
    const e = engine();
    const cases: unknown[] = [
      { kind: 'user' },
      { key: '' },
      { key: 7 },
      { kind: 7, key: 'u' },
      { kind: 'bad kind', key: 'u' },
      { kind: 'kind', key: 'u' },
      { kind: 'multi' },
      { kind: 'multi', org: { name: 'acme' } },
      { kind: 'multi', org: 'acme' },
      { kind: 'multi', org: { kind: 'org', key: 'a' } },
      { kind: 'multi', 'bad kind': { key: 'a' } },
      { kind: 'multi', user: { key: 'u' }, org: { key: '' } },
    ];
    for (const c of cases) {
      const viaJson = (() => {
        try {
          e.registerContext(JSON.stringify(c));
        } catch (err) {
          return (err as Error).message;
        }
        return 'registered';
      })();
      expect(viaJson).not.toBe('registered');
      expect(() => e.registerContext(c as object)).toThrow(EngineInputError);
      expect(() => e.registerContext(c as object)).toThrow(viaJson);
    }
  });

  it('re-indexes an encoded context for a datafile that reads more attributes', () => {
    const e = engine();
    const h = e.registerContext({ key: 'u', plan: 'pro', country: 'NO' });
    expect(e.evaluate(h, 'plan').value).toBe('pro');
    expect(e.load(datafileReadingCountry).ok).toBe(true);
    expect(e.evaluate(h, 'country').value).toBe(true);
    expect(e.evaluate(h, 'plan').value).toBe('pro');
  });

  it('indexes an encoded context registered before any datafile once one arrives', () => {
    const e = AvsbEngine.createSync(wasmModule(binary), { contextEncoder: new ContextEncoder() });
    const h = e.registerContext({ kind: 'multi', user: { key: 'u', tags: ['beta'] }, org: { key: 'other' } });
    expect(e.evaluate(h, 'plan').reason).toEqual({ kind: 'ERROR', errorKind: 'NO_DATAFILE' });
    expect(e.load(datafile).ok).toBe(true);
    expect(e.evaluate(h, 'plan').value).toBe('tagged');
  });

  it('restores encoded contexts after a trap, under the handles the application holds', () => {
    const e = engine();
    const a = e.registerContext({ key: 'u', plan: 'pro' });
    const b = e.registerContext(JSON.stringify({ key: 'v', tags: ['beta'] }));
    new Uint8Array((e as unknown as { _x: { memory: WebAssembly.Memory } })._x.memory.buffer).fill(0xff);
    expect(e.evaluate(a, 'plan').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
    expect(e.evaluate(a, 'plan').value).toBe('pro');
    expect(e.evaluate(b, 'plan').value).toBe('tagged');
    expect(e.liveContexts).toBe(2);
  });

  it('keeps encoding into the engine when the memory grows under its views', () => {
    const e = engine();
    const before = e.memoryBytes;
    const blob = 'x'.repeat(30_000); // encoded, not sent as JSON (under 64 KiB)
    const handles = [];
    for (let i = 0; i < 100; i++) handles.push(e.registerContext({ key: `u_${i}`, blob, plan: i % 2 === 0 ? 'pro' : 'free' }));
    expect(e.memoryBytes).toBeGreaterThan(before);
    handles.forEach((h, i) => expect(e.evaluate(h, 'plan').value).toBe(i % 2 === 0 ? 'pro' : 'other'));
    expect(value(e, { key: 'u', plan: 'pro' })).toBe('pro');
  });

  it('lets the last "kind" member decide, as in JSON, when an encoding repeats it', () => {
    const raw = rawEngine(binary);
    expect(raw.x.avsb_load(raw.put(JSON.stringify(datafile)))).toBe(0);
    const text = (t: string) => [t.length, 0, 0, 0, ...[...t].map((c) => c.charCodeAt(0))];
    const member = (name: string, value: string) => [...text(name), 4, ...text(value)];
    const twice = [6, 3, 0, 0, 0, ...member('kind', 'user'), ...member('key', 'acme'), ...member('kind', 'org')];
    const h = raw.x.avsb_ctx_create_bin(raw.put(Uint8Array.from(twice))) as number;
    expect(h).toBeGreaterThan(0);
    const json = raw.x.avsb_ctx_create(raw.put('{"kind":"user","key":"acme","kind":"org"}')) as number;
    // flag 0's first rule serves variation 3 to the org "acme"
    expect(raw.x.avsb_eval(h, 0) & 0xfff).toBe(3);
    expect(raw.x.avsb_eval(json, 0) & 0xfff).toBe(3);
  });

  it('refuses a malformed encoding with the byte where it went wrong', () => {
    const raw = rawEngine(binary);
    expect(raw.x.avsb_load(raw.put(JSON.stringify(datafile)))).toBe(0);
    const good = encode({ key: 'u', plan: 'pro' });
    const create = (bytes: Uint8Array | number[]): string => {
      const h = raw.x.avsb_ctx_create_bin(raw.put(Uint8Array.from(bytes))) as number;
      return h > 0 ? 'ok' : `${h} ${raw.error()}`;
    };
    expect(create(good)).toBe('ok');
    expect(create(good.slice(0, -1))).toBe('-2 context: invalid encoding at byte 27: a length or count larger than what follows');
    expect(create([...good, 0])).toBe('-2 context: invalid encoding at byte 34: unexpected data after the context');
    expect(create([6, 1, 0, 0, 0, 3, 0, 0, 0, 0x6b, 0x65, 0x79, 9])).toBe('-2 context: invalid encoding at byte 12: unknown type tag');
    expect(create([6, 1, 0, 0])).toBe('-2 context: invalid encoding at byte 1: truncated');
    expect(create([4, 0, 0, 0, 0])).toBe('-2 context: must be a JSON object');
    expect(create([])).toBe('-2 context: must be a JSON object');
    let deep: number[] = [6, 2, 0, 0, 0, 3, 0, 0, 0, 0x6b, 0x65, 0x79, 4, 1, 0, 0, 0, 0x75, 4, 0, 0, 0, 0x64, 0x65, 0x65, 0x70];
    for (let i = 0; i < 70; i++) deep = [...deep, 5, 1, 0, 0, 0];
    deep.push(0);
    expect(create(deep)).toMatch(/^-2 context: invalid encoding at byte \d+: nesting deeper than 64$/);
  });
});

it('creates and releases ten million encoded contexts without growing memory', () => {
  const { x, put, memoryBytes } = rawEngine('release');
  expect(x.avsb_load(put(JSON.stringify(datafile)))).toBe(0);
  const len = put(encode({ kind: 'multi', user: { key: 'u_1', plan: 'pro', email: 'a\u00e9@avsb.dev', tags: ['a', 'b'] }, org: { key: 'acme' } }));
  for (let i = 0; i < 1000; i++) x.avsb_ctx_release(x.avsb_ctx_create_bin(len));
  const warmed = memoryBytes();
  for (let i = 0; i < 10_000_000; i++) {
    const h = x.avsb_ctx_create_bin(len);
    if (h <= 0 || x.avsb_ctx_release(h) !== 0) throw new Error(`round ${i}: handle ${h}`);
  }
  expect(memoryBytes()).toBe(warmed);
  expect(x.avsb_live_contexts()).toBe(0);
}, 120_000);
