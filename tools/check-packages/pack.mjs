// Finding the publishable packages and packing them with `pnpm pack`.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { run, tail } from './util.mjs';

/**
 * Every directory under `packagesDir` with a package.json.
 * @returns {{ publishable: {dir, rel, pkg}[], skipped: string[] }}
 */
export function discoverPackages(packagesDir, relativeTo) {
  const publishable = [];
  const skipped = [];
  if (!existsSync(packagesDir)) throw new Error(`packages directory not found: ${packagesDir}`);
  const dirs = readdirSync(packagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const name of dirs) {
    const dir = path.join(packagesDir, name);
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const rel = displayPath(dir, relativeTo);
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch (error) {
      // Unreadable manifest: keep it so the pack step reports it as a failure.
      publishable.push({ dir, rel, pkg: { name: rel }, manifestError: String(error) });
      continue;
    }
    if (pkg.private === true) skipped.push(pkg.name ?? rel);
    else publishable.push({ dir, rel, pkg });
  }
  return { publishable, skipped };
}

/** `dir` relative to `base` when inside it, else absolute. */
export function displayPath(dir, base) {
  const rel = path.relative(base, dir);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}

/** True when the manifest points at build output in dist/. */
function usesDist(pkg) {
  const fields = [pkg.main, pkg.module, pkg.types, pkg.typings, pkg.exports, pkg.files, pkg.bin];
  return fields.some((f) => f !== undefined && /(^|[./"])dist([/"]|$)/.test(JSON.stringify(f)));
}

/** Files under dist/ that main/module/types/exports point at (wildcards excluded). */
function distTargets(pkg) {
  const found = new Set();
  const walk = (value) => {
    if (typeof value === 'string') {
      if (/^(\.\/)?dist\//.test(value) && !value.includes('*')) found.add(value.replace(/^\.\//, ''));
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(walk);
    }
  };
  [pkg.main, pkg.module, pkg.types, pkg.typings, pkg.exports].forEach(walk);
  return [...found];
}

/**
 * Packs one package into its own directory under `outDir`.
 * @returns {Promise<{ ok: true, tarball: string } | { ok: false, details: string[] }>}
 */
export async function packPackage(entry, outDir) {
  if (entry.manifestError) return { ok: false, details: [`cannot read package.json: ${entry.manifestError}`] };
  if (!entry.pkg.name) return { ok: false, details: ['package.json has no "name"'] };
  if (usesDist(entry.pkg) && !existsSync(path.join(entry.dir, 'dist'))) {
    return {
      ok: false,
      details: [`${entry.rel}/dist/ is missing: run \`pnpm build\` at the repository root first`],
    };
  }
  const missing = distTargets(entry.pkg).filter((file) => !existsSync(path.join(entry.dir, file)));
  if (missing.length > 0) {
    return {
      ok: false,
      details: [
        `${entry.rel}/dist/ is incomplete: run \`pnpm build\` at the repository root first`,
        `missing: ${missing.join(', ')}`,
        '(if they are still missing after a build, package.json points at files the build does not produce)',
      ],
    };
  }
  const dest = path.join(outDir, entry.pkg.name.replace(/^@/, '').replace(/\//g, '__'));
  mkdirSync(dest, { recursive: true });
  const result = await run('pnpm', ['pack', '--pack-destination', dest], { cwd: entry.dir });
  const tarballs = existsSync(dest) ? readdirSync(dest).filter((f) => f.endsWith('.tgz')) : [];
  if (result.code !== 0 || tarballs.length !== 1) {
    return {
      ok: false,
      details: [`\`pnpm pack\` in ${entry.rel} exited with ${result.code}, produced ${tarballs.length} tarball(s)`, ...tail(result)],
    };
  }
  return { ok: true, tarball: path.join(dest, tarballs[0]) };
}
