// The house tsup build, shared by every package's tsup.config.ts (STYLE.md, "Packaging and release"): ESM and CJS with
// declarations and source maps, one file per entry (no shared chunks, so each subpath loads on its own).
// tsup bundles each config file with esbuild, so this file is imported by relative path and needs no build of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

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
}

const targets: Record<BuildRuntime, string> = { neutral: 'es2022', node: 'node20' };

/**
 * The tsup options of one package build with the house defaults. tsup runs in the package directory, so `entry`
 * paths and the package.json read for `versionConstant` are relative to it.
 */
export function packageBuild(options: PackageBuildOptions): Options {
  const { entry = { index: 'src/index.ts' }, runtime, versionConstant, define, ...overrides } = options;
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
    ...overrides,
  };
}

function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
  return version;
}
