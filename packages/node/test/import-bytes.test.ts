import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// A fresh process parses every byte of a module at import(), comments and indentation too: the files a server's
// import loads are built without them (compactEntries in tools/build/tsup-preset.ts), ≈ 6 % of the import's CPU
// (tools/bench/earlier-measurements.md, "@avsb/node's cold start after the fifteenth session's pass").

const cwd = fileURLToPath(new URL('..', import.meta.url));

/** The files Node loads for `import('@avsb/node')` and `require('@avsb/node')`, as this package resolves them. */
function loadedFiles(): string[] {
  const script = `
    const { createRequire } = await import('node:module');
    const require = createRequire(process.cwd() + '/package.json');
    const esm = ['@avsb/node', '@avsb/core', '@avsb/engine', '@avsb/engine/node'].map((s) => import.meta.resolve(s));
    const cjs = ['@avsb/node', '@avsb/core'].map((s) => require.resolve(s));
    console.log(JSON.stringify([...new Set([...esm.map((u) => new URL(u).pathname), ...cjs])]));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' })) as string[];
}

it('loads a server without comments or indentation to parse', () => {
  const files = loadedFiles();
  expect(files.map((f) => f.replace(/.*\/packages\//, ''))).toEqual(['node/dist/index.js', 'core/dist/index.node.js', 'engine/dist/node-sync.js', 'node/dist/index.cjs', 'core/dist/index.cjs']);
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    // the source map's link, and esbuild's annotations (/* @__PURE__ */), which are code for bundlers, stay
    const comments = lines.filter((l) => /^\s*(\/\/|\/\*|\*)/.test(l) && !l.startsWith('//# sourceMappingURL='));
    const indented = lines.filter((l) => /^\s/.test(l));
    expect({ file, comments: comments.length, indented: indented.length }).toEqual({ file, comments: 0, indented: 0 });
  }
});

it('still reports where a problem is in the TypeScript, through the source maps', () => {
  const script = `
    const { AvsbServer } = await import('@avsb/node');
    try { new AvsbServer({ sdkKey: 'cli-0123456789' }); } catch (e) { console.log(e.stack.split('\\n')[1]); }
  `;
  const frame = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  expect(frame).toMatch(/at checkSdkKey \(.*\/packages\/node\/src\/options\.ts:\d+:\d+\)/);
});
