// The start-up page's measurement: a returning visitor's page creates its client as soon as its module runs (the
// datafile cached in localStorage, the network held back by the test) and notes, with performance.now(), when the
// first read is answered by the engine. The test reads `window.startUp` and prints the figures.
import type { AvsbBrowserClient, BrowserClientOptions } from '@avsb/browser';

/** What the page noted, in ms since the navigation started (performance.now()). */
export interface StartUpFigures {
  /** When the page's first (classic, inline) script ran. */
  readonly pageScript: number;
  /** When the application's module body started, after the SDK's module was evaluated. */
  readonly created: number;
  /** When `createClient` returned. */
  readonly returned: number;
  /** When the first read was answered from the cached datafile. */
  readonly firstRead: number;
  /** The `.wasm` request (Resource Timing; absent for the inline entry): when it started, its first and last byte. */
  readonly wasm: { readonly start: number; readonly firstByte: number; readonly end: number } | null;
  readonly value: unknown;
  readonly reason: string;
  /**
   * `?marks=1`: when the `update` listener heard of the cached datafile, and the `change` listener (after the pass that
   * evaluates every flag for change events), or `null`; `?marks=update`: the `update` listener alone.
   */
  readonly updated?: number | null;
  readonly changed?: number | null;
  /** `?marks=1`: how many flags `allFlags()` served after the first read. */
  readonly flagCount?: number;
}

declare global {
  interface Window {
    startUp?: StartUpFigures | { error: string };
    pageScriptAt?: number;
  }
}

/**
 * Creates the client at once, as a page would, and notes when its first evaluated read came. `?mode=late` first spends
 * 15 ms as other modules of an application would; `?mode=own` passes the page's own engine (the evaluator beside it).
 */
export function measureStartUp(createClient: (options: BrowserClientOptions) => AvsbBrowserClient): void {
  const params = new URLSearchParams(location.search);
  const baseUrl = params.get('baseUrl');
  const clientKey = params.get('clientKey');
  if (baseUrl === null || clientKey === null) return;
  const mode = params.get('mode');
  for (const end = performance.now() + 15; mode === 'late' && performance.now() < end; );
  const engine = mode === 'own' ? { engine: WebAssembly.compileStreaming(fetch('/avsb-evaluator.wasm')) } : {};
  const created = performance.now();
  const client = createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false, logLevel: 'none', ...engine });
  const returned = performance.now();
  let updated: number | null = null;
  let changed: number | null = null;
  const marks = params.get('marks') === '1';
  if (marks || params.get('marks') === 'update') client.on('update', () => void (updated ??= performance.now()));
  if (marks) client.on('change', () => void (changed ??= performance.now()));
  void client.waitForReady({ timeoutMs: 10_000 }).then((result) => {
    const detail = client.getStringFlagDetails('ui-theme', 'none');
    const firstRead = performance.now();
    const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm')) as PerformanceResourceTiming | undefined;
    const wasm = entry ? { start: entry.startTime, firstByte: entry.responseStart, end: entry.responseEnd } : null;
    window.startUp = result.ready
      ? { pageScript: window.pageScriptAt ?? 0, created, returned, firstRead, wasm, value: detail.value, reason: detail.reason.kind, updated, changed, ...(marks ? { flagCount: Object.keys(client.allFlags()).length } : {}) }
      : { error: result.error.message };
  });
}
