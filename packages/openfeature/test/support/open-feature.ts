// Test support: the real OpenFeature server SDK, one domain per test so that
// tests never share a provider through OpenFeature's global registry.
import { OpenFeature } from '@openfeature/server-sdk';
import type { Client } from '@openfeature/server-sdk';
import { afterEach } from 'vitest';
import { AvsbProvider } from '../../src/index';
import type { AvsbProviderOptions, AvsbProviderServer } from '../../src/index';

let next = 0;

// clearProviders shuts every provider down (onClose) and unregisters it; close() alone keeps them set
afterEach(async () => {
  await OpenFeature.clearProviders();
});

/** A fresh domain name, for a test that sets its provider itself. */
export function domain(): string {
  return `avsb-test-${++next}`;
}

/** `OpenFeature.setProviderAndWait(domain, new AvsbProvider(server))` and that domain's client. */
export async function readyClient(server: AvsbProviderServer, options?: AvsbProviderOptions): Promise<{ client: Client; provider: AvsbProvider }> {
  const name = domain();
  const provider = new AvsbProvider(server, options);
  await OpenFeature.setProviderAndWait(name, provider);
  return { client: OpenFeature.getClient(name), provider };
}
