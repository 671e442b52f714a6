// A host returns its own result as it is: the engine's EvaluationDetail names the index `variationIndex`, and
// `runConformance` takes it (its type and its comparison alike). `pnpm --filter @avsb/conformance typecheck` compiles
// this file, so the type half fails there, not only here.
import { describe, expect, it } from 'vitest';
import type { ConformanceHost, HostResult } from './index';
import { loadCaseFiles, normalizeResult, runConformance } from './index';
import { createReferenceHost } from './reference';

/** The engine's result type as written in @avsb/engine (an interface, readonly members, a union of reasons). */
interface EngineDetail {
  readonly value: unknown;
  readonly variationIndex: number | null;
  readonly reason:
    | { readonly kind: 'FALLTHROUGH' }
    | { readonly kind: 'RULE_MATCH'; readonly ruleIndex: number; readonly ruleId: string | null }
    | { readonly kind: 'ERROR'; readonly errorKind: string };
  readonly inExperiment: boolean;
}

/** The reference model's answers reshaped as the engine's, returned as they are (no mapping in the host). */
function engineShapedHost(): ConformanceHost {
  const reference = createReferenceHost();
  return {
    load: (datafile) => reference.load(datafile),
    async evaluate(context, flagKey): Promise<EngineDetail | string> {
      const r = await reference.evaluate(context, flagKey);
      if (typeof r === 'string') return r;
      const { variation, ...rest } = normalizeResult(r);
      return { ...rest, variationIndex: variation, reason: rest.reason as EngineDetail['reason'] };
    },
  };
}

describe('a host that returns the engine’s shape (variationIndex)', () => {
  // files whose expectations serve an index, and none (offVariation null, errors)
  const files = loadCaseFiles().filter((f) => ['rules.json', 'off.json', 'errors.json'].includes(f.file));
  it('runs the files the test below registers', () => expect(files.map((f) => f.file)).toEqual(['errors.json', 'off.json', 'rules.json']));
  runConformance(engineShapedHost(), { describe, it, expect }, { files });
});

it('normalises either name of the index to the vectors’ `variation`', () => {
  const reason = { kind: 'FALLTHROUGH' };
  expect(normalizeResult({ value: 'b', variationIndex: 1, reason, inExperiment: false })).toEqual({ value: 'b', variation: 1, reason, inExperiment: false });
  expect(normalizeResult({ value: null, variationIndex: null, reason, inExperiment: false }).variation).toBeNull();
  expect(normalizeResult({ value: 'b', variation: 1, reason, inExperiment: false }).variation).toBe(1);
});

it('types a result that names the index neither way as no result', () => {
  // @ts-expect-error a result must name the served index (`variation` or `variationIndex`)
  const nameless: HostResult = { value: null, reason: { kind: 'OFF' }, inExperiment: false };
  expect(normalizeResult(nameless).variation).toBeNull();
});
