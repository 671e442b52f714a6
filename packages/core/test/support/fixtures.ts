import type { Datafile } from '../../src/index';

/** The user's guide flags, in datafile form. */
export function guideDatafile(revision = 1): Datafile {
  return {
    schemaVersion: 1,
    revision,
    segments: [{ key: 'beta-testers', included: ['u_7'] }],
    flags: [
      {
        key: 'checkout-v2',
        on: true,
        variations: [false, true],
        offVariation: 0,
        targets: [{ values: ['u_1'], variation: 1 }],
        rules: [
          { id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } },
        ],
        fallthrough: {
          rollout: {
            kind: 'experiment',
            variations: [
              { variation: 0, weight: 50000 },
              { variation: 1, weight: 50000 },
            ],
          },
        },
      },
      {
        key: 'ui-theme',
        on: true,
        clientSide: true,
        variations: ['default', 'dark'],
        offVariation: 0,
        rules: [{ id: 'beta', clauses: [{ op: 'segmentMatch', values: ['beta-testers'] }], serve: { variation: 1 } }],
        fallthrough: { variation: 0 },
      },
      { key: 'page-size', on: true, variations: [20, 50], offVariation: 0, fallthrough: { variation: 1 } },
      {
        key: 'banner',
        on: true,
        variations: [{ show: false }, { show: true, text: 'hi' }],
        offVariation: 0,
        prerequisites: [{ key: 'ui-theme', variation: 1 }],
        fallthrough: { variation: 1 },
      },
      { key: 'dark-launch', on: false, variations: [false, true], offVariation: null, fallthrough: { variation: 1 } },
    ],
  };
}
