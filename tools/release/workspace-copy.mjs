// The rehearsal never changes the repository: `changeset version` and
// `changeset publish` run in a copy of the workspace made here, with what a
// release reads (root manifest, pnpm-workspace.yaml, .changeset/, every
// package's manifest, and the built files of the packages that are published).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../check-packages/util.mjs';

/** Directories never copied: installs and build caches. */
const SKIPPED_DIRS = new Set(['node_modules', '.turbo']);

/**
 * Every package of the pnpm workspace at `root` (including the root itself),
 * as pnpm sees it: `{ name, version, dir, private }`.
 */
export async function workspacePackages(root) {
  const result = await run('pnpm', ['ls', '--recursive', '--depth', '-1', '--json'], { cwd: root, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`\`pnpm ls --recursive\` failed:\n${result.stderr || result.stdout}`);
  return JSON.parse(result.stdout).map((p) => ({
    name: p.name,
    version: p.version,
    dir: p.path,
    private: p.private === true,
  }));
}

/**
 * Refuses manifests that could send the rehearsal's publish elsewhere than
 * the local registry (changesets passes `publishConfig.registry` to pnpm).
 */
export function assertNoRegistryOverride(pkgs) {
  for (const pkg of pkgs) {
    const manifest = readManifest(pkg.dir);
    const keys = Object.keys(manifest.publishConfig ?? {}).filter((k) => k === 'registry' || k.endsWith(':registry'));
    if (keys.length > 0) {
      throw new Error(
        `${pkg.name} sets publishConfig.${keys[0]}: the rehearsal cannot guarantee it publishes only to the local registry`,
      );
    }
  }
}

/** Whether a package's built files exist (the rehearsal publishes what was built). */
export function missingBuild(pkg) {
  const manifest = readManifest(pkg.dir);
  const usesDist = JSON.stringify([manifest.files, manifest.exports, manifest.main]).includes('dist');
  return usesDist && !existsSync(path.join(pkg.dir, 'dist'));
}

/**
 * Copies the workspace at `root` into `dest`. Public packages are copied
 * whole (less node_modules); private ones only by manifest, which is all that
 * changesets needs of them (their names in `ignore`, their dependencies).
 */
export function copyWorkspace(root, pkgs, dest) {
  mkdirSync(dest, { recursive: true });
  // pnpm-lock.yaml is how changesets knows to publish with pnpm (which turns
  // `workspace:*` into versions) rather than npm (which publishes it as is).
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', '.npmrc']) {
    if (existsSync(path.join(root, file))) cpSync(path.join(root, file), path.join(dest, file));
  }
  cpSync(path.join(root, '.changeset'), path.join(dest, '.changeset'), { recursive: true });
  // pnpm resolves `packageManager` from the registry when the workspace has
  // no install of it; the local registry holds only @avsb, and the pnpm that
  // runs is the workspace's own anyway.
  const manifest = readManifest(dest);
  delete manifest.packageManager;
  writeFileSync(path.join(dest, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const pkg of pkgs) {
    if (path.resolve(pkg.dir) === path.resolve(root)) continue;
    const target = path.join(dest, path.relative(root, pkg.dir));
    if (pkg.private) {
      mkdirSync(target, { recursive: true });
      cpSync(path.join(pkg.dir, 'package.json'), path.join(target, 'package.json'));
    } else {
      cpSync(pkg.dir, target, {
        recursive: true,
        filter: (src) => !SKIPPED_DIRS.has(path.basename(src)),
      });
    }
  }
}

/**
 * Links each public package's workspace dependencies inside the copy, as
 * `pnpm install` links them: pnpm turns `workspace:*` into the version of the
 * package it finds in node_modules, so the links must lead to the copy (with
 * its snapshot versions), never to the repository. Third-party dependencies
 * are not needed: nothing is built or run in the copy.
 */
export function linkWorkspaceDependencies(root, pkgs, dest) {
  const byName = new Map(pkgs.map((p) => [p.name, path.join(dest, path.relative(root, p.dir))]));
  for (const pkg of pkgs.filter((p) => !p.private)) {
    const dir = byName.get(pkg.name);
    const manifest = readManifest(dir);
    // pnpm rewrites every dependency field, devDependencies included.
    const deps = {
      ...manifest.devDependencies,
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
      ...manifest.peerDependencies,
    };
    for (const [name, spec] of Object.entries(deps)) {
      if (!String(spec).startsWith('workspace:')) continue;
      const target = byName.get(name);
      if (!target) throw new Error(`${pkg.name} depends on ${name}@${spec}, which is not in the workspace`);
      const link = path.join(dir, 'node_modules', name);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.relative(path.dirname(link), target), link, 'dir');
    }
  }
}

/**
 * Prepares the copy's .changeset/ for a snapshot release of every public
 * package: one extra changeset naming them all (so each gets a version even
 * when no pending changeset names it), and no changelog generation
 * (`@changesets/changelog-github` asks GitHub's API about each commit; the
 * rehearsal has neither the network nor a token for it, and snapshot
 * changelogs are thrown away anyway).
 */
export function prepareSnapshotChangesets(dest, publicNames) {
  const dir = path.join(dest, '.changeset');
  const configPath = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  config.changelog = false;
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const header = publicNames.map((name) => `'${name}': patch`).join('\n');
  let file = 'release-rehearsal.md';
  for (let i = 1; readdirSync(dir).includes(file); i++) file = `release-rehearsal-${i}.md`;
  writeFileSync(path.join(dir, file), `---\n${header}\n---\n\nRelease rehearsal.\n`);
}

/** Reads `dir/package.json`. */
export function readManifest(dir) {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}
