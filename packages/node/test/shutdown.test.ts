import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RealServer } from './support/harness';
import { waitFor } from '@avsb/test-support';
import { startRealServer } from './support/harness';

const APP = fileURLToPath(new URL('./fixtures/shutdown-app.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let real: RealServer;
beforeAll(async () => {
  real = await startRealServer();
});
afterAll(async () => {
  await real?.close();
});

function run(visitor: string, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [APP], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, VISITOR_KEY: visitor, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

it('exits cleanly on SIGTERM after flushing its events (the README pattern)', async () => {
  expect(existsSync(DIST), 'build @avsb/node first (pnpm build)').toBe(true);
  const visitor = `sigterm-${Date.now()}`;
  const app = run(visitor);
  await waitFor(() => /^ready$/m.test(app.out()), 10_000, `the app to start (stderr: ${app.err()})`);
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
  expect(app.out()).toContain('closed');
  expect(app.err()).toBe('');
  const events = await real.events();
  const mine = events.filter((e: any) => JSON.stringify(e).includes(visitor));
  expect(mine.map((e: any) => e.kind).sort()).toEqual(['context', 'custom', 'exposure']);
}, 20_000);

it('leaves nothing that keeps the process alive after close()', async () => {
  // no process.exit: once close() returns, the stream, its timers and the event pipeline are gone
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { AvsbServer } from '@avsb/node';
       const s = new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY });
       const r = await s.onReady({ timeoutMs: 5000 });
       s.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false);
       await s.close();
       console.log(r.ready ? 'ready' : r.error.message);
       console.log('timers holding the process:', process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length);`,
    ],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  // what keeps it alive once closed, asked of Node (not timed: a loaded machine runs a child for seconds)
  expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^\[avsb\] ready: serving datafile revision \d+ \(4 flags\)$/), 'ready', 'timers holding the process: 0']);
}, 20_000);

it('keeps no process alive with its timers while it retries an unreachable service', async () => {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { AvsbServer } from '@avsb/node';
       const s = new AvsbServer({ sdkKey: 'srv-x', baseUrl: 'http://127.0.0.1:9', logLevel: 'none', pollIntervalMs: 60000 });
       s.forUser({ key: 'u_1' }).track('visit');
       // asked once this timer has run (Node lists a timer as active during its own callback)
       setTimeout(() => setImmediate(() => console.log('app done; timers holding the process:', process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length)), 1500);`,
    ],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  // backoff, fallback polling and the event pipeline's timers are all pending: none of them holds the process, as Node
  // says (not timed: a loaded machine runs a child for seconds)
  expect(out.trim()).toBe('app done; timers holding the process: 0');
}, 20_000);
