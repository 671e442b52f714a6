import { isObject } from '@avsb/common';
import { sharedValidator } from '@avsb/validator';
import { type Problem, parseDocumentText } from './document';

export type DocumentKind = 'datafile' | 'project';

/** Everything `avsb validate` found in one document. */
export interface ValidationReport {
  /** What the document was taken for; `null` when it is neither. */
  readonly kind: DocumentKind | null;
  /** Every problem, in document order, each with its JSON path. Empty when valid. */
  readonly problems: Problem[];
  /** One line: what the document holds (when valid) or how many problems it has. */
  readonly summary: string;
}

/** Options of {@link validateText} and {@link validateValue}. */
export interface ValidateOptions {
  /** Called once the document's flags are checked, with the count and the total of the document. */
  readonly onProgress?: (flagsChecked: number, flagsTotal: number) => void;
}


/**
 * Validates a datafile (SPEC.md) or a project document (ADMIN-API.md) given
 * as JSON or YAML text, with `@avsb/validator`: the validator the server's
 * admin API uses, so what passes here is what the server accepts.
 */
export async function validateText(text: string, filename?: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const parsed = parseDocumentText(text, filename);
  if (!parsed.ok) return report(null, parsed.problems, '');
  return validateValue(parsed.value, options);
}

/** `validateText` for an already parsed value. */
export async function validateValue(value: unknown, options: ValidateOptions = {}): Promise<ValidationReport> {
  if (!isObject(value)) {
    return report(null, [{ path: '(document)', message: 'must be an object: a datafile or a project document' }], '');
  }
  if (!('schemaVersion' in value) && ('environments' in value || ('key' in value && !('flags' in value)))) {
    const envs = Array.isArray(value.environments) ? value.environments.filter(isObject) : [];
    const flags = envs.reduce((n, e) => n + (Array.isArray(e.flags) ? e.flags.length : 0), 0);
    const { problems } = sharedValidator().validateProjectDocument(value);
    options.onProgress?.(flags, flags);
    const segments = envs.reduce((n, e) => n + (Array.isArray(e.segments) ? e.segments.length : 0), 0);
    return report(
      'project',
      problems,
      `project ${JSON.stringify(value.key)}: ${plural(envs.length, 'environment')}, ${plural(flags, 'flag')}, ${plural(segments, 'segment')}`,
    );
  }
  if ('schemaVersion' in value || 'flags' in value) {
    const flags = Array.isArray(value.flags) ? value.flags.length : 0;
    const { problems } = sharedValidator().validateDatafile(value);
    options.onProgress?.(flags, flags);
    const segments = Array.isArray(value.segments) ? value.segments.length : 0;
    const revision = typeof value.revision === 'number' ? `, revision ${value.revision}` : '';
    return report('datafile', problems, `datafile: ${plural(flags, 'flag')}, ${plural(segments, 'segment')}${revision}`);
  }
  return report(
    null,
    [{ path: '(document)', message: 'neither a datafile (no "schemaVersion") nor a project document (no "environments")' }],
    '',
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function report(kind: DocumentKind | null, problems: readonly Problem[], validSummary: string): ValidationReport {
  const summary = problems.length === 0 ? `valid ${validSummary}` : plural(problems.length, 'problem');
  return { kind, problems: [...problems], summary };
}
