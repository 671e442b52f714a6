// The shop against the real local A vs B server: once in-process, and once as
// the built app (`node dist/main.js`, what `pnpm start` runs) stopped by SIGTERM.
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { createApp } from './app.js';
import { cookieOf, request, serve } from '../test/support/http.js';
import type { RealServer } from '@avsb/test-support/real-server';
import { startRealServer } from '@avsb/test-support/real-server';

const root = fileURLToPath(new URL('..', import.meta.url));
let real: RealServer;

beforeAll(async () => {
  real = await startRealServer();
  // build the app as `pnpm start` does
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root });
});

afterAll(async () => {
  await real?.close();
});

async function eventsOf(kind: string, count: number): Promise<any[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = (await real.events()).filter((e) => e.kind === kind);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('serves the seeded shop flags from the real server', async () => {
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logLevel: 'warn' });
  expect((await server.onReady({ timeoutMs: 5000 })).ready).toBe(true);
  const shop = await serve(createApp(server));
  try {
    const login = await shop.call('/login', { method: 'POST', body: { userId: 'u_1' } });
    expect(login.body).toEqual({ userId: 'u_1', showNewCheckout: true });
    expect((await shop.call('/checkout', { cookie: cookieOf(login, 'demo_session') })).body).toEqual({ showNewCheckout: true, theme: 'default' });
    // u_9's email is @avsb.dev: a beta tester, who gets the dark theme
    const beta = cookieOf(await shop.call('/login', { method: 'POST', body: { userId: 'u_9' } }), 'demo_session');
    expect((await shop.call('/checkout', { cookie: beta })).body.theme).toBe('dark');
  } finally {
    await shop.close();
    await server.close();
  }
});

it('runs as `pnpm start` does, never prints the key, and flushes events on SIGTERM', async () => {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: root,
    env: { ...process.env, AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 15_000);
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const cookie = cookieOf(await request(`${url}/login`, { method: 'POST', body: { userId: 'u_2' } }), 'demo_session');
    expect((await request(`${url}/checkout`, { cookie })).body).toEqual({ showNewCheckout: true, theme: 'default' });
    expect((await request(`${url}/purchase`, { method: 'POST', body: { amount: 42.5 }, cookie })).status).toBe(202);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
  expect(output).toContain('SIGTERM: shutting down');
  expect(output).not.toContain(real.serverKey);
  // the purchase was still queued when SIGTERM came: close() delivered it
  const purchases = await eventsOf('custom', 1);
  expect(purchases).toEqual([expect.objectContaining({ key: 'purchase', value: 42.5, properties: { currency: 'usd' }, contextKeys: { user: 'u_2' } })]);
});

it('refuses to start without AVSB_SDK_KEY and says where to find it', async () => {
  const env = { ...process.env };
  delete env.AVSB_SDK_KEY;
  const result = await promisify(execFile)(process.execPath, ['dist/main.js'], { cwd: root, env }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Set AVSB_SDK_KEY to the server SDK key');
});
