// A page for a service that may answer JSON datafiles (one that predates compiled datafiles): it opts in with
// `jsonDatafiles` of @avsb/browser/json-datafiles, so `vite build` emits avsb-engine.wasm beside the evaluator.
import { createClient } from '@avsb/browser';
import { jsonDatafiles } from '@avsb/browser/json-datafiles';

// filled in at build time by vite.config.mjs, as the example's page is (page-defines.mjs)
declare const __AVSB_CLIENT_KEY__: string;
declare const __AVSB_BASE_URL__: string;

const user = new URLSearchParams(location.search).get('user') ?? 'u_1';
const client = createClient({ clientKey: __AVSB_CLIENT_KEY__, baseUrl: __AVSB_BASE_URL__, context: { kind: 'user', key: user }, events: false, jsonDatafiles });
void client.waitForReady({ timeoutMs: 10_000 }).then((result) => {
  document.getElementById('theme')!.textContent = client.getStringFlag('ui-theme', 'default');
  document.documentElement.dataset.avsb = result.ready ? 'ready' : 'error';
});
