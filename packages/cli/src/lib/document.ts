import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { parseDocument as parseYamlDocument } from 'yaml';
import { type CliIo, CliError } from './io';

/** One thing wrong with a document: a JSON path (`flags[2].rules[0].op`) and what is wrong there. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type DocumentFormat = 'json' | 'yaml';

export type ParsedDocument =
  | { readonly ok: true; readonly value: unknown; readonly format: DocumentFormat }
  | { readonly ok: false; readonly format: DocumentFormat; readonly problems: Problem[] };

/** JSON or YAML: by extension (`.json`, `.yaml`, `.yml`), else by content (JSON starts with `{` or `[`). */
export function detectFormat(text: string, filename?: string): DocumentFormat {
  const ext = filename ? path.extname(filename).toLowerCase() : '';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

const MAX_ALIAS_COUNT = 1000;

/** Parses JSON or YAML text; syntax errors become problems with line and column. */
export function parseDocumentText(text: string, filename?: string): ParsedDocument {
  const format = detectFormat(text, filename);
  const body = text.replace(/^\uFEFF/, '');
  if (format === 'json') {
    try {
      return { ok: true, value: JSON.parse(body), format };
    } catch (error) {
      return { ok: false, format, problems: [{ path: '(document)', message: jsonSyntaxMessage(body, error) }] };
    }
  }
  const doc = parseYamlDocument(body, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      format,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
        return { path: '(document)', message: `invalid YAML${where}: ${firstLine(e.message)}` };
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), format };
  } catch (error) {
    // the yaml library refuses aliases that expand past the limit (a "billion laughs" document) only here, with a throw
    const message = `invalid YAML: its aliases (*name) expand past the limit of ${MAX_ALIAS_COUNT}; write the values out instead (${firstLine((error as Error).message)})`;
    return { ok: false, format, problems: [{ path: '(document)', message }] };
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

let syntaxEngine: AvsbEngine | undefined;

/**
 * "invalid JSON at line 3, column 7: expected a value". V8's messages do not
 * always carry a position, the engine's JSON lexer does (a byte offset).
 */
function jsonSyntaxMessage(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  let offset: number | undefined;
  let reason = raw.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
  const v8 = /at position (\d+)/.exec(raw);
  if (v8) offset = Number(v8[1]);
  try {
    syntaxEngine ??= AvsbEngine.createSync(engineWasmModule());
    const result = syntaxEngine.load(text);
    const m = result.ok ? null : /invalid JSON at byte (\d+): (.*)$/.exec(result.error);
    if (m) {
      offset = Buffer.from(text, 'utf8').subarray(0, Number(m[1])).toString('utf8').length;
      reason = m[2]!;
    }
  } catch {
    // keep V8's answer
  }
  if (offset === undefined) return `invalid JSON: ${reason}`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${reason}`;
}

/** A file a command was given (relative to the working directory), or a CliError saying why it cannot be read. */
export async function readInputFile(file: string, io: CliIo): Promise<string> {
  try {
    return await readTextFile(file, io.cwd);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** Reads a file relative to `cwd`; a missing file is a clear error. */
export async function readTextFile(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file}: no such file`);
    if (code === 'EISDIR') throw new Error(`${file}: is a directory`);
    throw new Error(`${file}: cannot read (${code ?? String(error)})`);
  }
}
