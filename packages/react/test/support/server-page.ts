// Test support: the page a server sends after rendering the test app with bootstrap values.
import type { AvsbContext, JsonValue } from '@avsb/browser';
import { AvsbServer } from '@avsb/node';
import type { ReactMajor } from './bundle';
import type { ReactSuite } from './react-suite';

/**
 * The HTML the server rendered with `bootstrap` for `context` (no client key), the provider's props for the client, and a script
 * that records what #banner and #theme show before any module runs (the first paint, in `window.firstPaint`) and
 * every later change (`window.painted`).
 */
export function serverPage(suite: ReactSuite, major: ReactMajor, context: AvsbContext, bootstrap: Record<string, JsonValue>): string {
  const props = { clientKey: suite.server.clientKey, baseUrl: suite.server.url, context, bootstrap };
  // the server renders without the client key, as README section 4 does: only the browser's client needs it
  const { clientKey: _browserOnly, ...serverProps } = props;
  const html = suite.ssr(major).renderApp(serverProps);
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  return `<!doctype html><meta charset="utf-8"><title>ssr</title><link rel="icon" href="data:,">
<div id="root">${html}</div>
<script>
  window.__AVSB_PROPS__ = ${json(props)};
  const shown = () => [document.getElementById('banner')?.textContent, document.getElementById('theme')?.textContent];
  window.firstPaint = shown();
  window.painted = [window.firstPaint];
  new MutationObserver(() => {
    const now = shown();
    const last = window.painted[window.painted.length - 1];
    if (now[0] !== last[0] || now[1] !== last[1]) window.painted.push(now);
  }).observe(document.getElementById('root'), { subtree: true, childList: true, characterData: true });
</script>
<script type="module" src="/app.js"></script>
`;
}

/** The bootstrap values a server (`@avsb/node`, `allFlags` with `clientSideOnly`) computes for `context` from the suite's project. */
export async function serverValuesFor(suite: ReactSuite, context: AvsbContext): Promise<Record<string, JsonValue>> {
  const node = new AvsbServer({ sdkKey: suite.server.serverKey, baseUrl: suite.server.url, events: false, logLevel: 'error' });
  try {
    await node.onReady({ timeoutMs: 10_000 });
    return { ...node.allFlags(context, { clientSideOnly: true }) };
  } finally {
    await node.close();
  }
}
