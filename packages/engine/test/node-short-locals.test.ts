import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// What Node loads for `@avsb/engine/node` (dist/node-sync.js, dist/node-sync.cjs) is built with each function's own
// locals and parameters shortened (tools/build/tsup-preset.ts, compactEntries): a fresh process parses every byte at
// `import()` (issue 9). What a user sees of the code must not change: the top-level names (a stack's frames, a class's
// and a function's `.name`) and the source map that leads a frame to src/.

const cwd = fileURLToPath(new URL('..', import.meta.url));
const dist = (name: string): string => readFileSync(fileURLToPath(new URL(`../dist/${name}`, import.meta.url)), 'utf8');

it('shortens the locals and parameters of node-sync.js and node-sync.cjs, and keeps their top-level names', () => {
  for (const file of ['node-sync.js', 'node-sync.cjs']) {
    const text = dist(file);
    // wasm-file.ts's shippedModule(entry, name, url, legacyFs)
    expect(text, file).toMatch(/function shippedModule\([A-Za-z_$]{1,2},[A-Za-z_$]{1,2},[A-Za-z_$]{1,2},[A-Za-z_$]{1,2}\)/);
    expect(text, file).toMatch(/\bAvsbEngine=class\b/);
    expect(text, file).toContain('function loadDatafile(');
    // the scope keeper the build appends is taken out again
    expect(text, file).not.toContain('__avsbKeepTopLevelNames');
  }
});

it("keeps every exported function's and class's name, in ESM and in CJS", () => {
  const body = (load: string): string =>
    `const m = ${load}; console.log(JSON.stringify(Object.entries(m).filter(([, v]) => typeof v === 'function').map(([k, v]) => [k, v.name])))`;
  const esm = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', body("await import('@avsb/engine/node')")], { cwd, encoding: 'utf8' })) as [string, string][];
  const cjs = JSON.parse(execFileSync(process.execPath, ['--input-type=commonjs', '-e', body("require('./dist/node-sync.cjs')")], { cwd, encoding: 'utf8' })) as [string, string][];
  for (const names of [esm, cjs]) {
    expect(names.length).toBeGreaterThan(10);
    for (const [exported, name] of names) expect(name).toBe(exported);
  }
});

it('leads a stack through node-sync.js to src/ under --enable-source-maps', () => {
  const stack = execFileSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', "const m = await import('@avsb/engine/node'); try { m.AvsbEngine.createSync({}); } catch (e) { console.log(e.stack); }"],
    { cwd, encoding: 'utf8' },
  );
  expect(stack).toMatch(/at \S*createSync \(\S*\/packages\/engine\/src\/[\w-]+\.ts:\d+:\d+\)/);
});
