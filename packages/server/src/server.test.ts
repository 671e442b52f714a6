import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Logger } from './logger';
import { booleanFlag, sdk, startTestServer } from '../test/support/harness';
import { SseClient } from '../test/support/sse-client';

/** Sends raw bytes and reads the whole answer until the server closes the connection. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

describe('startServer', () => {
  it('serves the dashboard at / and JSON 404s elsewhere', async () => {
    const t = await startTestServer();
    try {
      const page = await fetch(`${t.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toMatch(/<html/i);
      // the bundle's content-hashed name, as the page links it
      const script = await fetch(`${t.url}/${/src="([^"]+\.js)"/.exec(html)![1]}`);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      const missing = await fetch(`${t.url}/no-such-page`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    } finally {
      await t.close();
    }
  });

  it('makes up an admin token when none is given, and never logs keys or tokens', async () => {
    const logger = recordingLogger();
    const t = await startTestServer({ adminToken: undefined, logger });
    try {
      expect(t.server.adminToken).toMatch(/^adm-[0-9A-Za-z]{40}$/);
      const keys = await t.keys();
      const stream = await SseClient.open(`${t.url}/sdk/v1/stream?key=${keys.clientKey}`);
      await stream.next();
      await t.admin('PUT', '/projects/shop/environments/production/flags/logged', booleanFlag('logged'));
      await t.admin('POST', '/projects/shop/environments/production/keys/rotate', { kind: 'server' });
      await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
      stream.close();
      await stream.until(() => logger.lines.some((l) => l.startsWith('stream closed')), 1000, 'the close to be logged');
      expect(logger.lines).toContain('stream opened: shop/production (client key)');
      const all = logger.lines.join('\n');
      for (const secret of [keys.serverKey, keys.clientKey, t.server.adminToken]) expect(all).not.toContain(secret);
      expect(all).not.toMatch(/(srv|cli)-[0-9A-Za-z]{8}/);
    } finally {
      await t.close();
    }
  });

  it('refuses a chosen admin token that is short, spaced or not a string, before it opens the database, never quoting it', async () => {
    const { startServer } = await import('./server');
    const { mkdtempSync, existsSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'avsb-token-'));
    try {
      for (const adminToken of ['abc', 'fifteen-chars-x', 'sixteen chars ok', 42]) {
        const dbPath = path.join(dir, 'token.db');
        const start = startServer({ dbPath, adminToken: adminToken as string });
        await expect(start).rejects.toThrow('adminToken must be at least 16 printable characters without spaces (leave it out for a random one)');
        await start.catch((e: Error) => expect(e.message).not.toContain(String(adminToken)));
        expect(existsSync(dbPath)).toBe(false);
      }
      const ok = await startServer({ dbPath: path.join(dir, 'ok.db'), adminToken: 'sixteen-chars-ok' });
      await ok.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers requests Node refuses before routing with JSON bodies too (400, 431)', async () => {
    const t = await startTestServer();
    try {
      const garbage = await rawRequest(t.url, 'NOT HTTP AT ALL\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(garbage).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
      expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toEqual({
        error: { code: 'invalid_request', message: 'the request is not valid HTTP/1.1' },
      });
      const huge = await rawRequest(t.url, `GET /sdk/v1/datafile HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(huge).toMatch(/^HTTP\/1\.1 431 /);
      expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4)).error.code).toBe('headers_too_large');
      const expect417 = await rawRequest(t.url, 'GET /sdk/v1/datafile HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n');
      expect(expect417).toMatch(/^HTTP\/1\.1 417 /);
      expect(JSON.parse(expect417.slice(expect417.indexOf('\r\n\r\n') + 4)).error.code).toBe('expectation_failed');
      // the server still answers afterwards
      expect((await fetch(`${t.url}/no-such-page`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('serves the dashboard with a Content-Security-Policy that allows only its own files', async () => {
    const t = await startTestServer();
    try {
      const html = await (await fetch(`${t.url}/`)).text();
      const files = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => '/' + m[1]);
      expect(files).toHaveLength(2);
      for (const path of ['/', ...files]) {
        const csp = (await fetch(`${t.url}${path}`)).headers.get('content-security-policy') ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('unsafe-eval');
      }
    } finally {
      await t.close();
    }
  });

  it('ends open streams on close', async () => {
    const t = await startTestServer();
    const keys = await t.keys();
    const stream = await SseClient.open(`${t.url}/sdk/v1/stream`, { authorization: keys.serverKey });
    await stream.next();
    await t.close();
    await stream.until(() => stream.closed, 1000, 'the stream to end');
    await expect(t.server.store.listProjects()).rejects.toThrow();
  });
});
