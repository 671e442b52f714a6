import { AvsbEngine, type EvaluationDetail, type EvaluationReason } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { bool, expectPositionals, parseCommandArgs, str } from '../lib/args';
import { readDatafile } from '../lib/datafile-file';
import { readTextFile } from '../lib/document';
import { request, serverUrl } from '../lib/http';
import { type CliIo, CliError, UsageError } from '../lib/io';

export async function evalCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', args, {
    context: { type: 'string' },
    datafile: { type: 'string' },
    server: { type: 'string' },
    'sdk-key': { type: 'string' },
    json: { type: 'boolean' },
  });
  const [flag] = expectPositionals('eval', positionals, ['flag']) as [string];
  const contextArg = str(values, 'context');
  if (contextArg === undefined) throw new UsageError('--context is required', 'eval');
  const datafileArg = str(values, 'datafile');
  const serverFlag = str(values, 'server');
  const sdkKey = str(values, 'sdk-key') ?? io.env.AVSB_SDK_KEY;
  if (datafileArg !== undefined && serverFlag !== undefined) throw new UsageError('give either --datafile or --server, not both', 'eval');
  // AVSB_SERVER stands for --server, as in the other commands; --datafile wins over it
  const serverArg = datafileArg === undefined ? (serverFlag ?? (io.env.AVSB_SERVER || undefined)) : undefined;
  if (datafileArg === undefined && serverArg === undefined) {
    throw new UsageError('give --datafile <file>, or --server <url> (or AVSB_SERVER) with --sdk-key <key> (or AVSB_SDK_KEY)', 'eval');
  }
  if (serverArg !== undefined && !sdkKey) throw new UsageError('--server needs --sdk-key <key> (or AVSB_SDK_KEY)', 'eval');

  const context = await readContext(contextArg, io);
  const datafile = datafileArg !== undefined ? await readDatafile(datafileArg, io) : await fetchDatafile(serverUrl('eval', serverArg!, serverFlag === undefined ? 'AVSB_SERVER' : '--server'), sdkKey!);

  const engine = await AvsbEngine.create(engineWasmModule());
  const loaded = engine.load(datafile.text);
  if (!loaded.ok) {
    throw new CliError(`${datafile.source}: invalid datafile: ${loaded.error}${datafileArg !== undefined ? ` (avsb validate ${datafileArg} lists every problem)` : ''}`);
  }
  // A datafile with problems still loads (the broken flags answer MALFORMED_FLAG, as in the SDKs); say where they are
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${datafile.source}: ${warning.path}: ${warning.message}\n`);
  if (loaded.warningCount > loaded.warnings.length) {
    io.stderr.write(`warning: ${datafile.source}: ${loaded.warningCount - loaded.warnings.length} more problems\n`);
  }
  let handle: number;
  try {
    handle = engine.registerContext(context);
  } catch (error) {
    throw new UsageError(`invalid --context: ${(error as Error).message}`, 'eval');
  }
  const detail = engine.evaluate(handle, flag);
  engine.releaseContext(handle);

  if (bool(values, 'json')) {
    const out = { flag, value: detail.value, variationIndex: detail.variationIndex, reason: detail.reason, inExperiment: detail.inExperiment };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout.write(formatDetail(flag, detail));
  }
  if (detail.reason.kind === 'ERROR') {
    if (detail.reason.errorKind === 'FLAG_NOT_FOUND') {
      const known = engine.flagKeys;
      const hint = known.length ? ` (flags: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : ' (it has no flags)';
      io.stderr.write(`error: flag ${JSON.stringify(flag)} is not in ${datafile.source}${hint}\n`);
    } else {
      io.stderr.write(`error: evaluation failed: ${detail.reason.errorKind}\n`);
    }
    return 1;
  }
  return 0;
}

async function readContext(arg: string, io: CliIo): Promise<object> {
  let text = arg;
  if (arg.startsWith('@')) {
    try {
      text = await readTextFile(arg.slice(1), io.cwd);
    } catch (error) {
      throw new UsageError(`--context: ${(error as Error).message}`, 'eval');
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--context is not valid JSON: ${(error as Error).message}`, 'eval');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--context must be a JSON object, e.g. {"kind":"user","key":"u_1"}', 'eval');
  }
  return value;
}

/** GET /sdk/v1/datafile with the key in the Authorization header. The key never reaches any output. */
async function fetchDatafile(server: string, key: string): Promise<{ text: string; source: string }> {
  const answer = await request(`${server}/sdk/v1/datafile`, {
    headers: { authorization: key, accept: 'application/json' },
    credential: 'SDK key',
    secrets: [key],
    what: 'the datafile',
  });
  return { text: answer.text, source: `the datafile of ${new URL(server).origin}` };
}

export function formatReason(reason: EvaluationReason): string {
  switch (reason.kind) {
    case 'RULE_MATCH':
      return `RULE_MATCH (rule ${reason.ruleIndex}${reason.ruleId ? ` "${reason.ruleId}"` : ''})`;
    case 'PREREQUISITE_FAILED':
      return `PREREQUISITE_FAILED (prerequisite ${reason.prerequisiteIndex}: "${reason.prerequisiteKey}")`;
    case 'ERROR':
      return `ERROR (${reason.errorKind})`;
    default:
      return reason.kind;
  }
}

export function formatDetail(flag: string, detail: EvaluationDetail): string {
  const value = detail.variationIndex === null ? "none (the caller's default)" : JSON.stringify(detail.value);
  return [
    `flag:          ${flag}`,
    `value:         ${value}`,
    `variation:     ${detail.variationIndex ?? 'none'}`,
    `reason:        ${formatReason(detail.reason)}`,
    `in experiment: ${detail.inExperiment ? 'yes' : 'no'}`,
    '',
  ].join('\n');
}
