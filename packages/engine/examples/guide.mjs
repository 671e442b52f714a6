// Evaluates the user's guide flags through the real engine: `pnpm start`.
import { AvsbEngine } from '../dist/index.js';
import { engineWasmModule } from '../dist/node.js';

const datafile = {
  schemaVersion: 1,
  revision: 1,
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
        { id: 'beta', clauses: [{ op: 'segmentMatch', values: ['beta-testers'] }], serve: { variation: 1 } },
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
    { key: 'ui-theme', on: true, variations: ['default', 'dark'], offVariation: 0, fallthrough: { variation: 1 } },
  ],
};

const engine = AvsbEngine.createSync(engineWasmModule());
const loaded = engine.load(datafile);
if (!loaded.ok) throw new Error(loaded.error);

const users = [
  { kind: 'user', key: 'u_1', plan: 'free' },
  { kind: 'user', key: 'u_2', plan: 'pro' },
  { kind: 'user', key: 'u_7', plan: 'free' },
  { kind: 'user', key: 'anon', plan: 'free' },
];
for (const user of users) {
  const ctx = engine.registerContext(user);
  const checkout = engine.evaluate(ctx, 'checkout-v2');
  const theme = engine.evaluate(ctx, 'ui-theme');
  console.log(
    `${user.key.padEnd(5)} checkout-v2=${String(checkout.value).padEnd(5)} (${checkout.reason.kind}${checkout.inExperiment ? ', in experiment' : ''})  ui-theme=${theme.value}`,
  );
  engine.releaseContext(ctx);
}
