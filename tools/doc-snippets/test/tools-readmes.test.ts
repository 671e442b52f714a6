// The tools' READMEs are checked with the packages' (readmes.test.ts runs the check over all of them): their blocks
// are what a contributor copies, a host's conformance run against @avsb/conformance's own types.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkReadmes, formatFailure } from '../src/check';
import { PACKAGE_DIR, WORKSPACE_ROOT, defaultReadmes } from '../src/readmes';

it("lists every tool's README after the root's and the packages'", () => {
  const tools = readdirSync(join(WORKSPACE_ROOT, 'tools'))
    .filter((name) => existsSync(join(WORKSPACE_ROOT, 'tools', name, 'README.md')))
    .map((name) => `tools/${name}/README.md`);
  expect(tools).toContain('tools/conformance/README.md');
  const readmes = defaultReadmes();
  expect(readmes.filter((r) => r.startsWith('tools/'))).toEqual(tools.sort());
  expect(readmes[0]).toBe('README.md');
  expect(readmes.indexOf('tools/build/README.md')).toBeGreaterThan(readmes.indexOf('packages/node/README.md'));
});

it("compiles the conformance README's host against runConformance's types", () => {
  const result = checkReadmes({ root: WORKSPACE_ROOT, readmes: ['tools/conformance/README.md'], workParent: PACKAGE_DIR });
  expect(result.failures.map(formatFailure)).toEqual([]);
  expect(result.checked).toBe(1);
  expect(result.skipped).toEqual([]);
});
