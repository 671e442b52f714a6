import { validateDatafile as validate } from '@avsb/validator';
import { TestDataError } from './values';

/**
 * Checks `datafile` with `@avsb/validator`, the validator the server's
 * admin API and `avsb validate` use, and throws `TestDataError` listing
 * every problem with its path (what the engine refuses, and what it would
 * work around: a clause that never matches, a malformed flag), so a mistake
 * in a test's flags shows where it was made and a flag the server would
 * refuse is refused here too.
 */
export function validateDatafile(datafile: object, what: string): void {
  const { problems } = validate(datafile);
  if (problems.length === 0) return;
  throw new TestDataError(`${what}: the rules engine refused it: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
}

/** Checks one flag alone (with no segments: a `segmentMatch` on an unknown segment is allowed). */
export function validateFlag(flag: object, what: string): void {
  if (flag === null || typeof flag !== 'object') throw new TestDataError(`${what}: a flag must be an object`);
  validateDatafile({ schemaVersion: 1, flags: [flag] }, what);
}
