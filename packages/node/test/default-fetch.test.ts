// AvsbServer's default requests: over node:http(s) against the real service, and through the global fetch once the
// application configured that one. The tests run in order: the last ones call the global fetch, which installs
// undici's global dispatcher for the rest of this process.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryLogger, waitFor } from '@avsb/test-support';
import { AvsbServer, createNodePlatform } from '../src/index';
import type { RealServer } from './support/harness';
import { startRealServer } from './support/harness';
import type { TestServer } from './support/http-servers';
import { selfSignedCertificate, startTestServer } from './support/http-servers';

const HTTPS_APP = fileURLToPath(new URL('./fixtures/https-app.mjs', import.meta.url));
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');
const undiciInstalled = (): boolean => (globalThis as Record<symbol, unknown>)[DISPATCHER] !== undefined;

/** Runs fixtures/https-app.mjs against `front` (a TLS server on 127.0.0.1) trusting `certPath`; its exit code and output. */
async function runHttpsApp(front: Server, certPath: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [HTTPS_APP], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath, AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: `https://127.0.0.1:${(front.address() as AddressInfo).port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out, err };
}

let real: RealServer;
let echo: TestServer;
beforeAll(async () => {
  real = await startRealServer();
  echo = await startTestServer((_req, res) => res.end('ok'));
});
afterAll(async () => {
  await echo?.close();
  await real?.close();
});

it('gets ready, follows a streamed toggle and posts events over node:http by default, never loading Node’s fetch', async () => {
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logger: new MemoryLogger(), events: { flushIntervalMs: 60_000 } });
  try {
    expect((await server.onReady({ timeoutMs: 5000 })).ready).toBe(true);
    const user = { kind: 'user', key: `node-http-${Date.now()}`, plan: 'pro' } as const;
    expect(server.forUser(user).getBoolFlag('checkout-v2', false)).toBe(true);
    const revision = server.revision!;
    expect((await real.admin('PATCH', '/flags/checkout-v2', { on: false })).status).toBe(200);
    try {
      await waitFor(() => server.revision! > revision, 5000, 'the toggle streamed');
      expect(server.forUser(user).getBoolFlag('checkout-v2', true)).toBe(false);
    } finally {
      await real.admin('PATCH', '/flags/checkout-v2', { on: true });
    }
    const before = (await real.events()).length;
    server.forUser(user).track('node-http-purchase', { value: 42 });
    await server.flush();
    expect((await real.events()).slice(before)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'custom', key: 'node-http-purchase', value: 42 })]));
  } finally {
    await server.close();
  }
  expect(undiciInstalled()).toBe(false);
});

it('reaches an https service in a fresh process that trusts its certificate through NODE_EXTRA_CA_CERTS', async () => {
  const tls = selfSignedCertificate();
  const seen: Array<{ path: string; encoding: string | undefined }> = [];
  // a TLS front for the real service, passing requests and streamed answers through
  const front = createTlsServer(tls, (req, res) => {
    seen.push({ path: req.url ?? '', encoding: req.headers['accept-encoding'] });
    const upstream = httpRequest(`${real.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  try {
    const before = (await real.events()).length;
    const { code, out, err } = await runHttpsApp(front, tls.certPath);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({ ready: true, error: null, flag: true, undiciLoaded: false });
    expect(seen.map((s) => s.path)).toEqual(expect.arrayContaining(['/sdk/v1/stream', '/sdk/v1/events']));
    expect(new Set(seen.map((s) => s.encoding))).toEqual(new Set(['gzip, deflate, br']));
    expect((await real.events()).slice(before)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'custom', key: 'https-purchase' })]));
  } finally {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    tls.dispose();
  }
}, 30_000); // a fresh Node process over TLS: seconds on a loaded machine

it('names a certificate issued for another host in the ready error and the log, without the key', async () => {
  // trusted (NODE_EXTRA_CA_CERTS) but issued for another name: the failure is the hostname check, not the trust
  const tls = selfSignedCertificate('DNS:flags.example.invalid');
  const front = createTlsServer(tls, (_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  try {
    const { code, out, err } = await runHttpsApp(front, tls.certPath, { AVSB_READY_TIMEOUT_MS: '1500' });
    expect(code).toBe(0);
    const seen = JSON.parse(out) as { ready: boolean; error: string; flag: boolean };
    expect(seen).toMatchObject({ ready: false, flag: false });
    expect(seen.error).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(err).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(`${out}${err}`).not.toContain(real.serverKey);
  } finally {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    tls.dispose();
  }
  // a fresh process, onReady's 1.5 s limit and close()'s final flush to a service it cannot reach: seconds on a busy CI
}, 30_000);

it('uses the global fetch where NODE_USE_ENV_PROXY is set, or once an undici global dispatcher is installed', async () => {
  const platform = createNodePlatform(new MemoryLogger());
  const via = async (): Promise<'node:http' | 'fetch'> => {
    await (await platform.fetch(echo.url, { method: 'GET' })).text();
    // undici sends `sec-fetch-mode: cors` and, in Node 20, no `br`; node:http neither
    return echo.seen.at(-1)!.headers['sec-fetch-mode'] === 'cors' ? 'fetch' : 'node:http';
  };
  expect(await via()).toBe('node:http');
  process.env.NODE_USE_ENV_PROXY = '1';
  try {
    expect(await via()).toBe('fetch');
  } finally {
    delete process.env.NODE_USE_ENV_PROXY;
  }
  // that fetch installed undici's default dispatcher, as `setGlobalDispatcher(new ProxyAgent(…))` installs its own
  expect(undiciInstalled()).toBe(true);
  expect(await via()).toBe('fetch');
});

it('uses the fetch given in the options for every request', async () => {
  const calls: string[] = [];
  const server = new AvsbServer({
    sdkKey: real.serverKey,
    baseUrl: real.url,
    logger: new MemoryLogger(),
    streaming: false,
    events: false,
    fetch: (url, init) => {
      calls.push(url);
      return globalThis.fetch(url, init as RequestInit);
    },
  });
  try {
    expect((await server.onReady({ timeoutMs: 5000 })).ready).toBe(true);
    expect(calls).toEqual([`${real.url}/sdk/v1/datafile`]);
  } finally {
    await server.close();
  }
});
