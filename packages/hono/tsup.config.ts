import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // runs on Node and on Web-standard runtimes (workerd, Deno, Bun, Vercel Edge): no Node built-ins
  platform: 'neutral',
  splitting: false,
});
