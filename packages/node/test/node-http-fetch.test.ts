// The SDK's default requests over node:http(s) against real servers on 127.0.0.1. This file never calls the global
// fetch where it compares with it last: Node's fetch installs undici's global dispatcher on its first call, and
// then `defaultNodeFetch` steps aside (default-fetch.test.ts).
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync, constants as zlibConstants, createGzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { nodeHttpFetch } from '../src/node-http-fetch';
import { MAX_TEXT_BYTES } from '../src/node-http-response';
import type { Handler, TestServer } from './support/http-servers';
import { selfSignedCertificate, startTestServer } from './support/http-servers';

const servers: TestServer[] = [];
const serve = async (handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> => {
  const server = await startTestServer(handler, tls);
  servers.push(server);
  return server;
};
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A request's abort after `ms`, as the SDK's timeouts make it. */
const abortAfter = (ms: number): AbortController => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller;
};

it('sends a GET with its headers and fetch’s defaults, and reads status, headers and text', async () => {
  const server = await serve((_req, res) => {
    res.setHeader('etag', '"r1"');
    res.setHeader('x-many', ['a', 'b']);
    res.end('{"ok":true}');
  });
  const response = await nodeHttpFetch(`${server.url}/sdk/v1/datafile`, { method: 'GET', headers: { Authorization: 'srv-secret', Accept: 'application/json' } });
  expect(response.status).toBe(200);
  expect(response.ok).toBe(true);
  expect(response.headers.get('ETag')).toBe('"r1"');
  expect(response.headers.get('x-many')).toBe('a, b');
  expect(response.headers.get('x-none')).toBeNull();
  expect(await response.text()).toBe('{"ok":true}');
  const { method, path, headers } = server.seen[0]!;
  expect({ method, path }).toEqual({ method: 'GET', path: '/sdk/v1/datafile' });
  expect(headers).toMatchObject({ authorization: 'srv-secret', accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'node' });
});

it('sends a POST with its string body, its length and type, and reads an error status', async () => {
  const server = await serve((_req, res) => {
    res.statusCode = 429;
    res.setHeader('retry-after', '7');
    res.end('slow down');
  });
  const body = JSON.stringify({ events: ['é'] });
  const response = await nodeHttpFetch(`${server.url}/sdk/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body });
  expect([response.status, response.ok, response.headers.get('retry-after'), await response.text()]).toEqual([429, false, '7', 'slow down']);
  expect(server.seen[0]).toMatchObject({ method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) } });
});

it.each([
  ['gzip', gzipSync],
  ['x-gzip', gzipSync],
  ['deflate', deflateSync],
  ['deflate', deflateRawSync], // raw deflate, which some servers send as `deflate`: fetch reads it too
  ['br', brotliCompressSync],
  ['gzip, br', (b: Buffer) => brotliCompressSync(gzipSync(b))],
] as const)('decodes a %s body (%o)', async (coding, compress) => {
  const text = JSON.stringify({ flags: Array.from({ length: 500 }, (_, i) => `flag-${i}`) });
  const server = await serve((_req, res) => {
    res.setHeader('content-encoding', coding);
    res.end(compress(Buffer.from(text)));
  });
  const response = await nodeHttpFetch(server.url, { method: 'GET' });
  expect(response.headers.get('content-encoding')).toBe(coding);
  expect(await response.text()).toBe(text);
});

it.each([
  ['zlib-wrapped', deflateSync],
  ['raw', deflateRawSync],
] as const)('decodes a %s deflate body that arrives a byte, then the rest, apart', async (_name, compress) => {
  const text = 'x'.repeat(3000) + JSON.stringify({ flags: ['a', 'b'] });
  const bytes = compress(Buffer.from(text));
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-encoding': 'deflate' });
    res.write(bytes.subarray(0, 1), () => setTimeout(() => res.end(bytes.subarray(1)), 20));
  });
  expect(await (await nodeHttpFetch(server.url, { method: 'GET' })).text()).toBe(text);
});

it('rejects a deflate body that is not deflate', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-encoding': 'deflate' });
    res.end(Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13]));
  });
  const response = await nodeHttpFetch(server.url, { method: 'GET' });
  await expect(response.text()).rejects.toThrow();
});

it('leaves a body in an unknown coding as it was sent', async () => {
  const server = await serve((_req, res) => {
    res.setHeader('content-encoding', 'zz-unknown');
    res.end('as is');
  });
  expect(await (await nodeHttpFetch(server.url, { method: 'GET' })).text()).toBe('as is');
});

it('stops a text() that inflates past its bound, and closes the socket', async () => {
  // ≈ 130 KB of gzip that inflates to 129 MiB of zeros
  const bomb = gzipSync(Buffer.alloc(MAX_TEXT_BYTES + (1 << 20)), { level: 9 });
  let closed = false;
  const server = await serve((_req, res) => {
    res.on('close', () => (closed = true));
    res.setHeader('content-encoding', 'gzip');
    res.end(bomb);
  });
  const response = await nodeHttpFetch(server.url, { method: 'GET' });
  await expect(response.text()).rejects.toThrow(`the response body is over ${MAX_TEXT_BYTES} bytes`);
  await waitFor(() => closed, 10_000, 'the socket closed');
}, 30_000); // 129 MiB compressed, then inflated: seconds of CPU on a loaded machine

it('hands on a streamed body chunk by chunk before the response ends, gzip-flushed too', async () => {
  for (const gzip of [false, true]) {
    let write: ((text: string) => void) | null = null;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      if (gzip) {
        const z = createGzip();
        z.pipe(res);
        write = (text) => z.write(text, () => z.flush(zlibConstants.Z_SYNC_FLUSH));
      } else {
        write = (text) => res.write(text);
      }
      write('event: put\ndata: {"r":1}\n\n');
    });
    const response = await nodeHttpFetch(server.url, { method: 'GET', headers: { Accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let got = '';
    while (!got.includes('{"r":1}\n\n')) got += decoder.decode((await reader.read()).value, { stream: true });
    expect(got).toBe('event: put\ndata: {"r":1}\n\n'); // the server has not ended: this arrived on its own
    write!('event: patch\ndata: {"r":2}\n\n');
    got = '';
    while (!got.includes('{"r":2}\n\n')) got += decoder.decode((await reader.read()).value, { stream: true });
    expect(got).toBe('event: patch\ndata: {"r":2}\n\n');
    await reader.cancel();
  }
});

it('closes the socket when a reader cancels mid-stream (the server sees it)', async () => {
  let closed = false;
  const server = await serve((_req, res) => {
    res.on('close', () => (closed = true));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': hello\n\n');
  });
  const reader = (await nodeHttpFetch(server.url, { method: 'GET' })).body!.getReader();
  expect((await reader.read()).done).toBe(false);
  await reader.cancel();
  await waitFor(() => closed, 2000, 'the server to see the socket close');
});

it('rejects with an AbortError when the signal fires before the headers, and closes the socket', async () => {
  let closed = false;
  const server = await serve((req) => req.socket.on('close', () => (closed = true))); // never answers
  const error = await nodeHttpFetch(server.url, { method: 'GET', signal: abortAfter(50).signal }).catch((e: Error) => e);
  expect((error as Error).name).toBe('AbortError');
  await waitFor(() => closed, 2000, 'the server to see the socket close');
  const before = new AbortController();
  before.abort();
  await expect(nodeHttpFetch(server.url, { method: 'GET', signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
});

it('rejects a read with an AbortError when the signal fires mid-body, and closes the socket', async () => {
  let closed = false;
  const server = await serve((_req, res) => {
    res.on('close', () => (closed = true));
    res.writeHead(200);
    res.write('first part');
  });
  const controller = new AbortController();
  const response = await nodeHttpFetch(server.url, { method: 'GET', signal: controller.signal });
  const reader = response.body!.getReader();
  expect(Buffer.from((await reader.read()).value!).toString()).toBe('first part');
  const next = reader.read();
  controller.abort();
  await expect(next).rejects.toMatchObject({ name: 'AbortError' });
  await waitFor(() => closed, 2000, 'the server to see the socket close');
});

it('rejects a socket lost mid-body as fetch does, TypeError "terminated"', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('only part of it', () => res.destroy());
  });
  const response = await nodeHttpFetch(server.url, { method: 'GET' });
  await expect(response.text()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
});

it('rejects a refused connection with TypeError "fetch failed" and the cause’s code, as fetch does', async () => {
  const server = await serve(() => {});
  const url = server.url;
  await server.close();
  const error = (await nodeHttpFetch(url, { method: 'GET' }).catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
  expect(error).toBeInstanceOf(TypeError);
  expect(error.message).toBe('fetch failed');
  expect(error.cause.code).toBe('ECONNREFUSED');
});

it('follows redirects on the same origin as fetch does, keeping the key', async () => {
  const server = await serve((req, res, body) => {
    const hops: Record<string, [number, string]> = { '/a': [301, '/b'], '/b': [302, `${server.url}/c`], '/c': [307, '/d'], '/d': [308, '/e'], '/e': [303, '/f'] };
    const hop = hops[req.url!];
    if (hop) return void res.writeHead(hop[0], { location: hop[1] }).end('moved');
    res.end(`${req.method} ${req.url} ${body}`);
  });
  const get = await nodeHttpFetch(`${server.url}/a`, { method: 'GET', headers: { Authorization: 'srv-secret' } });
  expect(await get.text()).toBe('GET /f ');
  expect(server.seen.map((s) => s.headers.authorization)).toEqual(Array(6).fill('srv-secret'));
  server.seen.length = 0;
  // POST: 301 and 302 turn it into a GET without its body; 307 and 308 keep both; 303 always makes a GET
  const post = await nodeHttpFetch(`${server.url}/c`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
  expect(await post.text()).toBe('GET /f ');
  expect(server.seen.map((s) => `${s.method} ${s.path} ${s.body} ${s.headers['content-type'] ?? '-'}`)).toEqual([
    'POST /c payload text/plain',
    'POST /d payload text/plain',
    'POST /e payload text/plain',
    'GET /f  -',
  ]);
  server.seen.length = 0;
  expect(await (await nodeHttpFetch(`${server.url}/a`, { method: 'POST', body: 'x' })).text()).toBe('GET /f ');
  expect(server.seen.map((s) => s.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET', 'GET']);
});

it('drops the authorization header when a redirect leaves the origin, never sending the key elsewhere', async () => {
  const other = await serve((req, res) => {
    expect(req.headers.authorization).toBeUndefined();
    res.end(`other saw ${req.headers.authorization ?? 'no key'}`);
  });
  const origin = await serve((req, res) => {
    if (req.url === '/away') return void res.writeHead(302, { location: `${other.url}/there` }).end();
    res.writeHead(307, { location: '/away' }).end(); // same origin first: the key goes along
  });
  const response = await nodeHttpFetch(`${origin.url}/start`, { method: 'GET', headers: { Authorization: 'srv-secret', Cookie: 'c=1' } });
  expect(await response.text()).toBe('other saw no key');
  expect(origin.seen.map((s) => s.headers.authorization)).toEqual(['srv-secret', 'srv-secret']);
  expect(other.seen[0]!.headers).not.toHaveProperty('cookie');
  // another port of the same host is another origin too
  expect(new URL(other.url).hostname).toBe(new URL(origin.url).hostname);
});

it('gives up after 20 redirects, and refuses one to another scheme', async () => {
  const server = await serve((req, res) => {
    if (req.url === '/ftp') return void res.writeHead(302, { location: 'ftp://127.0.0.1/x' }).end();
    res.writeHead(302, { location: `/n${server.seen.length}` }).end();
  });
  await expect(nodeHttpFetch(`${server.url}/n`, { method: 'GET' })).rejects.toMatchObject({ message: 'fetch failed', cause: { message: 'redirect count exceeded' } });
  expect(server.seen).toHaveLength(21);
  await expect(nodeHttpFetch(`${server.url}/ftp`, { method: 'GET' })).rejects.toMatchObject({ message: 'fetch failed' });
});

it('answers a conditional GET with 304 and no body, and reuses the kept-alive socket', async () => {
  const server = await serve((req, res) => {
    if (req.headers['if-none-match'] === '"r1"') return void res.writeHead(304, { etag: '"r1"' }).end();
    res.writeHead(200, { etag: '"r1"' }).end('{}');
  });
  const first = await nodeHttpFetch(server.url, { method: 'GET' });
  expect([first.status, first.headers.get('etag'), await first.text()]).toEqual([200, '"r1"', '{}']);
  const second = await nodeHttpFetch(server.url, { method: 'GET', headers: { 'If-None-Match': '"r1"' } });
  expect([second.status, second.ok, second.body, await second.text()]).toEqual([304, false, null, '']);
  // an unread 304 (the SDK's requestor reads none) still frees its socket for the next request
  const third = await nodeHttpFetch(server.url, { method: 'GET', headers: { 'If-None-Match': '"r1"' } });
  expect(third.status).toBe(304);
  await nodeHttpFetch(server.url, { method: 'GET' }).then((r) => r.text());
  expect(new Set(server.seen.map((s) => s.socket)).size).toBe(1);
});

describe('over https', () => {
  let tls: ReturnType<typeof selfSignedCertificate>;
  beforeAll(() => {
    tls = selfSignedCertificate();
  });
  afterAll(() => tls?.dispose());

  it('speaks TLS, and refuses a certificate Node does not trust as fetch does', async () => {
    const server = await serve((_req, res) => res.end('secure'), tls);
    const error = (await nodeHttpFetch(server.url, { method: 'GET' }).catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
    expect([error.name, error.message, error.cause.code]).toEqual(['TypeError', 'fetch failed', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
    expect(server.seen).toHaveLength(0);
    // the request reached TLS: the same certificate trusted (below, by NODE_EXTRA_CA_CERTS in a fresh process) passes
  });
});
