/**
 * The checks of the providers' constructor arguments. A wrong first argument (nothing, an SDK key, the server's or the
 * client's options where the other provider's kind is meant, a provider option beside the client's) once failed later
 * and far away: a `TypeError` from `initialize`, every read `GENERAL: this._server.forUser is not a function`, a stack
 * trace from every shutdown, or an option silently ignored. Each now throws at construction, naming what to pass.
 */

import { optionProblems } from '@avsb/core/page';
import type { OptionRule } from '@avsb/core/page';

/**
 * Throws a `TypeError` naming each of the provider's options whose value is of the wrong type (`readyTimeoutMs: '2000'`
 * from the environment's text, `closeServer: 'false'`), with the rules of the SDKs' own options (`optionProblem`).
 */
export function checkProviderOptions(provider: string, options: object, rules: readonly (readonly [string, OptionRule])[]): void {
  const problems = optionProblems(options, rules);
  if (problems.length > 0) throw new TypeError(`new ${provider}: ${problems.join('; ')}`);
}

/** How `value` reads in a message, without quoting it: a string there is likely an SDK key, which is never echoed. */
export function describeArgument(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return /^(srv|cli|adm)-/.test(value) ? `a ${value.slice(0, 3)}-… key` : 'a string';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

/** Whether `value` has every one of `methods` as a function. */
export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/** The names of `optionNames` that `value` holds (not `undefined`). */
export function misplacedOptions(value: object, optionNames: readonly string[]): string[] {
  return optionNames.filter((name) => (value as Record<string, unknown>)[name] !== undefined);
}
