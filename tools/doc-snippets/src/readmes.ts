// Which READMEs are checked, and where: the workspace root and this package's folder (whose node_modules the
// written modules resolve through).
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder, from src/ (vitest) or dist/ (the built CLI) alike. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The workspace root. */
export const WORKSPACE_ROOT = resolve(PACKAGE_DIR, '../..');

/**
 * The READMEs checked by default, relative to the workspace root: the root one, each package's (what a user reads
 * first) and each tool's (what a contributor copies: a package's tsup.config.ts, a host's conformance run).
 */
export function defaultReadmes(root: string = WORKSPACE_ROOT): string[] {
  return ['README.md', ...readmesIn(root, 'packages'), ...readmesIn(root, 'tools')];
}

/** Each `<folder>/<name>/README.md` there is, sorted. */
function readmesIn(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, folder, d.name, 'README.md')))
    .map((d) => `${folder}/${d.name}/README.md`)
    .sort();
}
