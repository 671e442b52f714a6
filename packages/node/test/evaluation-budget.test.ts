import { expect, it } from 'vitest';
import { AvsbServer } from '../src/index';
import { MemoryLogger } from '@avsb/test-support';

// A flag that needs more work than one evaluation may do (engine SPEC.md §10)
// serves the caller's default with ERROR/EVALUATION_BUDGET, and metrics()
// counts it; ordinary flags leave the counters at 0.

const costly = {
  key: 'costly',
  on: true,
  variations: [false, true],
  offVariation: 0,
  rules: [
    {
      clauses: [{ attribute: 'bio', op: 'contains', values: Array.from({ length: 40 }, (_, i) => 'a'.repeat(99_999 - i) + 'b') }],
      serve: { variation: 1 },
    },
  ],
  fallthrough: { variation: 1 },
};
const plain = { key: 'plain', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } };

it('serves the default with EVALUATION_BUDGET for a flag that outgrows its budget, and counts it in metrics()', async () => {
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: { schemaVersion: 1, flags: [costly, plain] }, logger: new MemoryLogger() });
  await server.onReady({ timeoutMs: 0 });
  const scoped = server.forUser({ key: 'u_1', bio: 'a'.repeat(1_000_000) });
  expect(scoped.getBoolFlag('plain', false)).toBe(true);
  expect(server.metrics()).toMatchObject({ evaluationBudgetExhaustions: 0, regexBudgetExhaustions: 0 });
  const d = scoped.getBoolFlagDetails('costly', false);
  expect(d.value).toBe(false);
  expect(d.reason).toMatchObject({ kind: 'ERROR', errorKind: 'EVALUATION_BUDGET' });
  expect(scoped.getBoolFlag('costly', true)).toBe(true);
  expect(server.metrics()).toMatchObject({ evaluationBudgetExhaustions: 2, regexBudgetExhaustions: 0 });
  scoped.close();
  await server.close();
}, 30_000);
