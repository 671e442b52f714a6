/** What an SDK option takes, for {@link optionProblem}. */
export type OptionRule = 'boolean' | 'milliseconds' | 'count' | 'logLevel' | 'logger';

const LEVELS: readonly unknown[] = ['debug', 'info', 'warn', 'error', 'none'];
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * What is wrong with the value of the option `name`, or `null` when it is usable or not given (`undefined`). An SDK
 * that takes options from JavaScript or the environment's text (`logLevel: 'WARN'`, `streaming: 'false'`,
 * `pollIntervalMs: '5000'`, `logger: console.log`) says so at construction instead of quietly doing something else.
 * The problem names the option, what it takes and what it was given (a number, or a string's first 40 characters:
 * options hold no secrets; the SDK key has its own check), and each SDK adds its own name before it.
 *
 * | rule | takes |
 * |---|---|
 * | `boolean` | `true` or `false` |
 * | `milliseconds` | a number ≥ 0 (`Infinity` too: delays are clamped where they reach a timer) |
 * | `count` | a whole number ≥ 0 |
 * | `logLevel` | `'debug'`, `'info'`, `'warn'`, `'error'` or `'none'` |
 * | `logger` | an object with `debug`, `info`, `warn` and `error` methods |
 */
export function optionProblem(name: string, value: unknown, rule: OptionRule): string | null {
  if (value === undefined || optionValueFits(value, rule)) return null;
  switch (rule) {
    case 'boolean':
      return `${name} must be true or false, not ${shownOptionValue(value)}`;
    case 'milliseconds':
      return `${name} must be a number of milliseconds (0 or more) such as 5000, not ${shownOptionValue(value)}${fromText(value)}`;
    case 'count':
      return `${name} must be a whole number (0 or more), not ${shownOptionValue(value)}${fromText(value)}`;
    case 'logLevel':
      return `${name} must be 'debug', 'info', 'warn', 'error' or 'none', not ${shownOptionValue(value)}`;
    case 'logger':
      return `${name} must be an object with debug, info, warn and error methods (console, or your logging library's logger), not ${shownOptionValue(value)}`;
  }
}

/**
 * Whether `value` is what `rule` takes (the table of {@link optionProblem}), without the words: a web page's
 * production build decides with this alone and reports the options by name, leaving the texts out of its bytes.
 */
export function optionValueFits(value: unknown, rule: OptionRule): boolean {
  switch (rule) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'milliseconds':
      return typeof value === 'number' && value >= 0;
    case 'count':
      return Number.isInteger(value) && (value as number) >= 0;
    case 'logLevel':
      return LEVELS.includes(value);
    case 'logger':
      return typeof value === 'object' && value !== null && LOGGER_METHODS.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  }
}

/**
 * Every problem of `options` by the table `rules` (`[name, rule]` pairs), in the table's order: what an SDK's
 * constructor joins into the one error it throws.
 */
export function optionProblems(options: object, rules: readonly (readonly [string, OptionRule])[]): string[] {
  const problems: string[] = [];
  for (const [name, rule] of rules) {
    const problem = optionProblem(name, (options as Record<string, unknown>)[name], rule);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/** How an option's value reads in a message: a string's first 40 characters quoted (options hold no secrets), else its kind. */
export function shownOptionValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

// a number read from process.env is text until the application converts it
function fromText(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? " (Number(…) reads one from the environment's text)" : '';
}
