// The scanner and the module builder on small texts: no tsc here (check.test.ts runs it on fixture READMEs).
import { expect, it } from 'vitest';
import { scanMarkdown } from './markdown';
import { buildModules, writeModule } from './modules';

it('reads ts, tsx and js blocks with their fence line, and leaves other languages alone', () => {
  const { blocks, problems } = scanMarkdown(['# t', '```ts', 'a;', '```', '```sh', 'ls', '```', '~~~tsx', '<b />', '~~~', '```js', 'b;', '```'].join('\n'));
  expect(problems).toEqual([]);
  expect(blocks.map((b) => [b.fenceLine, b.extension, b.code])).toEqual([
    [2, '.ts', 'a;'],
    [8, '.tsx', '<b />'],
    [11, '.js', 'b;'],
  ]);
});

it("strips a list item's indentation and remembers it for columns", () => {
  const { blocks } = scanMarkdown(['1. step', '', '   ```ts', '   const a = 1;', '     a;', '   ```'].join('\n'));
  expect(blocks).toMatchObject([{ fenceLine: 3, indent: 3, code: 'const a = 1;\n  a;' }]);
});

it('does not read a fence inside another block as a block', () => {
  const { blocks } = scanMarkdown(['````md', '```ts', 'not a block', '```', '````', '```ts', 'a;', '```'].join('\n'));
  expect(blocks.map((b) => b.code)).toEqual(['a;']);
});

it("gives a prelude the line of its code's first line, on the marker's line or below it", () => {
  const { blocks } = scanMarkdown(
    ['<!-- snippet-prelude: declare const a: 1; -->', '<!-- snippet-prelude:', 'declare const b: 2;', '-->', '```ts', 'a + b;', '```'].join('\n'),
  );
  expect(blocks[0]!.markers).toEqual([
    { kind: 'prelude', line: 1, code: 'declare const a: 1;' },
    { kind: 'prelude', line: 3, code: 'declare const b: 2;' },
  ]);
});

it('reads skip with a reason after a dash, an en dash or a colon', () => {
  for (const dash of ['—', '–', '-', ':']) {
    const { blocks, problems } = scanMarkdown(`<!-- snippet: skip ${dash} a shell session -->\n\`\`\`ts\nx\n\`\`\``);
    expect(problems).toEqual([]);
    expect(blocks[0]!.markers).toEqual([{ kind: 'skip', line: 1, reason: 'a shell session' }]);
  }
});

it('refuses a marker that is never closed', () => {
  expect(scanMarkdown('<!-- snippet: continues\n```ts\na;\n```').problems).toEqual([
    { line: 1, message: 'a snippet marker without its closing `-->`' },
  ]);
});

it("names a module by its first line's file comment, else by its fence line", () => {
  const text = [
    '```ts',
    '// lib/session.ts: the context',
    '```',
    '```tsx',
    '// app/page.tsx (a server component)',
    '```',
    '```ts',
    '// server (@avsb/node)',
    '```',
    '```ts',
    '// ../escape.ts',
    '```',
  ].join('\n');
  const built = buildModules(scanMarkdown(text).blocks, 'node');
  expect(built.modules.map((m) => m.file)).toEqual(['lib/session.ts', 'app/page.tsx', 'snippet-L7.ts', 'snippet-L10.ts']);
});

it('refuses a second block with the same file name, and checks it under its own', () => {
  const built = buildModules(scanMarkdown('```ts\n// main.ts\n```\n```ts\n// main.ts\n```').blocks, 'node');
  expect(built.modules.map((m) => m.file)).toEqual(['main.ts', 'snippet-L4.ts']);
  expect(built.problems).toEqual([{ line: 4, message: expect.stringContaining('a second block names main.ts') }]);
});

it('appends a continuing block, prelude first, to the module before it or to the one it names', () => {
  const text = [
    '```ts', // 1
    '// main.ts',
    'const a = 1;',
    '```',
    '```ts', // 5
    'const b = 2;',
    '```',
    '<!-- snippet: continues main.ts -->',
    '<!-- snippet-prelude: declare const c: 3; -->',
    '```ts', // 10
    'a + c;',
    '```',
  ].join('\n');
  const built = buildModules(scanMarkdown(text).blocks, 'bundler');
  expect(built.checked).toBe(3);
  expect(built.modules.map((m) => [m.file, m.target])).toEqual([
    ['main.ts', 'bundler'],
    ['snippet-L5.ts', 'bundler'],
  ]);
  const written = writeModule(built.modules[0]!);
  expect(written.text).toBe('// main.ts\nconst a = 1;\ndeclare const c: 3;\na + c;\nexport {};\n');
  expect(written.lines.map((l) => [l.readmeLine, l.prelude])).toEqual([
    [2, false],
    [3, false],
    [9, true],
    [11, false],
  ]);
});

it("takes a block's target from its marker, else the README's", () => {
  const built = buildModules(scanMarkdown('<!-- snippet: target workers -->\n```ts\na;\n```\n```ts\nb;\n```').blocks, 'node');
  expect(built.modules.map((m) => m.target)).toEqual(['workers', 'node']);
});

it('writes a declaration file as it is: no export added, so that it stays a script', () => {
  const built = buildModules(scanMarkdown("```ts\n// wasm.d.ts\ndeclare module '*.wasm' {}\n```").blocks, 'node');
  expect(writeModule(built.modules[0]!).text).toBe("// wasm.d.ts\ndeclare module '*.wasm' {}\n");
});
