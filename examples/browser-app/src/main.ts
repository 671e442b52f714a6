// The page's A vs B client, as the @avsb/browser guide sets it up: one client for the visitor, reads that never wait,
// a re-render on every change (a toggle in the dashboard arrives over the stream), a tracked click, close on leaving.
import { type AvsbBrowserClient, createClient } from '@avsb/browser';
import { visitorFromPage } from './visitor';
import { renderFlags, renderStatus } from './view';

// Filled in at build time from AVSB_CLIENT_KEY and AVSB_BASE_URL by both builds (page-defines.mjs): a client key is
// not secret, it only reads the flags marked for client-side use.
declare const __AVSB_CLIENT_KEY__: string;
declare const __AVSB_BASE_URL__: string;

function start(): AvsbBrowserClient | undefined {
  const context = visitorFromPage(location, globalThis.localStorage);
  document.getElementById('visitor')!.textContent = context.key as string;
  try {
    return createClient({ clientKey: __AVSB_CLIENT_KEY__, baseUrl: __AVSB_BASE_URL__, context });
  } catch (error) {
    // AvsbConfigError: no client key (or a server key) at build time; its message never quotes the key
    renderStatus('error', `A vs B is not configured: ${(error as Error).message}`);
    return undefined;
  }
}

const client = start();
if (client) {
  // Reads never throw and never wait: this first paint shows the defaults until the datafile is in.
  renderFlags(client);
  client.on('change', () => renderFlags(client));

  void client.waitForReady({ timeoutMs: 5000 }).then((result) => {
    renderFlags(client);
    if (result.ready) renderStatus('ready', `Flags of revision ${result.revision}.`);
    else renderStatus('error', `Showing defaults (${result.error.kind}): ${result.error.message}`);
  });

  let inCart = 0;
  document.getElementById('add-to-cart')!.addEventListener('click', () => {
    inCart += 1;
    document.getElementById('cart')!.textContent = String(inCart);
    client.track('add-to-cart', { value: 1, properties: { theme: client.getStringFlag('ui-theme', 'default') } });
  });

  // The SDK sends what is queued by sendBeacon on pagehide by itself; close() also stops the stream. A page that goes
  // into the back/forward cache (persisted) may come back, so it keeps its client.
  addEventListener('pagehide', (event) => {
    if (!event.persisted) void client.close();
  });
}
