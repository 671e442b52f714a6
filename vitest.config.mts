import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tools/conformance', 'tools/contract-tests', 'tools/runtime-smoke', 'tools/doc-snippets', 'examples/*'],
  },
});
