// The check itself, in `pnpm test`: every TypeScript block of the root README, each package's and each tool's compiles
// against the built packages. A failure prints as README path:line:column and tsc's message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkReadmes, formatFailure } from './check';
import { PACKAGE_DIR, WORKSPACE_ROOT, defaultReadmes } from './readmes';

it("compiles every TypeScript example of the READMEs, as a user's project would", () => {
  const readmes = defaultReadmes();
  const result = checkReadmes({ root: WORKSPACE_ROOT, readmes, workParent: PACKAGE_DIR });
  expect(result.failures.map(formatFailure)).toEqual([]);

  // every block was seen, counted apart from the scanner: an opening fence of a checked language
  const fences = readmes
    .map((r) => readFileSync(join(WORKSPACE_ROOT, r), 'utf8').match(/^ *```(?:ts|tsx|typescript|js|jsx|javascript|mts|mjs)[ \t]*$/gm)?.length ?? 0)
    .reduce((a, b) => a + b, 0);
  expect(result.checked + result.skipped.length).toBe(fences);
  expect(result.checked).toBeGreaterThan(100);
  // a ratchet: the skipped blocks are the API references' signature lists and tools/build's sample tsup.config.ts
  // (its relative import resolves only from a package's folder); a new skip needs a reason and a look here
  expect(result.skipped.length).toBeLessThanOrEqual(10);
});
