import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';

// What a fresh process resolves on `import('@avsb/node')` (issue 9's cold start): each bare specifier costs Node's
// loader a walk up node_modules, a package.json and its exports map and a realpath (≈ 1 ms of CPU each, bench README),
// and each package entry a file to read and compile. @avsb/core inlines @avsb/protocol's two constants, so the
// protocol package is not on the path, and Node's copy of core's index (`module-sync`) inlines @avsb/common too.

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

it('resolves three bare specifiers below @avsb/node and loads one entry of each package, none of @avsb/protocol or @avsb/common', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-node-specifiers-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'resolved.txt');
  // a resolve hook writes each bare specifier a package's built file asks for, with that package and the file it gets
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/^@avsb\\//.test(specifier) && context.parentURL?.includes('/dist/')) {
    const from = context.parentURL.replace(/.*\\/packages\\/([^/]+)\\/.*/, '$1');
    const to = result.url.replace(/.*\\/packages\\//, '');
    appendFileSync(${JSON.stringify(log)}, from + ' ' + specifier + ' ' + to + '\\n');
  }
  return result;
}
`,
  );
  const script = `
    import { register } from 'node:module';
    register(${JSON.stringify(pathToFileURL(hook).href)});
    const { AvsbServer } = await import('@avsb/node');
    console.log(typeof AvsbServer);
  `;
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  expect(out.trim()).toBe('function');
  const resolved = [...new Set(readFileSync(log, 'utf8').trim().split('\n'))].sort();
  expect(resolved).toEqual([
    // on Node 20.19+ the `module-sync` condition gives both engine specifiers one file (the engine's package.json)
    'core @avsb/engine engine/dist/node-sync.js',
    'node @avsb/core core/dist/index.node.js',
    'node @avsb/engine/node engine/dist/node-sync.js',
  ]);
});
