// Which READMEs are checked, and where: the workspace root and this package's folder (whose node_modules the
// written modules resolve through).
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder, from src/ (vitest) or dist/ (the built CLI) alike. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The workspace root. */
export const WORKSPACE_ROOT = resolve(PACKAGE_DIR, '../..');

/** The READMEs a user reads first: the root one and each package's, relative to the workspace root. */
export function defaultReadmes(root: string = WORKSPACE_ROOT): string[] {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'README.md')))
    .map((d) => `packages/${d.name}/README.md`)
    .sort();
  return ['README.md', ...packages];
}
