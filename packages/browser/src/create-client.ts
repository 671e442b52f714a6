import { AvsbBrowserClient } from './browser-client';
import { defaultWasmUrl } from './evaluator-url';
import type { BrowserClientOptions } from './options';

/**
 * Creates the A vs B client of a page for one context:
 *
 * ```ts
 * import { createClient } from '@avsb/browser';
 * const client = createClient({ clientKey: 'cli-…', context: { kind: 'user', key: 'u_1' }, bootstrap });
 * client.getBoolFlag('checkout-v2', false); // never throws, never waits
 * client.on('change:checkout-v2', (value) => render(value));
 * ```
 *
 * Throws `AvsbConfigError` for a missing or server key (`srv-…`, which is
 * then sent nowhere), or a bad `baseUrl`; nothing else throws. Returns at
 * once: the engine loads, the cached datafile is served and the network is
 * asked in the background (`waitForReady()` waits for them).
 */
export function createClient(options: BrowserClientOptions): AvsbBrowserClient {
  return new AvsbBrowserClient(options, defaultWasmUrl());
}
