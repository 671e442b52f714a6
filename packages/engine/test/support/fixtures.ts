/** A small datafile in the shape of the user's guide: `checkout-v2` and `ui-theme`. */
export const guideDatafile = {
  schemaVersion: 1,
  revision: 7,
  segments: [
    { key: 'beta-testers', included: ['u_9'], rules: [{ id: 'staff', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@avsb.dev'] }] }] },
  ],
  flags: [
    {
      key: 'checkout-v2',
      on: true,
      variations: [false, true],
      offVariation: 0,
      targets: [{ values: ['u_1'], variation: 1 }],
      rules: [
        { id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro', 'team'] }], serve: { variation: 1 } },
        { id: 'beta', clauses: [{ op: 'segmentMatch', values: ['beta-testers'] }], serve: { variation: 1 } },
      ],
      fallthrough: { variation: 0 },
    },
    {
      key: 'ui-theme',
      on: true,
      variations: ['default', 'dark', 'contrast'],
      offVariation: 0,
      prerequisites: [{ key: 'checkout-v2', variation: 1 }],
      fallthrough: {
        rollout: {
          kind: 'experiment',
          variations: [
            { variation: 1, weight: 50000 },
            { variation: 2, weight: 50000 },
          ],
        },
      },
    },
    { key: 'banner', on: false, variations: [{ text: 'hi' }, { text: 'bye' }], offVariation: 1, fallthrough: { variation: 0 } },
  ],
};

/** A datafile of `n` flags with a mix of rules, for memory and load tests. */
export function bigDatafile(n: number, revision = 1) {
  const flags = [];
  for (let i = 0; i < n; i++) {
    flags.push({
      key: `flag-${i}`,
      on: i % 7 !== 0,
      variations: ['a', 'b', 'c'],
      offVariation: 0,
      targets: [{ values: [`user-${i}`, `user-${i + 1}`], variation: 2 }],
      rules: [
        { id: `r${i}`, clauses: [{ attribute: 'country', op: 'in', values: ['NO', 'SE', `X${i}`] }], serve: { variation: 1 } },
        { clauses: [{ attribute: 'appVersion', op: 'semVerGreaterThan', values: ['2.0.0'] }, { attribute: 'email', op: 'matches', values: ['@example\\.(com|org)$'] }], serve: { variation: 2 } },
      ],
      fallthrough: { rollout: { variations: [{ variation: 0, weight: 33333 }, { variation: 1, weight: 33333 }, { variation: 2, weight: 33334 }] } },
    });
  }
  return { schemaVersion: 1, revision, flags };
}
