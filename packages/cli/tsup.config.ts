import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __AVSB_CLI_VERSION__: JSON.stringify(version) };

export default defineConfig([
  // The programmatic entry: ESM and CJS with types.
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    define,
  },
  // The `avsb` executable: one ESM file with a shebang.
  {
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    define,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
