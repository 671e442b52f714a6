// Typechecks the blocks of a set of READMEs: each block written as a module in a work directory inside the workspace
// (so that `@avsb/*` and the frameworks resolve through this package's node_modules to the built packages' types,
// exactly as a user's import would), one tsc program per target, each failure mapped back to README path and line.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import type { Target } from './markdown';
import { scanMarkdown } from './markdown';
import type { SkippedBlock, SourceLine } from './modules';
import { buildModules, writeModule } from './modules';
import { compilerOptions, defaultTarget, environment } from './targets';

export interface CheckOptions {
  /** The directory README paths are relative to (the workspace root). */
  root: string;
  /** README paths, relative to `root`. */
  readmes: readonly string[];
  /** Where the work directory is made: a folder whose node_modules hold the packages the blocks import. */
  workParent: string;
  /** Keep the written modules (their folder is in the result) instead of removing them. */
  keep?: boolean;
}

/** One failure: a tsc error in a block (or its prelude), or a problem with the README's markers. */
export interface Failure {
  readme: string;
  line: number;
  column: number;
  /** tsc's error code; absent for a marker problem. */
  code?: number;
  message: string;
  /** The error is in the hidden prelude written before the block, at the marker's line. */
  prelude?: boolean;
}

export interface CheckResult {
  failures: Failure[];
  /** Blocks typechecked. */
  checked: number;
  skipped: (SkippedBlock & { readme: string })[];
  /** Per program: its target, whether it holds the READMEs that declare globals, its snippet modules, its time. */
  programs: { target: Target; declarations: boolean; modules: number; ms: number }[];
  /** The written modules' folder, when `keep` was asked. */
  workDir?: string;
}

// a declaration file referenced by a block declares globals as `declare global` does
const GLOBAL_DECLARATION = /^\s*(?:declare\s+(?:global\b|module\s)|\/\/\/\s*<reference\s+types=)/m;

interface Origin {
  readme: string;
  lines: SourceLine[];
}

/**
 * Checks every block of `readmes`; never throws for what is in the READMEs, only for a README it cannot read or one
 * outside `root`.
 */
export function checkReadmes(options: CheckOptions): CheckResult {
  const failures: Failure[] = [];
  const skipped: CheckResult['skipped'] = [];
  // One program per target, and a second one for the READMEs whose blocks declare globals or augment a module
  // (Express's `req.user`, Fastify's `FastifyRequest`): in the first, those declarations would reach every other
  // README's blocks and hide the ones they forget.
  const programsByKey = new Map<string, { target: Target; declarations: boolean; roots: string[] }>();
  const origins = new Map<string, Origin>();
  let checked = 0;

  mkdirSync(options.workParent, { recursive: true });
  const workDir = mkdtempSync(join(options.workParent, '.snippets-'));
  try {
    // the modules are ES modules, as a user's `"type": "module"` project (top-level await, `import.meta`)
    writeFileSync(join(workDir, 'package.json'), '{ "private": true, "type": "module" }\n');
    for (const readme of options.readmes) {
      // a README's modules go in a folder named after its path: a path outside the root would leave the work folder
      const inside = relative(options.root, resolve(options.root, readme));
      if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${readme}: not inside ${options.root}`);
      const scanned = scanMarkdown(readFileSync(resolve(options.root, readme), 'utf8'));
      const built = buildModules(scanned.blocks, defaultTarget(readme));
      for (const p of [...scanned.problems, ...built.problems]) failures.push({ readme, line: p.line, column: 1, message: p.message });
      for (const s of built.skipped) skipped.push({ readme, ...s });
      checked += built.checked;
      const folder = join(workDir, readme.replace(/\.md$/i, ''));
      const isolated = built.modules.some((m) => m.segments.some((s) => GLOBAL_DECLARATION.test(s.text)));
      for (const module of built.modules) {
        const path = join(folder, module.file);
        const written = writeModule(module);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, written.text);
        origins.set(path, { readme, lines: written.lines });
        const key = isolated ? `${module.target} declarations` : module.target;
        const program = programsByKey.get(key) ?? { target: module.target, declarations: isolated, roots: [] };
        program.roots.push(path);
        programsByKey.set(key, program);
      }
    }

    const programs: CheckResult['programs'] = [];
    // The two programs of a target have the same options, so they share the parsed (and bound) files of the
    // packages, the libs and @types/node: the second one pays only for its own blocks and their checking.
    const parsed = new Map<Target, Map<string, ts.SourceFile>>();
    for (const { target, declarations, roots } of programsByKey.values()) {
      const started = performance.now();
      const env = environment(target);
      const rootNames = [...roots];
      if (env !== null) {
        const envPath = join(workDir, `environment-${target}.d.ts`);
        writeFileSync(envPath, env);
        rootNames.push(envPath);
      }
      const compiler = compilerOptions(target);
      const files = parsed.get(target) ?? new Map<string, ts.SourceFile>();
      parsed.set(target, files);
      const program = ts.createProgram({ rootNames, options: compiler, host: sharingHost(compiler, workDir, files) });
      for (const d of ts.getPreEmitDiagnostics(program)) failures.push(toFailure(d, origins, options.root));
      programs.push({ target, declarations, modules: roots.length, ms: Math.round(performance.now() - started) });
    }

    failures.sort((a, b) => a.readme.localeCompare(b.readme) || a.line - b.line || a.column - b.column);
    return { failures, checked, skipped, programs, ...(options.keep ? { workDir } : {}) };
  } finally {
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

/** A compiler host whose `types` resolve from `workDir` and whose parsed files are kept in `files` for reuse. */
function sharingHost(compiler: ts.CompilerOptions, workDir: string, files: Map<string, ts.SourceFile>): ts.CompilerHost {
  const host = ts.createCompilerHost(compiler);
  // the `types` of the options resolve from here, as from a user's tsconfig.json beside the modules
  host.getCurrentDirectory = () => workDir;
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) => {
    const format = typeof language === 'object' ? `${language.languageVersion} ${language.impliedNodeFormat}` : `${language}`;
    const key = `${format} ${fileName}`;
    let file = files.get(key);
    if (!file || create) {
      file = parse(fileName, language, onError, create);
      if (file) files.set(key, file);
    }
    return file;
  };
  return host;
}

function toFailure(d: ts.Diagnostic, origins: ReadonlyMap<string, Origin>, root: string): Failure {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return { readme: '(tsc)', line: 0, column: 0, code: d.code, message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const origin = origins.get(resolve(d.file.fileName));
  if (!origin) {
    // an error outside the blocks (a package's types, the environment file): reported where it is
    return { readme: relative(root, d.file.fileName).split(sep).join('/'), line: line + 1, column: character + 1, code: d.code, message };
  }
  const at = origin.lines[Math.min(line, origin.lines.length - 1)] as SourceLine;
  return {
    readme: origin.readme,
    line: at.readmeLine,
    column: at.prelude ? 1 : character + 1 + at.indent,
    code: d.code,
    message,
    ...(at.prelude ? { prelude: true } : {}),
  };
}

/** `README.md:12:5 TS2304: Cannot find name 'app'.`, one failure a line (a long message indented below it). */
export function formatFailure(f: Failure): string {
  const where = `${f.readme}:${f.line}:${f.column}`;
  const what = f.code === undefined ? 'snippet marker' : `TS${f.code}${f.prelude ? ' (in the hidden prelude)' : ''}`;
  return `${where} ${what}: ${f.message.replace(/\n/g, '\n    ')}`;
}
