// @ts-check
import { defineConfig } from 'vite';
import { pageDefines } from './page-defines.mjs';

export default defineConfig({
  define: pageDefines(),
  // Pre-bundling would move @avsb/browser into .vite/deps, where `new URL('./avsb-evaluator.wasm', import.meta.url)`
  // points at no file: the dev server serves the package as it is instead. `vite build` emits the .wasm on its own.
  optimizeDeps: { exclude: ['@avsb/browser'] },
  build: { outDir: 'dist/vite' },
});
