import { AvsbEngine } from '@avsb/engine';
import { TestDataError } from './values';

let engine: AvsbEngine | null = null;

/**
 * Loads `datafile` into a private engine (shared by every `TestData`, used
 * for nothing else) and throws `TestDataError` with the engine's message when
 * it is refused, or with every problem the engine would work around (a clause
 * that never matches, a malformed flag), so a mistake in a test's flags shows
 * where it was made.
 */
export function validateDatafile(datafile: object, what: string): void {
  engine ??= AvsbEngine.createSync();
  const result = engine.load(datafile);
  if (!result.ok) throw new TestDataError(`${what}: the rules engine refused it: ${result.error}`);
  if (result.warningCount > 0) {
    const problems = result.warnings.map((w) => `${w.path}: ${w.message}`).join('; ');
    throw new TestDataError(`${what}: the rules engine refused it: ${problems}`);
  }
}

/** Checks one flag alone (with no segments: a `segmentMatch` on an unknown segment is allowed). */
export function validateFlag(flag: object, what: string): void {
  if (flag === null || typeof flag !== 'object') throw new TestDataError(`${what}: a flag must be an object`);
  validateDatafile({ schemaVersion: 1, flags: [flag] }, what);
}
