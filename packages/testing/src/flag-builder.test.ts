import { expect, it } from 'vitest';
import type { FlagDefinition } from '@avsb/core';
import { FlagBuilder, MockAvsbServer, TestData, TestDataError } from './index';

const user = (key: string, attributes: Record<string, unknown> = {}) => ({ kind: 'user', key, ...attributes });

function serve(flag: FlagBuilder | FlagDefinition, segments: NonNullable<ConstructorParameters<typeof MockAvsbServer>[0]>['segments'] = []) {
  return new MockAvsbServer({ flags: [flag], segments });
}

it('starts as a boolean flag that is on and serves true (false when off)', () => {
  expect(TestData.flag('f').build()).toEqual({
    key: 'f',
    on: true,
    variations: [false, true],
    offVariation: 0,
    clientSide: false,
    targets: [],
    rules: [],
    fallthrough: { variation: 1 },
  });
  const mock = serve(TestData.flag('f'));
  expect(mock.forUser(user('anyone')).getBoolFlagDetails('f', false)).toEqual({
    value: true,
    variationIndex: 1,
    reason: { kind: 'FALLTHROUGH' },
    inExperiment: false,
  });
});

it('builds the guide flag as datafile JSON with values mapped to variation indexes', () => {
  const flag = TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false).build();
  expect(flag).toEqual({
    key: 'checkout-v2',
    on: true,
    variations: [false, true],
    offVariation: 0,
    clientSide: false,
    targets: [{ contextKind: 'user', values: ['u_1'], variation: 1 }],
    rules: [],
    fallthrough: { variation: 0 },
  });
  const mock = serve(flag);
  expect(mock.forUser(user('u_1')).getBoolFlagDetails('checkout-v2', false).reason).toEqual({ kind: 'TARGET_MATCH' });
  expect(mock.forUser(user('u_2')).getBoolFlagDetails('checkout-v2', true)).toEqual({
    value: false,
    variationIndex: 0,
    reason: { kind: 'FALLTHROUGH' },
    inExperiment: false,
  });
});

it('serves string, number and JSON variations by value', () => {
  const theme = TestData.flag('ui-theme').variations('default', 'dark', 'contrast').variationForUser('u_7', 'dark').fallthroughVariation('default');
  const size = TestData.flag('page-size').variations(20, 50, 100).fallthroughVariation(50);
  const banner = TestData.flag('banner').variations({ show: false }, { show: true, text: 'Hi' }).fallthroughVariation({ text: 'Hi', show: true });
  const mock = new MockAvsbServer({ flags: [theme, size.build(), banner.build()] });
  const u7 = mock.forUser(user('u_7'));
  expect(u7.getStringFlag('ui-theme', 'x')).toBe('dark');
  expect(mock.forUser(user('u_8')).getStringFlag('ui-theme', 'x')).toBe('default');
  expect(u7.getNumberFlag('page-size', 10)).toBe(50);
  expect(u7.getJsonFlag('banner', { show: false })).toEqual({ show: true, text: 'Hi' });
  expect(banner.build().fallthrough).toEqual({ variation: 1 });
  // a non-boolean flag serves its first variation when off, unless told otherwise
  expect(size.build().offVariation).toBe(0);
});

it('serves the off variation when off, and the caller default for offVariation(null)', () => {
  const off = TestData.flag('f').variations('a', 'b', 'c').fallthroughVariation('a').offVariation('c').on(false);
  expect(serve(off).forUser(user('u')).getStringFlagDetails('f', 'z')).toEqual({
    value: 'c',
    variationIndex: 2,
    reason: { kind: 'OFF' },
    inExperiment: false,
  });
  const none = TestData.flag('g').booleanFlag().offVariation(null).on(false);
  expect(none.build().offVariation).toBeNull();
  expect(serve(none).forUser(user('u')).getBoolFlagDetails('g', true)).toEqual({
    value: true,
    variationIndex: null,
    reason: { kind: 'OFF' },
    inExperiment: false,
  });
  expect(serve(none.on(true)).forUser(user('u')).getBoolFlag('g', false)).toBe(true);
});

it('targets contexts of any kind, also inside multi-kind contexts', () => {
  const flag = TestData.flag('beta').booleanFlag().fallthroughVariation(false).variationForContext('org', 'acme', true);
  expect(flag.build().targets).toEqual([{ contextKind: 'org', values: ['acme'], variation: 1 }]);
  const mock = serve(flag);
  expect(mock.forUser({ kind: 'org', key: 'acme' }).getBoolFlag('beta', false)).toBe(true);
  expect(mock.forUser({ kind: 'user', key: 'acme' }).getBoolFlag('beta', true)).toBe(false);
  expect(mock.forUser({ kind: 'multi', user: { key: 'u_9' }, org: { key: 'acme' } }).getBoolFlag('beta', false)).toBe(true);
});

it('moves a context targeted twice to the last value and groups keys by variation', () => {
  const flag = TestData.flag('f')
    .variations('a', 'b')
    .variationForUser('u_1', 'a')
    .variationForUser('u_2', 'b')
    .variationForUser('u_3', 'b')
    .variationForUser('u_1', 'b')
    .build();
  expect(flag.targets).toEqual([{ contextKind: 'user', values: ['u_1', 'u_2', 'u_3'], variation: 1 }]);
  expect(TestData.flag('g').variationForUser('u_1', true).clearTargets().build().targets).toEqual([]);
});

it('evaluates rules in order, their clauses AND-ed and their values OR-ed', () => {
  const flag = TestData.flag('checkout-v2')
    .booleanFlag()
    .fallthroughVariation(false)
    .ifMatch('plan', 'pro', 'team')
    .andNotMatch('country', 'fr')
    .thenReturn(true)
    .ifMatchContext('org', 'tier', 'enterprise')
    .thenReturn(true);
  expect(flag.build().rules).toEqual([
    {
      id: 'rule-0',
      clauses: [
        { contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro', 'team'] },
        { contextKind: 'user', attribute: 'country', op: 'in', values: ['fr'], negate: true },
      ],
      serve: { variation: 1 },
    },
    { id: 'rule-1', clauses: [{ contextKind: 'org', attribute: 'tier', op: 'in', values: ['enterprise'] }], serve: { variation: 1 } },
  ]);
  const mock = serve(flag);
  const read = (context: Parameters<typeof mock.forUser>[0]) => mock.forUser(context).getBoolFlagDetails('checkout-v2', false);
  expect(read(user('a', { plan: 'team', country: 'no' })).reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'rule-0' });
  expect(read(user('b', { plan: 'team', country: 'fr' })).value).toBe(false);
  // a negated clause does not match a missing attribute (SPEC.md §5.2)
  expect(read(user('c', { plan: 'pro' })).value).toBe(false);
  expect(read({ kind: 'org', key: 'acme', tier: 'enterprise' }).reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 1, ruleId: 'rule-1' });
  expect(read(user('d', { plan: 'free', country: 'no' })).reason).toEqual({ kind: 'FALLTHROUGH' });
});

it('starts rules with negation, segments and any operator of the format', () => {
  const flag = TestData.flag('f')
    .variations('none', 'not-free', 'beta', 'new-app')
    .fallthroughVariation('none')
    .ifInSegment('beta-testers')
    .thenReturn('beta')
    .ifClause({ attribute: 'appVersion', op: 'semVerGreaterThan', values: ['2.0.0'] })
    .andClause({ attribute: 'email', op: 'endsWith', values: ['@example.com'] })
    .thenReturn('new-app')
    .ifNotMatch('plan', 'free')
    .thenReturn('not-free');
  const mock = serve(flag, [{ key: 'beta-testers', included: ['u_7'] }]);
  const read = (key: string, attributes: Record<string, unknown> = {}) => mock.forUser(user(key, attributes)).getStringFlag('f', '?');
  expect(read('u_7', { plan: 'free' })).toBe('beta');
  expect(read('u_1', { appVersion: '2.1.0', email: 'a@example.com', plan: 'free' })).toBe('new-app');
  expect(read('u_1', { appVersion: '1.9.0', email: 'a@example.com', plan: 'free' })).toBe('none');
  expect(read('u_2', { plan: 'pro' })).toBe('not-free');
  expect(read('u_3')).toBe('none');
  expect(TestData.flag('g').ifNotMatchContext('org', 'tier', 'free').thenReturn(false).build().rules?.[0]?.clauses).toEqual([
    { contextKind: 'org', attribute: 'tier', op: 'in', values: ['free'], negate: true },
  ]);
  expect(TestData.flag('h').ifMatch('plan', 'pro').thenReturn(true).clearRules().build().rules).toEqual([]);
});

it('serves percentage rollouts and experiments that count exposures as in-experiment', () => {
  const flag = TestData.flag('checkout-v2')
    .booleanFlag()
    .fallthroughRollout(
      [
        { value: false, weight: 50 },
        { value: true, weight: 50 },
      ],
      { kind: 'experiment' },
    )
    .ifMatch('plan', 'pro')
    .thenRollout([{ value: true, weight: 100 }]);
  expect(flag.build().fallthrough).toEqual({
    rollout: {
      kind: 'experiment',
      variations: [
        { variation: 0, weight: 50000 },
        { variation: 1, weight: 50000 },
      ],
    },
  });
  const mock = serve(flag);
  const values = new Set<boolean>();
  for (let i = 0; i < 40; i++) {
    const detail = mock.forUser(user(`visitor-${i}`)).getBoolFlagDetails('checkout-v2', false);
    expect(detail.inExperiment).toBe(true);
    values.add(detail.value);
  }
  expect([...values].sort()).toEqual([false, true]);
  // the same visitor always lands in the same bucket
  const first = mock.forUser(user('visitor-1')).getBoolFlag('checkout-v2', false);
  expect(mock.forUser(user('visitor-1')).getBoolFlag('checkout-v2', !first)).toBe(first);
  expect(mock.forUser(user('p', { plan: 'pro' })).getBoolFlagDetails('checkout-v2', false)).toMatchObject({ value: true, inExperiment: false });
  expect(mock.exposures.filter((e) => e.inExperiment)).toHaveLength(42);
  expect(() => TestData.flag('x').fallthroughRollout([{ value: true, weight: 60 }])).toThrow(/add up to 60 %, not 100 %/);
});

it('serves one value to everyone with variationForAll, dropping targets and rules', () => {
  const flag = TestData.flag('f').on(false).variationForUser('u_1', false).ifMatch('plan', 'pro').thenReturn(false).variationForAll(true);
  expect(flag.build()).toMatchObject({ on: true, targets: [], rules: [], fallthrough: { variation: 1 } });
});

it('marks client-side flags, which allFlags({ clientSideOnly }) keeps', () => {
  const mock = new MockAvsbServer({
    flags: [TestData.flag('ui-theme').variations('light', 'dark').fallthroughVariation('dark').clientSide(true), TestData.flag('secret')],
  });
  expect(mock.allFlags(user('u'))).toEqual({ 'ui-theme': 'dark', secret: true });
  expect(mock.allFlags(user('u'), { clientSideOnly: true })).toEqual({ 'ui-theme': 'dark' });
  expect(TestData.flag('x').clientSide(true).clientSide(false).build().clientSide).toBe(false);
});

it('keeps a salt, which changes the buckets of rollouts', () => {
  const flag = TestData.flag('f').salt('s-1').fallthroughRollout([
    { value: false, weight: 50 },
    { value: true, weight: 50 },
  ]);
  expect(flag.build().salt).toBe('s-1');
  expect(serve(flag).ready).toBe(true);
});

it('says which value is not a variation, and which clause the engine refuses', () => {
  expect(() => TestData.flag('ui-theme').variations('default', 'dark').fallthroughVariation('blue').build()).toThrow(
    new TestDataError(
      'flag "ui-theme": the fallthrough "blue" is not one of its variations ["default","dark"]; list every value the flag serves with .variations(...) (or use .booleanFlag())',
    ),
  );
  expect(() => TestData.flag('f').variationForUser('u_1', 'yes').build()).toThrow(/the target user "u_1" gets "yes" is not one of its variations/);
  expect(() => TestData.flag('f').variations('a', 'a')).toThrow(/listed twice/);
  expect(() => TestData.flag('f').variations()).toThrow(TestDataError);
  expect(() => TestData.flag('f').ifMatch('plan')).toThrow(/needs at least one value/);
  expect(() => TestData.flag('f').ifClause({ attribute: 'email', op: 'matches', values: ['(a'] }).thenReturn(true).build()).toThrow(
    /flag "f": the rules engine refused it: flags\[0\]\.rules\[0\]\.clauses\[0\]\.values\[0\]/,
  );
  expect(() => TestData.flag('')).toThrow(TestDataError);
});

it('copies builders so a built or published flag never changes behind a test', () => {
  const base = TestData.flag('f').variations('a', 'b').fallthroughVariation('a');
  const copy = base.copy().fallthroughVariation('b').variationForUser('u_1', 'a');
  expect(base.build()).toMatchObject({ fallthrough: { variation: 0 }, targets: [] });
  expect(copy.build()).toMatchObject({ fallthrough: { variation: 1 }, targets: [{ values: ['u_1'] }] });
  const built = base.build();
  built.variations.push('c');
  expect(base.build().variations).toEqual(['a', 'b']);
});

it('turns datafile JSON back into a builder that builds the same flag', () => {
  const seeded: FlagDefinition = {
    key: 'checkout-v2',
    name: 'Checkout v2',
    on: true,
    variations: [false, true],
    offVariation: 0,
    salt: 'checkout',
    prerequisites: [{ key: 'payments', variation: 1 }],
    targets: [{ values: ['u_1'], variation: 1 }],
    rules: [{ id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
    fallthrough: {
      rollout: {
        kind: 'experiment',
        variations: [
          { variation: 0, weight: 50000 },
          { variation: 1, weight: 50000 },
        ],
        trafficAllocation: 50000,
        untrackedVariation: 0,
      },
    },
  };
  const rebuilt = FlagBuilder.from(seeded).build();
  expect(rebuilt).toEqual({ ...seeded, clientSide: false, targets: [{ contextKind: 'user', values: ['u_1'], variation: 1 }] });
  expect(FlagBuilder.from(seeded).variationForUser('u_2', true).build().targets?.[0]?.values).toEqual(['u_1', 'u_2']);
});
