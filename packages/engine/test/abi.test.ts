import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPORT_NAMES } from '../src/exports';
import { wasmModule } from './support/wasm';

const abiDoc = readFileSync(fileURLToPath(new URL('../ABI.md', import.meta.url)), 'utf8');
const documented = [...abiDoc.matchAll(/^\| `(memory|avsb_[a-z_]+)` \|/gm)].map((m) => m[1]).sort();

describe.each(['release', 'debug'] as const)('the %s binary', (binary) => {
  it('exports exactly what ABI.md documents', () => {
    const exported = WebAssembly.Module.exports(wasmModule(binary)).map((e) => e.name).sort();
    expect(exported).toEqual(documented);
  });

  it('imports nothing, so any host can instantiate it with an empty import object', () => {
    expect(WebAssembly.Module.imports(wasmModule(binary))).toEqual([]);
  });
});

it('lists the same exports in the TypeScript host as in ABI.md', () => {
  expect([...EXPORT_NAMES].sort()).toEqual(documented);
});
