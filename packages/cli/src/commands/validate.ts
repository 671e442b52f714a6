import { bool, expectPositionals, parseCommandArgs } from '../lib/args';
import { readInputFile } from '../lib/document';
import type { CliIo } from '../lib/io';
import { validateText } from '../lib/validate';

export async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, { json: { type: 'boolean' } });
  const [file] = expectPositionals('validate', positionals, ['file']) as [string];
  const text = await readInputFile(file, io);
  const result = await validateText(text, file);
  const valid = result.problems.length === 0;
  if (bool(values, 'json')) {
    io.stdout.write(`${JSON.stringify({ file, valid, kind: result.kind, problems: result.problems, summary: result.summary }, null, 2)}\n`);
    return valid ? 0 : 1;
  }
  if (valid) {
    io.stdout.write(`ok: ${file}: ${result.summary}\n`);
    return 0;
  }
  const kind = result.kind ? ` (${result.kind === 'project' ? 'project document' : 'datafile'})` : '';
  io.stdout.write(`${file}${kind}: ${result.summary}\n`);
  for (const p of result.problems) io.stdout.write(`  ${p.path}: ${p.message}\n`);
  return 1;
}
