import { expect, it } from 'vitest';
import { AvsbServer } from '../src/index';
import type { AvsbServerOptions } from '../src/index';
import { startRealServer } from './support/harness';
import { MemoryLogger } from '@avsb/test-support';

// The README's way back to Node's fetch, `fetch: globalThis.fetch`, must compile as written (the package's
// `typecheck` checks this file) and carry every request; so must a standard fetch of the user's own.
it('takes a standard fetch as it is (no cast), and sends every request through it', async () => {
  const asDocumented: AvsbServerOptions = { sdkKey: 'srv-types', fetch: globalThis.fetch };
  expect(asDocumented.fetch).toBe(globalThis.fetch);
  const calls: string[] = [];
  const counted: typeof globalThis.fetch = (input, init) => {
    calls.push(String(input));
    return globalThis.fetch(input, init);
  };
  const real = await startRealServer();
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logger: new MemoryLogger(), streaming: false, events: false, fetch: counted });
  try {
    expect((await server.onReady({ timeoutMs: 5000 })).ready).toBe(true);
    expect(calls).toEqual([`${real.url}/sdk/v1/datafile`]);
  } finally {
    await server.close();
    await real.close();
  }
});
