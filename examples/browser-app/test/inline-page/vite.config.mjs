// @ts-check
// `vite build test/inline-page`: the test page on @avsb/browser/inline, with the example's defines.
import { defineConfig } from 'vite';
import { pageDefines } from '../../page-defines.mjs';

export default defineConfig({ define: pageDefines(), logLevel: 'warn' });
