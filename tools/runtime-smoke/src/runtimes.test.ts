// The user's guide in Bun and Deno (guide-smoke.ts), driven from Node: the
// real A vs B server (`@avsb/server`, seeded with the guide's `shop` project)
// runs here on 127.0.0.1, the runtime runs the script with AVSB_BASE_URL and
// AVSB_SDK_KEY in its environment, and this side checks that the event the
// script tracked was stored. A runtime whose binary does not run on this
// machine skips its tests with the reason, except in CI (CI set), where they
// fail instead, as the browser tests do without Chromium.
import { type SandboxServer, startSandboxServer } from '@avsb/server';
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { describe, packageVersion, probe, run, runtime } from './runtimes';
import type { RunResult, RuntimeName } from './runtimes';

const SCRIPT = 'src/guide-smoke.ts';
const NAMES: readonly RuntimeName[] = ['bun', 'deno'];
const probes = new Map(await Promise.all(NAMES.map(async (name) => [name, await probe(name)] as const)));

let real: SandboxServer;
beforeAll(async () => {
  real = await startSandboxServer();
});
afterAll(async () => {
  await real?.close();
});

/** Fails with the runtime's output unless the run exited 0. */
function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0) expect.fail(`${what}: ${describe(result)}`);
}

interface StoredEvent {
  kind: string;
  key?: string;
  value?: number;
  properties?: Record<string, unknown>;
  contextKeys?: Record<string, string>;
}

for (const name of NAMES) {
  const probed = probes.get(name)!;
  const skip = !probed.ok && !process.env.CI;
  if (skip) console.warn(`[runtime-smoke] skipping ${name} ${packageVersion(name)}: ${probed.problem} (set CI=1 to fail instead)`);

  suite.skipIf(skip)(`${name} ${packageVersion(name)}`, () => {
    it('runs the binary installed from npm', () => {
      if (!probed.ok) expect.fail(probed.problem);
      expect(probed.version).toContain(packageVersion(name));
    });

    it("runs the guide's tests on MockAvsbServer and TestData", async () => {
      const result = await run(runtime(name).command, [SCRIPT], { AVSB_SDK_KEY: '' });
      expectSuccess(result, `${name} ${SCRIPT}`);
      expect(result.stdout).toContain('mock: ok');
    });

    it('reads flags from a real A vs B server and delivers the tracked event on close()', async () => {
      const result = await run(runtime(name).command, [SCRIPT], { AVSB_BASE_URL: real.url, AVSB_SDK_KEY: real.serverKey });
      expectSuccess(result, `${name} ${SCRIPT} against ${real.url}`);
      expect(result.stdout).toContain('real: ok');
      // close() resolved before the process exited: the event is stored already, no waiting
      const events = await real.admin<StoredEvent[]>('/events?limit=1000');
      const purchases = events.filter((e) => e.kind === 'custom' && e.properties?.runtime === name);
      expect(purchases).toEqual([
        expect.objectContaining({ key: 'purchase', value: 149.99, properties: { currency: 'usd', runtime: name }, contextKeys: { user: 'u_1' } }),
      ]);
    });
  });
}
