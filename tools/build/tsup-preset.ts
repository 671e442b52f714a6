// The house tsup build, shared by every package's tsup.config.ts (STYLE.md, "Packaging and release"): ESM and CJS with
// declarations and source maps, one file per entry (no shared chunks, so each subpath loads on its own).
// tsup bundles each config file with esbuild, so this file is imported by relative path and needs no build of its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Options } from 'tsup';
import { writeShortMessages } from './short-messages';

/** Where a package runs, which picks tsup's `platform` and `target`. */
export type BuildRuntime = 'neutral' | 'node';

/** Options of {@link packageBuild}; any other tsup option overrides the preset's value. */
export interface PackageBuildOptions extends Omit<Options, 'entry' | 'platform' | 'target'> {
  /** Output name to source file; defaults to `{ index: 'src/index.ts' }`. */
  entry?: Record<string, string>;
  /**
   * `neutral`: Node, browsers and edge runtimes, no Node built-ins (target es2022).
   * `node`: Node only (target node20, the engines floor).
   */
  runtime: BuildRuntime;
  /** A global constant (e.g. `__AVSB_NODE_VERSION__`) replaced by the package.json version at build time. */
  versionConstant?: string;
  /**
   * Renames the `_`-prefixed members (private and protected, by the lint rule) to short names in the JS (the `.d.ts`
   * keep them): for packages that end up in a web page, where these names were ≈ 4 % of the gzipped bytes. Only
   * members named in code are renamed, consistently within the file: a member reached by a string (`this[name]`) must
   * not be, and a member reached from another package (a protected one a subclass elsewhere uses) goes in `keep`.
   * `_meta`, a context attribute of the protocol, is always kept.
   */
  shortMemberNames?: { keep?: readonly string[] };
  /**
   * For packages a web page bundles: also writes `dist/<entry>.browser.js` (and `.cjs`), the same build with each
   * message text replaced by a stable code and its values (`avsb C4K2: checkout-v2`), and `dist/MESSAGES.md`, the
   * catalogue of the codes' full texts (`short-messages.ts`). The package's `exports` pick them under the `browser`
   * condition unless `development` is set too. `true` rewrites every entry; or name the entries a page imports.
   */
  shortMessages?: true | { entries: readonly string[] };
  /**
   * Entries that only Node loads, written again without comments and indentation, and with each function's own
   * locals and parameters given short names (the top-level names, functions and classes as stacks and `.name` show
   * them, and every member name kept; on a few long lines; the source maps still lead to the TypeScript): a fresh
   * process parses every byte of a module at `import()`, and `@avsb/node`'s import costs ≈ 6 % less CPU without the
   * comments (tools/bench/earlier-measurements.md, "@avsb/node's cold start after the fifteenth session's pass"),
   * `@avsb/engine/node`'s ≈ 4 % less with the short locals ("`@avsb/engine/node`'s import after the seventeenth
   * session's pass"). Not for an entry a page bundles: its bundler minifies it anyway, and a page's bundle came out
   * 46 B larger from compacted input. esbuild drops the pure annotations (`@__PURE__`) as it compacts (bundles of
   * these entries did not grow).
   */
  compactEntries?: readonly string[];
  /**
   * Entries written once more for Node alone, as `dist/<entry>.node.js` (ESM) for the package's `exports` to give under
   * the `module-sync` condition, which Node (20.19 and later) sets and bundlers do not: compacted as `compactEntries`
   * does, with the packages named in `inline` bundled in. Each bare specifier a fresh process resolves walks
   * node_modules, reads a package.json and its exports map and realpaths the file, and each module is one more file to
   * read, compile and link: `@avsb/common` inlined into core's copy took `import('@avsb/node')` to ≈ 0.93× of its CPU
   * (tools/bench/earlier-measurements.md, "@avsb/node's import after the sixteenth session's pass"). Bundlers keep
   * the entry itself, its `@__PURE__` annotations and its imports, so a bundle holds one copy of an inlined package.
   */
  nodeCopies?: { entries: readonly string[]; inline?: readonly string[] };
}

/**
 * The letter that starts each code of a package's messages, so that a code names the catalogue that explains it; one
 * letter per package, unique.
 */
export const MESSAGE_PREFIXES: Readonly<Record<string, string>> = {
  '@avsb/browser': 'B',
  '@avsb/core': 'C',
  '@avsb/engine': 'E',
  '@avsb/common': 'M',
  '@avsb/events': 'V',
};

const targets: Record<BuildRuntime, string> = { neutral: 'es2022', node: 'node20' };

/**
 * The tsup options of one package build with the house defaults. tsup runs in the package directory, so `entry`
 * paths and the package.json read for `versionConstant` are relative to it.
 */
export function packageBuild(options: PackageBuildOptions): Options {
  const { entry = { index: 'src/index.ts' }, runtime, versionConstant, shortMemberNames, shortMessages, compactEntries, nodeCopies, define, onSuccess: ownStep, ...overrides } = options;
  const compacted = compactEntries !== undefined ? withCompactEntries(compactEntries, ownStep) : ownStep;
  const onSuccess = nodeCopies !== undefined ? withNodeCopies(nodeCopies, compacted) : compacted;
  const defines = { ...define };
  if (versionConstant !== undefined) defines[versionConstant] = JSON.stringify(packageVersion());
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: targets[runtime],
    platform: runtime,
    splitting: false,
    ...(Object.keys(defines).length > 0 ? { define: defines } : {}),
    ...(shortMemberNames !== undefined ? { esbuildOptions: shortNames(shortMemberNames.keep ?? []) } : {}),
    ...(shortMessages !== undefined ? { onSuccess: withShortMessages(shortMessages === true ? Object.keys(entry) : shortMessages.entries, onSuccess) } : onSuccess !== undefined ? { onSuccess } : {}),
    ...overrides,
  };
}

function shortNames(keep: readonly string[]): NonNullable<Options['esbuildOptions']> {
  const kept = ['_meta', ...keep].map((name) => name.replace(/[$]/g, '\\$&')).join('|');
  return (esbuild) => {
    esbuild.mangleProps = /^_[A-Za-z]/;
    esbuild.reserveProps = new RegExp(`^(${kept})$`);
  };
}

/** tsup runs `onSuccess` once the ESM and CJS files are written: the package's own step first, then the short texts. */
function withShortMessages(entries: readonly string[], own: Options['onSuccess']): NonNullable<Options['onSuccess']> {
  if (typeof own === 'string') throw new Error('shortMessages: give onSuccess as a function');
  return async () => {
    const cleanup = await own?.();
    const { name } = packageJson();
    const prefix = MESSAGE_PREFIXES[name];
    if (prefix === undefined) throw new Error(`shortMessages: ${name} has no letter in MESSAGE_PREFIXES (tools/build/tsup-preset.ts)`);
    // dependencies build first (turbo's ^build): their catalogues are there to be listed in this one
    const dependencies = Object.keys(packageJson().dependencies ?? {}).map((dependency) => join(process.cwd(), 'node_modules', dependency, 'dist', 'MESSAGES.md'));
    writeShortMessages({ dist: join(process.cwd(), 'dist'), packageName: name, prefix, entries, dependencies });
    return cleanup;
  };
}

/** tsup's `onSuccess` with the `compactEntries` step after the package's own: each entry's ESM and CJS file through esbuild again. */
function withCompactEntries(entries: readonly string[], own: Options['onSuccess']): NonNullable<Options['onSuccess']> {
  if (typeof own === 'string') throw new Error('compactEntries: give onSuccess as a function');
  return async () => {
    const cleanup = await own?.();
    const esbuild = tsupEsbuild();
    for (const [ext, format] of [['js', 'esm'], ['cjs', 'cjs']] as const) {
      for (const name of entries) compactFile(esbuild, join(process.cwd(), 'dist', `${name}.${ext}`), format);
    }
    return cleanup;
  };
}

/** tsup's `onSuccess` with the `nodeCopies` step last: each entry's built ESM file bundled again into `<entry>.node.js`. */
function withNodeCopies({ entries, inline = [] }: NonNullable<PackageBuildOptions['nodeCopies']>, own: Options['onSuccess']): NonNullable<Options['onSuccess']> {
  if (typeof own === 'string') throw new Error('nodeCopies: give onSuccess as a function');
  return async () => {
    const cleanup = await own?.();
    const esbuild = tsupEsbuild();
    // every other dependency stays an import, its subpaths too (`@avsb/engine/node`)
    const external = Object.keys(packageJson().dependencies ?? {}).filter((name) => !inline.includes(name)).flatMap((name) => [name, `${name}/*`]);
    for (const name of entries) {
      const dist = join(process.cwd(), 'dist');
      // an inlined package's full-text build (its `import` condition, not `browser`); its source map is chained as
      // this entry's is, so a stack still leads to each package's src/
      esbuild.buildSync({ entryPoints: [join(dist, `${name}.js`)], outfile: join(dist, `${name}.node.js`), bundle: true, external, platform: 'neutral', mainFields: ['module', 'main'], format: 'esm', tsconfigRaw: '{}', minifyWhitespace: true, sourcemap: true, logLevel: 'warning' });
      // the short locals in a pass of their own: in the bundle each inlined package's top level is a scope of its own
      compactFile(esbuild, join(dist, `${name}.node.js`), 'esm');
    }
    return cleanup;
  };
}

/**
 * esbuild gives no scope that holds a direct `eval` short names (the eval could read any of them): this function,
 * appended to a file's top level, keeps the file's top-level names while `minifyIdentifiers` shortens the locals and
 * parameters of every function below it, and is taken out of the output again.
 */
const KEEP_TOP_LEVEL_NAMES = 'function __avsbKeepTopLevelNames(){eval("")}';

/**
 * A built file written again in place without comments and indentation and with short local names (`compactEntries`);
 * the file's own source map (its sourceMappingURL) is read and chained, so the new map still leads to src/.
 */
function compactFile(esbuild: Esbuild, path: string, format: 'esm' | 'cjs'): void {
  const text = readFileSync(path, 'utf8');
  const mapComment = text.lastIndexOf('\n//# sourceMappingURL=');
  if (mapComment < 0) throw new Error(`compactEntries: ${path} has no source map comment`);
  writeFileSync(path, `${text.slice(0, mapComment)}\n${KEEP_TOP_LEVEL_NAMES}${text.slice(mapComment)}`);
  // no tsconfig (the package's `strict` would add a "use strict" to the ESM file)
  esbuild.buildSync({ entryPoints: [path], outfile: path, allowOverwrite: true, format, tsconfigRaw: '{}', minifyWhitespace: true, minifyIdentifiers: true, sourcemap: true, logLevel: 'warning' });
  const compacted = readFileSync(path, 'utf8');
  const at = compacted.indexOf(KEEP_TOP_LEVEL_NAMES);
  if (at < 0 || compacted.indexOf(KEEP_TOP_LEVEL_NAMES, at + 1) >= 0) throw new Error(`compactEntries: ${path}: the top-level names' keeper is not in the output once`);
  // the last statement but the export list (ESM) or the exports' annotation for cjs-module-lexer (CJS), neither of
  // which runs code: a stack never points into the few columns that move
  writeFileSync(path, compacted.slice(0, at) + compacted.slice(at + KEEP_TOP_LEVEL_NAMES.length));
}

interface Esbuild {
  buildSync(options: object): unknown;
}

function tsupEsbuild(): Esbuild {
  // tsup's own esbuild: the workspace root lists tsup only
  return createRequire(createRequire(join(process.cwd(), 'package.json')).resolve('tsup'))('esbuild') as { buildSync(options: object): unknown };
}

function packageVersion(): string {
  return packageJson().version;
}

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

function packageJson(): PackageJson {
  return JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as PackageJson;
}
