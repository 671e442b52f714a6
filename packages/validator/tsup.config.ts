import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  // The protocol's JSON Schemas are compiled in, so no runtime reads files or needs JSON import attributes.
  noExternal: [/\.schema\.json$/],
});
