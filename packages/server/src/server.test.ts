import { describe, expect, it } from 'vitest';
import type { Logger } from './logger';
import { booleanFlag, sdk, startTestServer } from './test-support/harness';
import { SseClient } from './test-support/sse-client';

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
      expect(await page.text()).toMatch(/<html/i);
      const script = await fetch(`${t.url}/app.js`);
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
