/**
 * `@avsb/validator`: every problem of an A vs B datafile or project
 * document, each with its JSON path, in one pass (README.md).
 */
export type { Problem } from './problem';
export type { DatafileOptions, ValidationResult } from './validator';
export { Validator, sharedValidator, validateDatafile, validateProjectDocument } from './validator';
