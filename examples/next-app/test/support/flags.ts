// Test support: the flags of the test projects the example runs against.

/** The flags of the test project: `checkout-v2` on the server only, `ui-theme` for the browser too. */
export const NEXT_APP_FLAGS: readonly unknown[] = [
  {
    key: 'checkout-v2',
    on: true,
    variations: [false, true],
    offVariation: 0,
    targets: [{ values: ['u_1'], variation: 1 }],
    rules: [{ id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
    fallthrough: { variation: 0 },
  },
  {
    key: 'ui-theme',
    on: true,
    clientSide: true,
    variations: ['default', 'dark'],
    offVariation: 0,
    targets: [{ values: ['u_7'], variation: 1 }],
    rules: [{ id: 'staff', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@avsb.dev'] }], serve: { variation: 1 } }],
    fallthrough: { variation: 0 },
  },
];
