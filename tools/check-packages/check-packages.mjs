#!/usr/bin/env node
// Proves every publishable package under packages/* works for its users:
// pack it, lint the tarball (publint, attw), install the tarballs into a fresh
// project outside the workspace, import/require every entry point and
// type-check imports of them under node20 and bundler resolution, in a Node-only
// project (no DOM lib) and in a Cloudflare Worker's.
// See README.md beside this file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installTarballs, installedManifest, loadEntry, typeCheck } from './consumer.mjs';
import { listEntries } from './exports-map.mjs';
import { ATTW_RESOLUTIONS, runAttw, runPublint } from './lint.mjs';
import { WORKERS_TYPES } from './projects.mjs';
import { discoverPackages, displayPath, packPackage } from './pack.mjs';
import { CHECK_CONCURRENCY, Report, checkInOrder } from './util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = `Usage: node tools/check-packages/check-packages.mjs [options]

  --packages-dir <dir>  directory whose subdirectories are the packages to check
                        (default: <repo>/packages)
  --only <names>        comma-separated package names (@avsb/engine,@avsb/node): check
                        only these (every package is still packed and installed,
                        since they depend on each other)
  --keep                keep the temporary directory (tarballs, consumer project)
  -h, --help            show this help`;

function parseCli() {
  try {
    const { values } = parseArgs({
      options: {
        'packages-dir': { type: 'string' },
        only: { type: 'string' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    return values;
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

/**
 * What a user installs beside the packages: their peer dependencies, optional
 * ones included (a framework adapter's types name the framework's),
 * `@types/node` at the workspace's version (the frameworks' types use it)
 * and `@cloudflare/workers-types` for the Workers type check.
 */
function peerSpecs(publishable, packed, root) {
  const names = new Set(packed.map((p) => p.name));
  const specs = new Map();
  for (const { pkg } of publishable) {
    for (const [dep, range] of Object.entries(pkg.peerDependencies ?? {})) {
      if (!names.has(dep) && !specs.has(dep)) specs.set(dep, range);
    }
  }
  const rootPkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const typesNode = rootPkg.devDependencies?.['@types/node'];
  if (typesNode !== undefined && !specs.has('@types/node')) specs.set('@types/node', typesNode);
  // the Workers project's globals, at the version the README check (tools/doc-snippets) uses
  const snippetsPkg = JSON.parse(readFileSync(path.join(root, 'tools', 'doc-snippets', 'package.json'), 'utf8'));
  const workersTypes = snippetsPkg.devDependencies?.[WORKERS_TYPES];
  if (workersTypes !== undefined && !specs.has(WORKERS_TYPES)) specs.set(WORKERS_TYPES, workersTypes);
  return [...specs].map(([dep, range]) => `${dep}@${range}`);
}

async function main() {
  const options = parseCli();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const packagesDir = path.resolve(options['packages-dir'] ?? path.join(ROOT, 'packages'));
  const tscPath = createRequire(path.join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const tsVersion = JSON.parse(readFileSync(path.join(path.dirname(tscPath), '..', 'package.json'), 'utf8')).version;
  const report = new Report();
  const only = options.only === undefined ? null : new Set(options.only.split(',').map((n) => n.trim()).filter(Boolean));
  const checks = (name) => only === null || only.has(name);

  const { publishable, skipped } = discoverPackages(packagesDir, ROOT);
  console.log(
    `check-packages: ${publishable.length} publishable package(s) in ${displayPath(packagesDir, ROOT)}` +
      (skipped.length ? ` (private, skipped: ${skipped.join(', ')})` : ''),
  );
  if (publishable.length === 0) {
    console.log('nothing to check');
    report.printSummary();
    return 0;
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'check-packages-'));
  try {
    // 1. pack, publint, attw: one package per CPU at a time, printed in order
    console.log(`\n== pack + publint + attw (${ATTW_RESOLUTIONS.join(', ')}) ==`);
    const tarballs = await checkInOrder(publishable, CHECK_CONCURRENCY, report, async (entry, held) => {
      const name = entry.pkg.name ?? entry.rel;
      if (checks(name)) held.add(name);
      const result = await packPackage(entry, path.join(tmp, 'tarballs'));
      if (!result.ok) {
        held.record(name, 'pack', false, result.details);
        return null;
      }
      if (!checks(name)) return { name, tarball: result.tarball };
      held.record(name, 'pack', true, [path.basename(result.tarball)]);
      const data = readFileSync(result.tarball);

      try {
        const { errors, warnings } = await runPublint(data);
        for (const warning of warnings) held.note(name, `publint warning: ${warning}`);
        held.record(name, 'publint', errors.length === 0, errors);
      } catch (error) {
        held.record(name, 'publint', false, [`publint crashed: ${error.stack ?? error}`]);
      }

      try {
        const { errors, ignored, entrypoints } = await runAttw(data);
        for (const problem of ignored) held.note(name, `attw, node10 only (ignored): ${problem}`);
        held.record(name, 'attw', errors.length === 0, errors.length ? errors : [`entries: ${entrypoints.join(' ')}`]);
      } catch (error) {
        held.record(name, 'attw', false, [`attw crashed: ${error.stack ?? error}`]);
      }
      return { name, tarball: result.tarball };
    });
    const packed = tarballs.filter((p) => p !== null); // { name, tarball }
    if (packed.length === 0) return finish(report);

    // 2. one fresh project outside the workspace with all tarballs installed
    console.log(`\n== install ${packed.length} tarball(s) into a fresh project ==`);
    const project = path.join(tmp, 'consumer');
    const install = await installTarballs(
      project,
      packed.map((p) => p.tarball),
      peerSpecs(publishable, packed, ROOT),
    );
    report.record('(all tarballs)', 'npm install', install.ok, install.details);
    if (!install.ok) return finish(report);

    // 3. import / require every entry point, type-check imports of them: one package per CPU at a time, printed in order
    console.log(`\n== load every entry point (node ${process.version}) and type-check it (TypeScript ${tsVersion}) ==`);
    await checkInOrder(
      packed.filter((p) => checks(p.name)),
      CHECK_CONCURRENCY,
      report,
      ({ name }, held) => checkEntries(project, tscPath, name, held),
    );
    return finish(report);
  } finally {
    if (options.keep) console.log(`\n(kept temporary directory ${tmp})`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

/** Loads every entry point of the installed package `name` (import and require) and type-checks imports of them in each mode. */
async function checkEntries(project, tscPath, name, held) {
  let entries;
  try {
    entries = listEntries(installedManifest(project, name));
  } catch (error) {
    held.record(name, 'installed package.json', false, [String(error)]);
    return;
  }
  for (const entry of entries.filter((e) => e.skip)) held.note(name, `skip ${entry.subpath}: ${entry.skip}`);
  const runnable = entries.filter((e) => !e.skip);
  if (runnable.length === 0) {
    held.record(name, 'entry points', false, ['no importable JavaScript entry point in "exports"']);
    return;
  }
  for (const entry of runnable) {
    const keys = {};
    for (const mode of ['esm', 'cjs']) {
      if (!entry[mode]) {
        held.note(name, `${mode} ${entry.subpath}: not exported for ${mode === 'esm' ? 'import' : 'require'}`);
        continue;
      }
      const result = await loadEntry(project, entry.specifier, mode);
      keys[mode] = result.keys;
      const info = result.ok ? [`${result.keys.length} export(s) from ${entry[mode]}`] : result.details;
      held.record(name, `${mode} ${entry.subpath}`, result.ok, info);
    }
    if (keys.esm?.length && keys.cjs?.length) {
      const onlyEsm = keys.esm.filter((k) => !keys.cjs.includes(k));
      const onlyCjs = keys.cjs.filter((k) => !keys.esm.includes(k));
      if (onlyEsm.length || onlyCjs.length) {
        held.note(
          name,
          `warning: ${entry.subpath} exports differ between import and require` +
            (onlyEsm.length ? `; only import: ${onlyEsm.join(', ')}` : '') +
            (onlyCjs.length ? `; only require: ${onlyCjs.join(', ')}` : ''),
        );
      }
    }
  }
  for (const mode of ['node20', 'node-only', 'bundler', 'workers']) {
    const result = await typeCheck(project, tscPath, name, runnable, mode);
    if (result.skipped) {
      held.note(name, `tsc ${mode}: no entry such a project imports (projects.mjs)`);
      continue;
    }
    for (const line of result.thirdParty ?? []) held.note(name, `tsc ${mode}, third-party declarations only (ignored): ${line}`);
    held.record(name, `tsc ${mode}`, result.ok, result.ok ? result.covered : [...result.covered, ...result.details]);
  }
}

function finish(report) {
  report.printSummary();
  return report.failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`check-packages crashed: ${error?.stack ?? error}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
