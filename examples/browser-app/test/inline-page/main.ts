// A page built from @avsb/browser/inline, for bundlers that cannot emit assets or single-file builds: the engine is in
// the JavaScript, so `vite build` emits no .wasm and the page fetches none.
import { createClient } from '@avsb/browser/inline';

// filled in at build time by vite.config.mjs, as the example's page is (page-defines.mjs)
declare const __AVSB_CLIENT_KEY__: string;
declare const __AVSB_BASE_URL__: string;

const user = new URLSearchParams(location.search).get('user') ?? 'u_1';
const client = createClient({ clientKey: __AVSB_CLIENT_KEY__, baseUrl: __AVSB_BASE_URL__, context: { kind: 'user', key: user }, events: false });
void client.waitForReady({ timeoutMs: 10_000 }).then((result) => {
  document.getElementById('theme')!.textContent = client.getStringFlag('ui-theme', 'default');
  document.documentElement.dataset.avsb = result.ready ? 'ready' : 'error';
});
