import { importProject } from './domain/project-document';
import type { ProjectDocument } from './domain/project-document';
import type { JsonObject } from './storage/records';
import type { Store } from './storage/store';

const segments: JsonObject[] = [
  {
    key: 'beta-testers',
    name: 'Beta testers',
    description: 'People who asked for early features, and everyone at avsb.dev.',
    included: ['u_7', 'u_42'],
    rules: [{ id: 'staff-email', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@avsb.dev'] }] }],
  },
  {
    key: 'internal',
    name: 'Internal',
    description: 'Our own accounts.',
    included: ['u_admin'],
    rules: [{ id: 'internal-teams', clauses: [{ attribute: 'team', op: 'in', values: ['engineering', 'support'] }] }],
  },
];

function flags(environment: 'production' | 'staging'): JsonObject[] {
  return [
    {
      key: 'checkout-v2',
      name: 'Checkout v2',
      description: 'The new one-page checkout: on for u_1 and pro plans, a 50/50 experiment for everyone else.',
      on: true,
      variations: [false, true],
      offVariation: 0,
      targets: [{ values: ['u_1'], variation: 1 }],
      rules: [{ id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
      fallthrough:
        environment === 'production'
          ? {
              rollout: {
                kind: 'experiment',
                variations: [
                  { variation: 0, weight: 50000 },
                  { variation: 1, weight: 50000 },
                ],
              },
            }
          : { variation: 1 },
    },
    {
      key: 'ui-theme',
      name: 'UI theme',
      description: 'The colour theme of the web app; beta testers get the dark one.',
      on: true,
      clientSide: true,
      variations: ['default', 'dark', 'contrast'],
      offVariation: 0,
      rules: [{ id: 'beta', clauses: [{ op: 'segmentMatch', values: ['beta-testers'] }], serve: { variation: 1 } }],
      fallthrough: { variation: 0 },
    },
    {
      key: 'search-page-size',
      name: 'Search page size',
      description: 'Results per search page (a number flag).',
      on: true,
      variations: [20, 50, 100],
      offVariation: 0,
      rules: [{ id: 'internal', clauses: [{ op: 'segmentMatch', values: ['internal'] }], serve: { variation: 2 } }],
      fallthrough: { variation: 0 },
    },
    {
      key: 'promo-banner',
      name: 'Promo banner',
      description: 'The banner on the home page (a JSON flag).',
      on: environment === 'staging',
      clientSide: true,
      variations: [
        { show: false },
        { show: true, text: 'Free shipping this week', color: '#0a7' },
      ],
      offVariation: 0,
      fallthrough: { variation: 1 },
    },
  ];
}

/** The example project of the user's guide: `shop` with `production` and `staging`. */
export function exampleProject(): ProjectDocument {
  return {
    key: 'shop',
    name: 'Shop',
    environments: [
      { key: 'production', name: 'Production', flags: flags('production'), segments },
      { key: 'staging', name: 'Staging', flags: flags('staging'), segments },
    ],
  };
}

/**
 * Seeds the example project (`shop`: flags `checkout-v2`, `ui-theme`,
 * `search-page-size`, `promo-banner`; segments `beta-testers`, `internal`)
 * into an empty store. Does nothing when the store has any project; returns
 * whether it seeded.
 */
export async function seedExampleProject(store: Store): Promise<boolean> {
  if ((await store.listProjects()).length > 0) return false;
  await importProject(store, exampleProject());
  return true;
}
