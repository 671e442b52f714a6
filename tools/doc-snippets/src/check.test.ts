// The checker on fixture READMEs (test/fixtures): each failure at its README path and line, the markers doing what
// they say, and one README's global declarations (and referenced declaration files) kept from the others. One check of all fixtures, as the real run
// does, then assertions per README.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { CheckResult, Failure } from './check';
import { checkReadmes, formatFailure } from './check';
import { PACKAGE_DIR } from './readmes';

const FIXTURES = ['good', 'broken', 'markers', 'declares', 'references', 'uses-undeclared'].map((name) => `test/fixtures/${name}.md`);

let result: CheckResult;

beforeAll(() => {
  result = checkReadmes({ root: PACKAGE_DIR, readmes: FIXTURES, workParent: PACKAGE_DIR });
});

function failuresOf(name: string): Failure[] {
  return result.failures.filter((f) => f.readme === `test/fixtures/${name}.md`);
}

/** The 1-based line of the fixture that holds `text` (once). */
function lineOf(name: string, text: string): number {
  const lines = readFileSync(join(PACKAGE_DIR, 'test/fixtures', `${name}.md`), 'utf8').split('\n');
  const found = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  expect(found, `${text} in ${name}.md`).toHaveLength(1);
  return found[0] as number;
}

it('passes a README whose blocks compile: named modules, prelude, continues, a list item, a page block', () => {
  expect(failuresOf('good').map(formatFailure)).toEqual([]);
});

it('skips a block only with its reason, and counts what it checked', () => {
  expect(result.skipped.filter((s) => s.readme === 'test/fixtures/good.md')).toEqual([
    { readme: 'test/fixtures/good.md', line: lineOf('good', 'avsbMiddleware(server, options?)') - 1, reason: 'pseudo-code: the signature in brief' },
  ]);
  // good.md 7, broken.md 4, markers.md 6 (a block whose marker is wrong is checked all the same), declares.md 2,
  // references.md 2, uses-undeclared.md 2
  expect(result.checked).toBe(23);
});

it('reports a renamed option at its README path and line', () => {
  const line = lineOf('broken', 'startupTimeout: 5000');
  const failure = failuresOf('broken').find((f) => f.line === line);
  expect(failure).toMatchObject({ code: 2561, column: 3 });
  expect(formatFailure(failure!)).toBe(
    `test/fixtures/broken.md:${line}:3 TS2561: Object literal may only specify known properties, but 'startupTimeout' does not exist in type 'AvsbServerOptions'. Did you mean to write 'startupTimeoutMs'?`,
  );
});

it('reports a block inside a list item at its README line, its column counted from the README', () => {
  const line = lineOf('broken', 'a missing argument');
  const failure = failuresOf('broken').find((f) => f.line === line);
  expect(failure).toMatchObject({ code: 2554 });
  const text = readFileSync(join(PACKAGE_DIR, 'test/fixtures/broken.md'), 'utf8').split('\n')[line - 1] as string;
  expect(failure!.column).toBe(text.indexOf('getBoolFlag') + 1);
});

it("reports an error in a hidden prelude at the prelude's line, marked as the prelude's", () => {
  const failure = failuresOf('broken').find((f) => f.line === lineOf('broken', "'three'"));
  expect(failure).toMatchObject({ code: 2322, prelude: true });
  expect(formatFailure(failure!)).toContain('TS2322 (in the hidden prelude)');
});

it("gives a server README's blocks no DOM (a page's block, target bundler, has one)", () => {
  expect(failuresOf('broken').find((f) => f.line === lineOf('broken', 'no window in Node'))).toMatchObject({ code: 2304 });
  expect(failuresOf('broken')).toHaveLength(4);
});

it('refuses each marker mistake at its line', () => {
  const markers = failuresOf('markers');
  expect(markers.filter((f) => f.code !== undefined).map(formatFailure)).toEqual([]);
  expect(markers.map((f) => [f.line, f.message])).toEqual([
    [lineOf('markers', 'snippet: continues -->'), expect.stringContaining('no checked block before it')],
    [lineOf('markers', 'snippet: skip -->'), expect.stringContaining('needs its reason')],
    [lineOf('markers', 'skipp'), expect.stringContaining('unknown snippet directive')],
    [lineOf('markers', 'target deno'), expect.stringContaining('unknown snippet target')],
    [lineOf('markers', 'nowhere.ts'), expect.stringContaining('no block before it names nowhere.ts')],
    [lineOf('markers', 'a shell session'), expect.stringContaining('`sh` block, which is not checked')],
    [lineOf('markers', 'target node'), expect.stringContaining('that no code block follows')],
  ]);
});

it("keeps a README's global declarations, and the declaration files it references, from the other READMEs' blocks", () => {
  expect(failuresOf('declares')).toEqual([]);
  expect(failuresOf('references')).toEqual([]);
  expect(failuresOf('uses-undeclared')).toEqual([
    expect.objectContaining({ line: lineOf('uses-undeclared', 'declared only in declares.md'), code: 2304 }),
    expect.objectContaining({ line: lineOf('uses-undeclared', 'typed only where referenced'), code: 2307 }),
  ]);
  expect(result.programs.map((p) => `${p.target}${p.declarations ? ' declarations' : ''}`).sort()).toEqual([
    'bundler',
    'node',
    'node declarations',
  ]);
});

it('refuses a README outside the root, whose modules would land outside the work folder', () => {
  expect(() => checkReadmes({ root: PACKAGE_DIR, readmes: ['../../README.md'], workParent: PACKAGE_DIR })).toThrow('not inside');
});
