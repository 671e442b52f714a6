import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { importedModules, inFreshNode, nodeCopyExports } from '@avsb/test-support';

// Node gets its own copy of the index (`module-sync`, dist/index.node.js) with @avsb/common inlined: a bare specifier
// and a module less on @avsb/node's import (tools/bench/earlier-measurements.md, "@avsb/node's import after the
// sixteenth session's pass"). Bundlers keep dist/index.js, which imports common, so a bundle holds common once.

const cwd = fileURLToPath(new URL('..', import.meta.url));
const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

it("gives Node a copy of the index that imports no @avsb/common, with the index's exports", async () => {
  const { resolved, node, index } = await nodeCopyExports(cwd, '@avsb/core', dist('index.js'));
  expect(resolved).toMatch(/\/dist\/index\.node\.js$/);
  expect(node).toEqual(index);
  expect(node).toContain('validateContext');
  const imports = (file: string) => importedModules(dist(file)).filter((m) => m.startsWith('@avsb/'));
  expect(imports('index.node.js')).toEqual(['@avsb/engine']);
  expect(imports('index.js')).toEqual(['@avsb/common', '@avsb/engine']);
});

it("behaves as the index: common's context rules and messages, inlined", async () => {
  const out = await inFreshNode<{ valid: boolean; problem: string; url: unknown }>(cwd, `
    const { validateContext, parseHttpUrl } = await import('@avsb/core');
    const valid = validateContext({ kind: 'user', key: 'u' }).valid;
    const invalid = validateContext({ kind: 'user' });
    console.log(JSON.stringify({ valid, problem: invalid.valid ? '' : invalid.problem, url: parseHttpUrl('http://127.0.0.1:1/x', 'baseUrl').ok }));
  `);
  expect(out).toEqual({ valid: true, problem: expect.stringMatching(/key/), url: true });
});

it('leads a stack in inlined code to the source it came from', () => {
  const map = JSON.parse(readFileSync(dist('index.node.js.map'), 'utf8')) as { sources: string[] };
  const sources = map.sources.map((s) => resolve(dirname(dist('index.node.js')), s).replace(/.*\/packages\//, ''));
  expect(sources).toContain('common/src/context.ts');
  expect(sources).toContain('core/src/scoped-client.ts');
  expect(sources.filter((s) => !/^(common|core|protocol)\/src\/[\w/-]+\.ts$/.test(s))).toEqual([]);
});
