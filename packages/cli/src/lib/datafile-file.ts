import { parseDocumentText, readInputFile } from './document';
import { type CliIo, CliError } from './io';

/**
 * A datafile file given on the command line (`avsb eval --datafile`, `avsb
 * compile`), JSON or YAML, as JSON text for the engine; `source` names it in
 * messages. Unreadable or unparsable: a CliError saying so.
 */
export async function readDatafile(file: string, io: CliIo): Promise<{ text: string; source: string }> {
  const text = await readInputFile(file, io);
  // YAML datafiles are accepted too; JSON goes to the engine as is.
  const parsed = parseDocumentText(text, file);
  if (!parsed.ok) throw new CliError(`${file}: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const projectDocument = projectDocumentKeys(parsed.value);
  if (projectDocument) {
    // the engine would only say "schemaVersion: is required": name the two formats and how to get the right one
    const { project, environment } = projectDocument;
    throw new CliError(
      `${file}: a project document (avsb export's format), not a datafile: save an environment's datafile first, e.g. ` +
        `curl -H "Authorization: Bearer $AVSB_ADMIN_TOKEN" "$AVSB_SERVER/api/v1/projects/${project}/environments/${environment}/datafile" > datafile.json`,
    );
  }
  return { text: parsed.format === 'json' ? text : JSON.stringify(parsed.value), source: file };
}

/** The project and first environment keys of a project document (no `schemaVersion`, an `environments` array). */
function projectDocumentKeys(value: unknown): { project: string; environment: string } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const doc = value as Record<string, unknown>;
  if ('schemaVersion' in doc || !Array.isArray(doc.environments)) return null;
  const first = doc.environments[0] as { key?: unknown } | undefined;
  const keyOf = (v: unknown, fallback: string) => (typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v) ? v : fallback);
  return { project: keyOf(doc.key, '<project>'), environment: keyOf(first?.key, '<environment>') };
}
