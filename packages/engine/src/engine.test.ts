import { describe, expect, it } from 'vitest';
import { AvsbEngine, EngineInputError, evaluateAll } from './index';
import { guideDatafile } from '../test/support/fixtures';
import { wasmBytes, wasmModule } from '../test/support/wasm';
import { engineWasmBytes } from './wasm-inline';

describe.each(['release', 'debug'] as const)('AvsbEngine on the %s binary', (binary) => {
  const engine = () => {
    const e = AvsbEngine.createSync(wasmModule(binary));
    expect(e.load(guideDatafile)).toEqual({ ok: true, revision: 7, flagCount: 3, warnings: [], warningCount: 0 });
    return e;
  };

  it('serves the targeted variation to an individually targeted user', () => {
    const e = engine();
    const h = e.registerContext({ kind: 'user', key: 'u_1' });
    expect(e.evaluate(h, 'checkout-v2')).toEqual({
      value: true,
      variationIndex: 1,
      reason: { kind: 'TARGET_MATCH' },
      inExperiment: false,
    });
  });

  it('reports the matching rule with its index and id', () => {
    const e = engine();
    const h = e.registerContext({ key: 'u_2', plan: 'team' });
    expect(e.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' });
    const staff = e.registerContext({ key: 'u_3', email: 'ana@avsb.dev' });
    expect(e.evaluate(staff, 'checkout-v2').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 1, ruleId: 'beta' });
  });

  it('fails a prerequisite and serves the off variation with the prerequisite key', () => {
    const e = engine();
    const h = e.registerContext({ key: 'nobody' });
    expect(e.evaluate(h, 'ui-theme')).toEqual({
      value: 'default',
      variationIndex: 0,
      reason: { kind: 'PREREQUISITE_FAILED', prerequisiteIndex: 0, prerequisiteKey: 'checkout-v2' },
      inExperiment: false,
    });
  });

  it('puts contexts that pass the prerequisite into the experiment', () => {
    const e = engine();
    const h = e.registerContext({ key: 'u_1' });
    const d = e.evaluate(h, 'ui-theme');
    expect(d.reason).toEqual({ kind: 'FALLTHROUGH' });
    expect(d.inExperiment).toBe(true);
    expect(['dark', 'contrast']).toContain(d.value);
  });

  it('returns frozen JSON values for an off flag', () => {
    const e = engine();
    const d = e.evaluate<{ text: string }>(e.registerContext({ key: 'x' }), 'banner');
    expect(d).toMatchObject({ value: { text: 'bye' }, reason: { kind: 'OFF' } });
    expect(Object.isFrozen(d.value)).toBe(true);
  });

  it('reports an unknown flag key as FLAG_NOT_FOUND without throwing', () => {
    const e = engine();
    expect(e.evaluate(e.registerContext({ key: 'x' }), 'nope')).toEqual({
      value: null,
      variationIndex: null,
      reason: { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' },
      inExperiment: false,
    });
  });

  it('answers NO_DATAFILE before the first datafile, and evaluates the same context once one loads', () => {
    const e = AvsbEngine.createSync(wasmModule(binary));
    const h = e.registerContext({ key: 'u_1' });
    expect(e.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'NO_DATAFILE' });
    e.load(guideDatafile);
    expect(e.evaluate(h, 'checkout-v2').value).toBe(true);
  });

  it('refuses what cannot be a datafile with its JSON path and keeps serving the previous one', () => {
    const e = engine();
    const h = e.registerContext({ key: 'u_1' });
    const bad = structuredClone(guideDatafile) as any;
    bad.flags.push({ ...bad.flags[0] });
    expect(e.load(bad)).toEqual({ ok: false, error: 'flags[3].key: duplicate key "checkout-v2" (also at flags[0])' });
    expect(e.load({ ...guideDatafile, schemaVersion: 2 })).toMatchObject({ ok: false, error: expect.stringContaining('schemaVersion:') });
    expect(e.load('{"schemaVersion": 1, "flags": [}')).toEqual({ ok: false, error: 'datafile: invalid JSON at byte 31: expected a value' });
    expect(e.evaluate(h, 'checkout-v2').value).toBe(true);
    expect(e.revision).toBe(7);
  });

  it('loads a datafile with one broken clause and one broken flag, with a warning for each, and evaluates the rest', () => {
    const e = engine();
    const next = structuredClone(guideDatafile) as any;
    next.revision = 8;
    next.flags[0].rules[0].clauses[0].op = 'greather';
    next.flags[0].rules.push({ id: 'v', clauses: [{ attribute: 'appVersion', op: 'semVerGreaterThan', values: ['02.0.0'], negate: true }], serve: { variation: 1 } });
    next.flags[1].fallthrough.rollout.variations[0].weight = 1;
    const r = e.load(next);
    expect(r).toEqual({
      ok: true,
      revision: 8,
      flagCount: 3,
      warningCount: 3,
      warnings: [
        { path: 'flags[0].rules[0].clauses[0].op', message: 'unknown operator "greather"' },
        { path: 'flags[0].rules[2].clauses[0].values[0]', message: '"02.0.0" is not a semantic version' },
        { path: 'flags[1].fallthrough.rollout.variations', message: 'weights must add up to 100000, not 50001' },
      ],
    });
    const h = e.registerContext({ key: 'u_2', plan: 'pro', appVersion: '1.0.0' });
    // the broken clauses never match, negated or not; the other rules still do
    expect(e.evaluate(h, 'checkout-v2')).toMatchObject({ value: false, reason: { kind: 'FALLTHROUGH' } });
    expect(e.evaluate(h, 'ui-theme')).toEqual({ value: null, variationIndex: null, reason: { kind: 'ERROR', errorKind: 'MALFORMED_FLAG' }, inExperiment: false });
    expect(e.evaluate(h, 'banner').value).toEqual({ text: 'bye' });
    expect(evaluateAll(e, h).get('ui-theme')?.reason).toEqual({ kind: 'ERROR', errorKind: 'MALFORMED_FLAG' });
  });

  it('keeps the reasons of a datafile whose broken flags have lists of any shape', () => {
    const e = engine();
    const r = e.load({
      schemaVersion: 1,
      flags: [
        { key: 'a', on: true, variations: 'x', rules: [null, 3], prerequisites: {}, fallthrough: { variation: 0 } },
        { key: 'b', on: true, variations: [1, 2], rules: [{ id: 'r', clauses: [] , serve: { variation: 1 } }], fallthrough: { variation: 0 } },
      ],
    });
    expect(r).toMatchObject({ ok: true, warningCount: 1, warnings: [{ path: 'flags[0].variations' }] });
    const h = e.registerContext({ key: 'u' });
    expect(e.evaluate(h, 'a').reason).toEqual({ kind: 'ERROR', errorKind: 'MALFORMED_FLAG' });
    expect(e.evaluate(h, 'b').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'r' });
  });

  it('re-indexes contexts registered before a new datafile', () => {
    const e = engine();
    const h = e.registerContext({ key: 'u_5', tier: 'gold' });
    expect(e.evaluate(h, 'checkout-v2').value).toBe(false);
    const next = structuredClone(guideDatafile) as any;
    next.revision = 8;
    next.flags[0].rules.push({ id: 'gold', clauses: [{ attribute: 'tier', op: 'in', values: ['gold'] }], serve: { variation: 1 } });
    expect(e.load(next)).toMatchObject({ ok: true, revision: 8 });
    expect(e.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 2, ruleId: 'gold' });
  });

  it('rejects malformed contexts with a message that says what is wrong', () => {
    const e = engine();
    const cases: [unknown, string][] = [
      ['{"key": "a",', 'context: invalid JSON at byte 12'],
      [{ kind: 'user' }, 'context.key: must be a non-empty string; it is missing'],
      [{ key: '' }, 'context.key: must be a non-empty string'],
      [{ kind: 'multi' }, 'at least one kind'],
      [{ kind: 'multi', org: { name: 'acme' } }, 'context.org.key: must be a non-empty string; it is missing'],
      [{ kind: 'multi', 'bad kind': { key: 'a' } }, 'context.bad kind: is not a valid kind name'],
      [[1, 2], 'context: must be a JSON object'],
    ];
    for (const [ctx, message] of cases) {
      expect(() => e.registerContext(ctx as object)).toThrow(EngineInputError);
      expect(() => e.registerContext(ctx as object)).toThrow(message);
    }
    const circular: Record<string, unknown> = { key: 'a' };
    circular.self = circular;
    expect(() => e.registerContext(circular)).toThrow('context: cannot be serialised as JSON');
  });

  it('rejects a released handle as CONTEXT_INVALID, even after its slot is reused', () => {
    const e = engine();
    const h = e.registerContext({ key: 'u_1' });
    expect(e.releaseContext(h)).toBe(true);
    expect(e.releaseContext(h)).toBe(false);
    expect(e.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' });
    const reused = e.registerContext({ key: 'someone-else' });
    expect(reused & 0xfffff).toBe(h & 0xfffff);
    expect(e.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' });
    expect(e.evaluate(reused, 'checkout-v2').reason).toEqual({ kind: 'FALLTHROUGH' });
  });

  it('matches `kind in [...]` for a kind that only the clause names', () => {
    const e = AvsbEngine.createSync(wasmModule(binary));
    const orgsOnly = {
      schemaVersion: 1,
      flags: [
        {
          key: 'org-billing',
          on: true,
          variations: ['personal', 'org'],
          rules: [{ id: 'orgs', clauses: [{ attribute: 'kind', op: 'in', values: ['org'] }], serve: { variation: 1 } }],
          fallthrough: { variation: 0 },
        },
      ],
    };
    expect(e.load(orgsOnly).ok).toBe(true);
    expect(e.evaluate(e.registerContext({ kind: 'org', key: 'acme' }), 'org-billing')).toMatchObject({ value: 'org', reason: { kind: 'RULE_MATCH', ruleId: 'orgs' } });
    expect(e.evaluate(e.registerContext({ kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme' } }), 'org-billing').value).toBe('org');
    expect(e.evaluate(e.registerContext({ key: 'u_1' }), 'org-billing').value).toBe('personal');
  });

  it('serves bucket 0 for bucketBy "kind" (the list of kinds is no bucketing value), never in experiment', () => {
    const e = AvsbEngine.createSync(wasmModule(binary));
    const rollout = (kind: 'rollout' | 'experiment', contextKind: string) => ({
      rollout: { kind, contextKind, bucketBy: 'kind', variations: [{ variation: 0, weight: 0 }, { variation: 1, weight: 50000 }, { variation: 2, weight: 50000 }] },
    });
    const flags = (['rollout', 'experiment'] as const).flatMap((kind) =>
      ['user', 'org'].map((contextKind) => ({ key: `${kind}-${contextKind}`, on: true, variations: ['zero', 'first', 'second'], fallthrough: rollout(kind, contextKind) })),
    );
    expect(e.load({ schemaVersion: 1, flags }).ok).toBe(true);
    const contexts = [{ key: 'u_1' }, { key: 'u_2' }, { kind: 'org', key: 'acme' }, { kind: 'multi', user: { key: 'u_3' }, org: { key: 'globex' } }];
    for (const context of contexts) {
      const h = e.registerContext(context);
      for (const { key } of flags) expect(e.evaluate(h, key)).toEqual({ value: 'first', variationIndex: 1, reason: { kind: 'FALLTHROUGH' }, inExperiment: false });
    }
  });

  it('evaluates every flag in one call', () => {
    const e = engine();
    const all = evaluateAll(e, e.registerContext({ key: 'u_1' }));
    expect([...all.keys()]).toEqual(['checkout-v2', 'ui-theme', 'banner']);
    expect(all.get('checkout-v2')?.value).toBe(true);
    expect(all.get('banner')?.value).toEqual({ text: 'bye' });
  });

  it('keeps working when the memory grows under its views', () => {
    const e = engine();
    const before = e.memoryBytes;
    const big = 'x'.repeat(200_000);
    const handles = [];
    for (let i = 0; i < 40; i++) handles.push(e.registerContext({ key: `u_${i}`, blob: big, plan: 'pro' }));
    expect(e.memoryBytes).toBeGreaterThan(before);
    for (const h of handles) expect(e.evaluate(h, 'checkout-v2').value).toBe(true);
    expect(e.evaluate(e.registerContext({ key: 'u_1' }), 'checkout-v2').reason).toEqual({ kind: 'TARGET_MATCH' });
  });

  // Fault injection: the engine's exports are replaced by ones that trap, as a bug in the .wasm would.
  const trap = () => {
    throw new WebAssembly.RuntimeError('unreachable');
  };
  type Internals = { _x: Record<string, unknown>; _instantiate(): void };

  it('releases a context when the release traps: the engine is rebuilt and the handle released there', () => {
    const e = engine();
    const a = e.registerContext({ key: 'u_1' });
    const b = e.registerContext({ key: 'u_2', plan: 'pro' });
    const internals = e as unknown as Internals;
    internals._x = { ...internals._x, avsb_ctx_release: trap };
    expect(e.releaseContext(a)).toBe(true);
    expect(e.faults).toBe(1);
    expect(e.liveContexts).toBe(1);
    expect(e.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' });
    expect(e.evaluate(b, 'checkout-v2').reason).toMatchObject({ kind: 'RULE_MATCH', ruleId: 'pro-plan' });
  });

  it('drops a datafile or a context that traps again while the engine is rebuilt, instead of throwing', () => {
    const e = engine();
    const a = e.registerContext({ key: 'u_1' });
    const poisoned = e.registerContext({ key: 'u_poison' });
    const internals = e as unknown as Internals;
    const instantiate = internals._instantiate.bind(e);
    // after the fault, the datafile and u_poison trap when they are restored
    internals._instantiate = () => {
      instantiate();
      type Restore = (handle: number, len: number) => number;
      const x = internals._x as { avsb_ctx_restore: Restore; avsb_ctx_restore_bin: Restore };
      const poison = (restore: Restore): Restore => (handle, len) => (handle === poisoned ? trap() : restore(handle, len));
      internals._x = {
        ...internals._x,
        avsb_load: trap,
        avsb_ctx_restore: poison(x.avsb_ctx_restore),
        avsb_ctx_restore_bin: poison(x.avsb_ctx_restore_bin),
      };
    };
    internals._x = { ...internals._x, avsb_eval: trap };
    expect(e.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
    internals._instantiate = instantiate;
    expect(e.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'NO_DATAFILE' });
    expect(e.evaluate(poisoned, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'NO_DATAFILE' });
    expect(e.liveContexts).toBe(1);
    // the exports of that rebuild still trap on load: this load faults and rebuilds cleanly, the next one works
    expect(e.load(guideDatafile)).toMatchObject({ ok: false, error: expect.stringMatching(/faulted while loading/) });
    expect(e.load(guideDatafile)).toMatchObject({ ok: true });
    expect(e.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'TARGET_MATCH' });
    expect(e.evaluate(poisoned, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' });
  });

  it('recovers from a trap: the evaluation reports ENGINE_FAULT, then the same handles work again', () => {
    const e = engine();
    const a = e.registerContext({ key: 'u_1' });
    const b = e.registerContext({ key: 'u_2', plan: 'pro' });
    e.releaseContext(e.registerContext({ key: 'gone' }));
    const c = e.registerContext({ key: 'u_3' });
    // fault injection: corrupt the engine's whole memory, as a bug would
    const x = (e as unknown as { _x: { memory: WebAssembly.Memory } })._x;
    new Uint8Array(x.memory.buffer).fill(0xff);
    expect(e.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
    expect(e.faults).toBe(1);
    expect(e.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'TARGET_MATCH' });
    expect(e.evaluate(b, 'checkout-v2').reason).toMatchObject({ kind: 'RULE_MATCH', ruleId: 'pro-plan' });
    expect(e.evaluate(c, 'checkout-v2').reason).toEqual({ kind: 'FALLTHROUGH' });
    expect(e.liveContexts).toBe(3);
  });
});

it('creates from bytes asynchronously and from the inlined release binary', async () => {
  const fromBytes = await AvsbEngine.create(wasmBytes('release'));
  const inlined = await AvsbEngine.create(engineWasmBytes());
  for (const e of [fromBytes, inlined]) {
    e.load(guideDatafile);
    expect(e.evaluate(e.registerContext({ key: 'u_1' }), 'checkout-v2').value).toBe(true);
  }
});
