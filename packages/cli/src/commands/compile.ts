import { compileDatafile } from '@avsb/engine/compiler';
import { expectPositionals, parseCommandArgs, str } from '../lib/args';
import { readDatafile } from '../lib/datafile-file';
import { type CliIo, CliError, writeOutFile } from '../lib/io';

/**
 * `avsb compile <datafile>`: the compiled datafile document that the
 * evaluator (`avsb-evaluator.wasm`) loads, for applications that bootstrap
 * from a file (`initialDatafile` with `engineBinary: 'evaluator'`). Checked
 * by the full engine first: what `load` refuses is refused with its message,
 * and its warnings are printed as `avsb eval` prints them.
 */
export async function compileCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('compile', args, { out: { type: 'string', short: 'o' } });
  const [file] = expectPositionals('compile', positionals, ['datafile']) as [string];
  const out = str(values, 'out');
  const datafile = await readDatafile(file, io);
  const result = compileDatafile(datafile.text);
  if (!result.ok) throw new CliError(`${file}: invalid datafile: ${result.error} (avsb validate ${file} lists every problem)`);
  for (const warning of result.warnings) io.stderr.write(`warning: ${file}: ${warning.path}: ${warning.message}\n`);
  if (result.warningCount > result.warnings.length) io.stderr.write(`warning: ${file}: ${result.warningCount - result.warnings.length} more problems\n`);
  const text = `${JSON.stringify(result.document)}\n`;
  if (out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  await writeOutFile(io, out, text);
  const flags = result.document.flags.length;
  io.stdout.write(`ok: ${out}: ${flags} flag${flags === 1 ? '' : 's'} compiled from ${file} (${Buffer.byteLength(text)} bytes)\n`);
  return 0;
}
