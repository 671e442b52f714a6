import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { guideDatafile } from './support/fixtures';
import { wasmModule, type Binary } from './support/wasm';

// Integers in messages are appended to the error buffer digit by digit
// (errInt in util/error.ts), not by the standard library's itoa (issue 9):
// negative, multi-digit and beyond 2^32 they read as JavaScript writes them.
it.each<Binary>(['release', 'debug'])('writes integers in warnings as JavaScript does (%s)', (binary) => {
  const df = structuredClone(guideDatafile) as any;
  // one problem per flag or segment: the first one found is the one reported
  df.flags[0].offVariation = 12345678901;
  df.flags[1].fallthrough.rollout.variations[1].weight = 49990;
  df.flags[2].fallthrough = { variation: -1 };
  df.segments[0].rules[0].clauses[0] = { attribute: 'email', op: 'matches', values: ['ab(c'] };
  const result = AvsbEngine.createSync(wasmModule(binary)).load(df);
  if (!result.ok) throw new Error(result.error);
  expect(result.warnings).toEqual(
    expect.arrayContaining([
      { path: 'flags[0].offVariation', message: 'must be an integer from 0 to 1, not 12345678901' },
      { path: 'flags[2].fallthrough.variation', message: 'must be an integer from 0 to 1, not -1' },
      { path: 'flags[1].fallthrough.rollout.variations', message: 'weights must add up to 100000, not 99990' },
      { path: 'segments[0].rules[0].clauses[0].values[0]', message: 'invalid regular expression: missing closing ")" for group at offset 2' },
    ]),
  );
});
