import { describe, expect, it } from 'vitest';
import { AvsbEngine, ContextEncoder, shareContexts } from '../src/index';
import { wasmModule } from './support/wasm';

// Equal flat contexts share one handle, and a released one stays registered
// for the same user's next request; no context may ever be evaluated with
// another's attributes.

const datafile = {
  schemaVersion: 1,
  revision: 1,
  flags: [
    {
      key: 'plan',
      on: true,
      variations: ['other', 'pro', 'team'],
      offVariation: 0,
      rules: [
        { id: 'pro', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } },
        { id: 'team', clauses: [{ attribute: 'plan', op: 'in', values: ['team'] }], serve: { variation: 2 } },
      ],
      fallthrough: { variation: 0 },
    },
  ],
};

describe.each(['release', 'debug'] as const)('on the %s binary', (binary) => {
  const engine = (size?: number): AvsbEngine => {
    const e = shareContexts(AvsbEngine.createSync(wasmModule(binary), { contextEncoder: new ContextEncoder() }), size);
    expect(e.load(datafile).ok).toBe(true);
    return e;
  };
  /** Registers, evaluates and releases: what a request does. */
  const request = (e: AvsbEngine, context: object): { handle: number; plan: unknown } => {
    const handle = e.registerContext(context);
    const plan = e.evaluate(handle, 'plan').value;
    expect(e.releaseContext(handle)).toBe(true);
    return { handle, plan };
  };

  it('gives a returning user the handle of its last request, and counts no idle context as live', () => {
    const e = engine();
    const user = { kind: 'user', key: 'u-1', plan: 'pro', age: 30, beta: true, note: null };
    request(e, user);
    const second = request(e, { ...user });
    expect(request(e, { ...user })).toEqual(second);
    expect(second.plan).toBe('pro');
    expect(e.liveContexts).toBe(0);
    expect(e.releaseContext(second.handle)).toBe(false);
  });

  it('never shares a handle between contexts that differ in one attribute', () => {
    const e = engine();
    const pro = { kind: 'user', key: 'u-1', plan: 'pro' };
    for (let i = 0; i < 3; i++) expect(request(e, pro).plan).toBe('pro');
    const others: object[] = [
      { kind: 'user', key: 'u-1', plan: 'team' },
      { kind: 'user', key: 'u-1', plan: 'pro', extra: 1 },
      { kind: 'user', key: 'u-1' },
      { kind: 'org', key: 'u-1', plan: 'pro' },
      { kind: 'user', key: 'u-1', plan: 'pro', age: undefined },
    ];
    const plans = others.map((c) => e.evaluate(e.registerContext(c), 'plan').value);
    expect(plans).toEqual(['team', 'pro', 'other', 'other', 'pro']);
    const held = e.registerContext(pro);
    const team = e.registerContext({ kind: 'user', key: 'u-1', plan: 'team' });
    expect(held).not.toBe(team);
    expect([e.evaluate(held, 'plan').value, e.evaluate(team, 'plan').value]).toEqual(['pro', 'team']);
  });

  it('compares a returning context member by member, names and order included', () => {
    const e = engine();
    const user = { kind: 'user', key: 'u-1', plan: 'pro', age: 30 };
    request(e, user);
    const shared = request(e, { ...user });
    expect(request(e, { ...user })).toEqual(shared);
    // the same values under each other's names, then the same members in another order
    expect(request(e, { kind: 'user', key: 'u-1', age: 'pro', plan: 30 }).plan).toBe('other');
    expect(request(e, { age: 30, plan: 'team', key: 'u-1', kind: 'user' }).plan).toBe('team');
    expect(request(e, { age: 30, plan: 'pro', key: 'u-1', kind: 'user' }).plan).toBe('pro');
    expect(e.liveContexts).toBe(0);
  });

  it('evaluates a context changed after its release with its new attributes', () => {
    const e = engine();
    const user: Record<string, unknown> = { kind: 'user', key: 'u-1', plan: 'pro' };
    request(e, user);
    request(e, user);
    user.plan = 'team';
    expect(request(e, user).plan).toBe('team');
    user.plan = 'pro';
    expect(request(e, user).plan).toBe('pro');
  });

  it('restores an idle shared context after a trap from its own copy, not from an object the application reused', () => {
    const e = engine();
    const reused: Record<string, unknown> = { kind: 'user', key: 'u-1', plan: 'pro' };
    request(e, reused);
    const { handle } = request(e, reused);
    // the application fills the same object for another user
    Object.assign(reused, { key: 'u-2', plan: 'team' });
    new Uint8Array((e as unknown as { _x: { memory: WebAssembly.Memory } })._x.memory.buffer).fill(0xff);
    expect(e.evaluate(handle, 'plan').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
    expect(e.faults).toBe(1);
    expect(request(e, reused).plan).toBe('team');
    const again = e.registerContext({ kind: 'user', key: 'u-1', plan: 'pro' });
    expect(again).toBe(handle);
    expect(e.evaluate(again, 'plan').value).toBe('pro');
  });

  it('counts holders: a handle held twice answers until both released it', () => {
    const e = engine();
    const user = { kind: 'user', key: 'u-1', plan: 'team' };
    request(e, user);
    request(e, user);
    const a = e.registerContext({ ...user });
    const b = e.registerContext({ ...user });
    expect(b).toBe(a);
    expect(e.liveContexts).toBe(1);
    expect(e.releaseContext(a)).toBe(true);
    expect(e.evaluate(b, 'plan').value).toBe('team');
    expect(e.releaseContext(b)).toBe(true);
    expect(e.liveContexts).toBe(0);
  });

  it('keeps users apart when they take turns in one place of the table', () => {
    const e = engine(1);
    const users = [
      { kind: 'user', key: 'u-1', plan: 'pro' },
      { kind: 'user', key: 'u-2', plan: 'team' },
      { kind: 'user', key: 'u-1', plan: 'team' },
    ];
    for (let round = 0; round < 4; round++) {
      for (const user of users) for (let i = 0; i < 3; i++) expect(request(e, { ...user }).plan).toBe(user.plan);
    }
    expect(e.liveContexts).toBe(0);
  });

  it('shares two returning users taking turns whatever places their keys hash to', () => {
    // with one place per key, a pair whose keys met in a place pushed each other out on every request
    for (let i = 1; i <= 8; i++) {
      const e = engine(2);
      const users = [
        { kind: 'user', key: 'u-0', plan: 'pro' },
        { kind: 'user', key: `u-${i}`, plan: 'team' },
      ];
      const handles: number[][] = [[], []];
      for (let round = 0; round < 4; round++) {
        users.forEach((user, n) => handles[n]!.push(request(e, { ...user }).handle));
      }
      // shared from its second request on: the same handle each time after that
      for (const seen of handles) expect(new Set(seen.slice(1)).size).toBe(1);
      expect(e.liveContexts).toBe(0);
    }
  });

  it('registers contexts with nested members, several kinds or no string key as before: a released handle is stale', () => {
    const e = engine();
    const contexts: object[] = [
      { kind: 'user', key: 'u-1', plan: 'pro', tags: ['a'] },
      { kind: 'multi', user: { key: 'u-1', plan: 'pro' } },
      { kind: 'user', key: 'u-1', plan: 'pro', seen: NaN },
    ];
    for (const c of contexts) {
      for (let i = 0; i < 2; i++) request(e, c);
      const { handle } = request(e, c);
      expect(e.evaluate(handle, 'plan').reason).toEqual({ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' });
    }
    expect(e.liveContexts).toBe(0);
  });

  it('reports a context whose getter throws as before, whether it is new, returning or taking a shared place', () => {
    const e = engine();
    const user = { kind: 'user', key: 'u-1', plan: 'pro' };
    request(e, user);
    request(e, user);
    const throwing = (name: string): object =>
      Object.defineProperty({ kind: 'user', key: 'u-1' }, name, { enumerable: true, get: () => { throw new Error('no'); } });
    for (const c of [throwing('plan'), throwing('key'), throwing('extra')]) {
      expect(() => e.registerContext(c)).toThrow(/context: cannot be serialised as JSON \(no\)/);
    }
    expect(request(e, user).plan).toBe('pro');
  });

  it('shares no handle while Object.prototype has an enumerable member the context does not shadow', () => {
    const e = engine();
    const user = { kind: 'user', key: 'u-1', plan: 'pro' };
    request(e, user);
    const shared = request(e, { ...user }).handle;
    expect(request(e, { ...user }).handle).toBe(shared);
    const proto = Object.prototype as Record<string, unknown>;
    let polluted: { handle: number; plan: unknown };
    let shadowed: { handle: number; plan: unknown };
    try {
      proto.plan2 = 'team';
      polluted = request(e, { ...user });
      proto.plan = 'team';
      delete proto.plan2;
      shadowed = request(e, { ...user });
    } finally {
      delete proto.plan2;
      delete proto.plan;
    }
    // for…in gives the inherited member after the copy's: not equal (and not copied into the table either)
    expect(polluted.handle).not.toBe(shared);
    expect(polluted.plan).toBe('pro');
    // a member the context shadows is not given at all: the same members as the copy, the same handle
    expect(shadowed).toEqual({ handle: shared, plan: 'pro' });
    expect(request(e, { ...user })).toEqual({ handle: shared, plan: 'pro' });
  });

  it('leaves at most the table size of released contexts registered', () => {
    const e = engine(64);
    // each user twice in a row: shared from its second request on
    for (let i = 0; i < 1000; i++) for (let n = 0; n < 2; n++) request(e, { kind: 'user', key: `u-${i}`, plan: 'pro' });
    expect(e.liveContexts).toBe(0);
    const idle = (e as unknown as { _x: { avsb_live_contexts(): number } })._x.avsb_live_contexts();
    expect(idle).toBeGreaterThan(0);
    expect(idle).toBeLessThanOrEqual(64);
  });
});
