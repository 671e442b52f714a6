import { expect, it } from 'vitest';
import type { OptionRule } from './option-check';
import { optionProblems } from './option-check';

const RULES: readonly (readonly ['streaming' | 'pollIntervalMs' | 'logLevel', OptionRule])[] = [
  ['streaming', 'boolean'],
  ['pollIntervalMs', 'milliseconds'],
  ['logLevel', 'logLevel'],
];

it('lists every wrong option in the table\'s order, and nothing for options left out or right', () => {
  expect(optionProblems({}, RULES)).toEqual([]);
  expect(optionProblems({ streaming: false, pollIntervalMs: 5000, logLevel: 'warn' }, RULES)).toEqual([]);
  expect(optionProblems({ logLevel: 'WARN', streaming: 'false', pollIntervalMs: '5000' }, RULES)).toEqual([
    'streaming must be true or false, not "false"',
    "pollIntervalMs must be a number of milliseconds (0 or more) such as 5000, not \"5000\" (Number(…) reads one from the environment's text)",
    "logLevel must be 'debug', 'info', 'warn', 'error' or 'none', not \"WARN\"",
  ]);
});
