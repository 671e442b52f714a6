import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend } from '../test/support/harness';
import type { Backend } from '../test/support/harness';

// The child runs this package's source, bundled on the fly with the esbuild that tsup uses, so the
// test needs no prior build.
const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve('tsup'))('esbuild') as {
  build(options: Record<string, unknown>): Promise<unknown>;
};

let dir: string;
let backend: Backend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'avsb-events-timers-'));
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    outfile: join(dir, 'events.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
  });
  writeFileSync(join(dir, 'child.mjs'), CHILD);
  backend = await startBackend();
});
afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

const CHILD = `
import { EventPipeline, createPlatform, fetchTransport } from './events.mjs';
const [baseUrl, sdkKey, mode] = process.argv.slice(2);
const platform = createPlatform({ transport: fetchTransport({ baseUrl, sdkKey }) });
const hour = 3_600_000;
const pipeline = new EventPipeline(platform, { flushIntervalMs: hour, retryInitialDelayMs: mode === 'close' ? 50 : hour });
pipeline.recordCustom({ key: 'child', context: { key: 'u_child' } });
if (mode === 'retrying') await pipeline.flush(); // the server is down: a retry is due in an hour
if (mode === 'close') {
  await pipeline.close(400); // retries until the bound, keeping the process alive until it settles
  console.log('closed', JSON.stringify(pipeline.diagnostics()));
}
if (mode === 'sent') await pipeline.flush();
console.log('done', JSON.stringify(pipeline.diagnostics()));
`;

// A child that a pending timer (of an hour) kept alive is killed after 10 s: a code of -1, not 0. The tests wait for
// that kill (CHILD_TEST), not for a time of their own: a loaded machine starts a Node child in seconds.
const CHILD_TEST = { timeout: 20_000 };
function runChild(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(dir, 'child.mjs'), ...args], { timeout: 10_000 }, (error, stdout) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout });
    });
  });
}

const downUrl = 'http://127.0.0.1:9'; // discard port: nothing listens, connections are refused

it('lets the process exit on its own while the flush interval is pending', CHILD_TEST, async () => {
  const child = await runChild([downUrl, 'srv-x', 'idle']);
  expect(child.stdout).toContain('done');
  expect(child.code).toBe(0);
});

it('lets the process exit on its own while a retry is pending', CHILD_TEST, async () => {
  const child = await runChild([downUrl, 'srv-x', 'retrying']);
  expect(child.stdout).toMatch(/done .*"queued":2/);
  expect(child.code).toBe(0);
});

it('keeps the process alive until close() settles, and no longer', CHILD_TEST, async () => {
  const child = await runChild([downUrl, 'srv-x', 'close']);
  expect(child.stdout).toMatch(/closed .*"queued":0,"dropped":2/);
  expect(child.code).toBe(0);
});

it('exits after sending to the real server', CHILD_TEST, async () => {
  const before = (await backend.events()).length;
  const child = await runChild([backend.server.url, backend.sdkKey, 'sent']);
  expect(child.stdout).toMatch(/done .*"sent":2/);
  expect(child.code).toBe(0);
  expect((await backend.events()).slice(before).map((e) => e.kind)).toEqual(['context', 'custom']);
});
