import { packageBuild } from '../../tools/build/tsup-preset';

// Two builds write into one dist/, so neither cleans it.
export default [
  // The programmatic entry: ESM and CJS with types.
  packageBuild({ runtime: 'node', versionConstant: '__AVSB_CLI_VERSION__', clean: false }),
  // The `avsb` executable: one ESM file with a shebang.
  packageBuild({
    entry: { cli: 'src/cli.ts' },
    runtime: 'node',
    versionConstant: '__AVSB_CLI_VERSION__',
    clean: false,
    format: ['esm'],
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
];
