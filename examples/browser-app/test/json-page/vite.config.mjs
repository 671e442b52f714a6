// @ts-check
// `vite build test/json-page`: the test page that imports jsonDatafiles, with the example's defines.
import { defineConfig } from 'vite';
import { pageDefines } from '../../page-defines.mjs';

export default defineConfig({ define: pageDefines(), logLevel: 'warn' });
