import type { Problem } from '@avsb/validator';
import { Validator } from '@avsb/validator';
import { AvsbError } from '../errors';
import type { AvsbErrorCode } from '../errors';

/**
 * The server's door to `@avsb/validator`, the one validator that `avsb
 * validate`, `avsb import` and `@avsb/testing` use too: whatever the
 * server would serve must load in the engine without warnings, and
 * browsers must be able to evaluate its client-side flags.
 */
export class DatafileValidator {
  private constructor(private readonly _validator: Validator) {}

  /** Compiles the engine and the schemas (once per validator). */
  static async create(): Promise<DatafileValidator> {
    return new DatafileValidator(await Validator.create());
  }

  /** Every problem of a datafile, in document order (empty when it may be saved). */
  problems(datafile: object): readonly Problem[] {
    return this._validator.validateDatafile(datafile).problems;
  }

  /** Every problem of a project document (ADMIN-API.md), paths from the document's root. */
  projectProblems(document: unknown): readonly Problem[] {
    return this._validator.validateProjectDocument(document as object).problems;
  }

  /**
   * Null when the datafile may be saved, else its first problem with the
   * JSON path and how many more there are (all of them are in
   * {@link DatafileValidator.problems}).
   */
  check(datafile: object): string | null {
    const problems = this.problems(datafile);
    return problems.length === 0 ? null : summary(problems);
  }
}

/** `path: message` of the first problem, and how many more there are. */
export function summary(problems: readonly Problem[]): string {
  const [first] = problems;
  const more = problems.length - 1;
  return `${first!.path}: ${first!.message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`;
}

/** The error that refuses a document: its first problem in the message, every problem beside it. */
export function refusal(code: AvsbErrorCode, problems: readonly Problem[]): AvsbError {
  return new AvsbError(code, summary(problems), problems);
}

let shared: Promise<DatafileValidator> | null = null;

/** A validator shared by everything in this process. */
export function sharedValidator(): Promise<DatafileValidator> {
  shared ??= DatafileValidator.create();
  return shared;
}

/**
 * Makes a path about item `index` of `list` relative to that item
 * (`flags[3].rules[0].op` → `rules[0].op`); other paths are returned
 * unchanged. Works on a path alone or on a `path: message` text.
 */
export function relativeMessage(message: string, list: 'flags' | 'segments', index: number): string {
  const prefix = `${list}[${index}]`;
  if (message.startsWith(`${prefix}.`)) return message.slice(prefix.length + 1);
  return message;
}
