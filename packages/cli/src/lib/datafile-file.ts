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
  return { text: parsed.format === 'json' ? text : JSON.stringify(parsed.value), source: file };
}
