import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createNodePlatform } from '../src/node-platform';
import { MemoryLogger } from '@avsb/test-support';

// What `import('@avsb/node')` costs a fresh process (issue 9's cold start): an
// ESM import of node:crypto or node:fs cost it about 2 and 1.3 ms (Node builds
// a module record of every export, which loads its streams), so the SDK
// reaches them through process.getBuiltinModule when it first needs them.

it('loads no Node built-in module at import, nor when it serves its first flag', () => {
  const script = `
    // the first file an ESM loader reads loads node:fs/promises: after that, only what the SDK imports shows
    await import('@avsb/engine');
    const before = new Set(process.moduleLoadList);
    const { AvsbServer } = await import('@avsb/node');
    const atImport = process.moduleLoadList.filter((m) => !before.has(m));
    const datafile = { schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [false, true], fallthrough: { variation: 1 } }] };
    const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: datafile, logLevel: 'error' });
    const value = server.forUser({ kind: 'user', key: 'u' }).getBoolFlag('f', false);
    // less the loader's own (the first import.meta it serves loads one)
    const atFirstRead = process.moduleLoadList.filter((m) => !before.has(m) && !m.startsWith('NativeModule internal/modules/'));
    await server.close();
    // what the observation catches: node:crypto loads its internals when first reached
    const platform = (await import('@avsb/node')).createNodePlatform({ debug() {}, info() {}, warn() {}, error() {} });
    const id = platform.randomId();
    const crypto = process.moduleLoadList.some((m) => !before.has(m) && m.includes('crypto'));
    console.log(JSON.stringify({ atImport, atFirstRead, value, id: /^[0-9a-f-]{36}$/.test(id), crypto }));
  `;
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ atImport: [], atFirstRead: [], value: true, id: true, crypto: true });
});

it('makes a new UUID for each id', () => {
  const platform = createNodePlatform(new MemoryLogger());
  const ids = new Set(Array.from({ length: 100 }, () => platform.randomId()));
  expect(ids.size).toBe(100);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
