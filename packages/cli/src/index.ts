/**
 * The programmatic side of `@avsb/cli`: run a command line in-process, or
 * use the checks and formatting the `avsb` commands are built on.
 */
export { runCli, VERSION } from './run';
export type { CliIo } from './lib/io';
export { validateText, validateValue } from './lib/validate';
export type { DocumentKind, ValidationReport } from './lib/validate';
export type { Problem } from './lib/document';
export { formatResults } from './commands/results';
export type { ExperimentResults, ResultsVariation } from './commands/results';
export { formatDetail, formatReason } from './commands/eval';
export { COMMANDS } from './help';
