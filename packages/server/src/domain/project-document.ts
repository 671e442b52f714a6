import { isObject } from '@avsb/common';
import { nestsDeeperThan } from '@avsb/protocol';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { AvsbError, notFound } from '../errors';
import { adminForm } from '../storage/item-form';
import type { JsonObject, ProjectImport, ProjectRecord, StoredItem } from '../storage/records';
import type { Store } from '../storage/store';
import { tooDeepMessage } from './json-depth';
import { KEY_PATTERN, generateEnvironmentKeys } from './keys';
import { parseItem } from './editor';
import type { DatafileValidator } from './validator';
import { refusal, sharedValidator } from './validator';

/** The two serialisations of a project document. */
export type ProjectFormat = 'json' | 'yaml';

/** Keys of projects, environments, flags and segments (one rule, in `keys.ts`). */
export { KEY_PATTERN };

/**
 * A whole project as exported and imported (ADMIN-API.md): environments with
 * flags and segments in datafile form plus `name`/`description`. Keys are
 * never part of it.
 */
export interface ProjectDocument {
  key: string;
  name: string;
  environments: { key: string; name: string; flags: JsonObject[]; segments: JsonObject[] }[];
}

/** Reads a project from the store as a document. */
export async function projectDocument(store: Store, projectKey: string): Promise<ProjectDocument> {
  const project = await store.getProject(projectKey);
  if (!project) throw notFound(`project "${projectKey}" not found`);
  const environments: ProjectDocument['environments'] = [];
  for (const env of project.environments) {
    const snapshot = await store.readEnvironment(env.id);
    if (!snapshot) continue;
    environments.push({
      key: env.key,
      name: env.name,
      flags: snapshot.flags.map(adminForm),
      segments: snapshot.segments.map(adminForm),
    });
  }
  return { key: project.key, name: project.name, environments };
}

/** Exports a project as JSON or YAML text (what `GET …/export` and `avsb export` produce). */
export async function exportProject(store: Store, projectKey: string, format: ProjectFormat = 'json'): Promise<string> {
  const document = await projectDocument(store, projectKey);
  return format === 'yaml' ? stringifyYaml(document) : `${JSON.stringify(document, null, 2)}\n`;
}

/** Options of {@link importProject}. */
export interface ImportOptions {
  /** Overwrite an existing project with the same key (else `conflict`). */
  readonly replace?: boolean;
  /** How `text` is written; guessed when omitted (JSON when it starts with `{`). */
  readonly format?: ProjectFormat;
  /** The validator to use; a process-wide one by default. */
  readonly validator?: DatafileValidator;
}

/**
 * Imports a project document (text in JSON or YAML, or an already parsed
 * object): checked shape, every environment's datafile validated by the
 * engine (errors name the path, `environments[0].flags[1].rules[0]…`), then
 * stored in one transaction. New environments get fresh keys.
 */
export async function importProject(store: Store, input: string | object, options: ImportOptions = {}): Promise<ProjectRecord> {
  const raw = typeof input === 'string' ? parseProjectText(input, options.format) : input;
  const document = validateProjectDocument(raw, options.validator ?? (await sharedValidator()));
  return store.importProject(document, { replace: options.replace === true, newKeys: generateEnvironmentKeys });
}

/** Parses document text; a syntax error is `invalid_project` with the parser's message. */
export function parseProjectText(text: string, format?: ProjectFormat): unknown {
  const asJson = format ? format === 'json' : /^\s*\{/.test(text);
  try {
    return asJson ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new AvsbError('invalid_project', `the document is not valid ${asJson ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}

/**
 * Checks a parsed document with `@avsb/validator` (what `avsb validate`
 * and `avsb import` run too: every problem, in `problems` of the error)
 * and turns it into what the store imports.
 */
export function validateProjectDocument(raw: unknown, validator: DatafileValidator): ProjectImport {
  const fail = (message: string) => new AvsbError('invalid_project', message);
  if (!isObject(raw)) throw fail('the document must be an object with key, name and environments');
  if (nestsDeeperThan(raw)) throw fail(tooDeepMessage('the document'));
  const problems = validator.projectProblems(raw);
  if (problems.length > 0) throw refusal('invalid_project', problems);
  // the validator checked keys, names and shapes; what is left is the conversion
  const document = raw as unknown as ProjectDocument;
  const environments = (document.environments ?? []).map((env, i) => {
    const at = `environments[${i}]`;
    const flags = items(env.flags, 'flag', `${at}.flags`, fail);
    const segments = items(env.segments, 'segment', `${at}.segments`, fail);
    return { key: env.key, name: env.name ?? env.key, flags, segments };
  });
  return { key: document.key, name: document.name ?? document.key, environments };
}

function items(value: unknown, kind: StoredItem['kind'], at: string, fail: (m: string) => AvsbError): StoredItem[] {
  return ((value ?? []) as JsonObject[]).map((item, i) => {
    try {
      return parseItem(kind, item.key as string, item);
    } catch (error) {
      throw fail(`${at}[${i}].${(error as Error).message}`);
    }
  });
}
