import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// asc-utf8-texts.mjs lays out a message text only in a binary whose compiled
// code reads it: the evaluator, which neither checks a JSON datafile nor
// parses a pattern, carried all of them (2.7 KB) while they were one table.
const built = (file: string): Buffer => readFileSync(fileURLToPath(new URL(`../build/${file}`, import.meta.url)));
const has = (wasm: Buffer, text: string): boolean => wasm.includes(Buffer.from(text, 'utf8'));

// texts only the JSON load's checks and the regex parser write
const LOAD_ONLY = [
  'must be 1 (this engine reads datafile format v1)',
  'weights must add up to 100000, not ',
  'must have exactly one of "variation" or "rollout"',
  'unsupported lookbehind',
  'pattern too large: the compiled program exceeds the limit of 5000 instructions (counted repetition is expanded)',
];
// texts both binaries write
const SHARED = ['context: invalid encoding at byte ', 'a multi-kind context needs at least one kind'];

describe('message texts in the binaries', () => {
  const engine = built('avsb-engine.wasm');
  const evaluator = built('avsb-evaluator.wasm');

  it('the full engine carries the texts of its JSON load and of the regex parser', () => {
    for (const text of [...LOAD_ONLY, ...SHARED]) expect(has(engine, text), text).toBe(true);
  });

  it('the evaluator carries its own texts and none of the JSON load or the regex parser', () => {
    for (const text of SHARED) expect(has(evaluator, text), text).toBe(true);
    expect(has(evaluator, 'datafile: not a compiled datafile')).toBe(true);
    for (const text of LOAD_ONLY) expect(has(evaluator, text), text).toBe(false);
  });
});
