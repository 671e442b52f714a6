import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, sdk, startTestServer } from '../../test/support/harness';

let t: TestServer;
let keys: { serverKey: string; clientKey: string };

beforeAll(async () => {
  t = await startTestServer();
  keys = await t.keys();
});
afterAll(() => t.close());

describe('SDK authentication', () => {
  it('answers 401 for a missing key', async () => {
    const res = await sdk(`${t.url}/sdk/v1/datafile`, null);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('answers 401 for an unknown key', async () => {
    const res = await sdk(`${t.url}/sdk/v1/datafile`, 'srv-not-a-real-key');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('accepts the key bare or as Bearer', async () => {
    expect((await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey)).status).toBe(200);
    expect((await sdk(`${t.url}/sdk/v1/datafile`, `Bearer ${keys.serverKey}`)).status).toBe(200);
  });

  it('answers 401 for a rotated key, and the new key works', async () => {
    const before = await t.keys('staging');
    const rotated = await t.admin('POST', '/projects/shop/environments/staging/keys/rotate', { kind: 'server' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.kind).toBe('server');
    expect(rotated.body.key).toMatch(/^srv-[0-9A-Za-z]{40}$/);
    expect((await sdk(`${t.url}/sdk/v1/datafile`, before.serverKey)).status).toBe(401);
    expect((await sdk(`${t.url}/sdk/v1/datafile`, rotated.body.key)).status).toBe(200);
    expect((await sdk(`${t.url}/sdk/v1/datafile`, before.clientKey)).status).toBe(200);
  });

  it('answers 404 with a JSON error for an unknown SDK path and 405 for a wrong method', async () => {
    const missing = await sdk(`${t.url}/sdk/v1/nothing`, keys.serverKey);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const wrong = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe('method_not_allowed');
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});

describe('GET /sdk/v1/datafile', () => {
  it('gives a server key the whole datafile, valid for the engine', async () => {
    const res = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.body.schemaVersion).toBe(1);
    expect(res.body.flags.map((f: { key: string }) => f.key)).toEqual(['checkout-v2', 'ui-theme', 'search-page-size', 'promo-banner']);
    expect(res.body.segments.map((s: { key: string }) => s.key)).toEqual(['beta-testers', 'internal']);
    // name and description are admin-only
    expect(res.body.flags[0].name).toBeUndefined();
    const engine = await AvsbEngine.create(engineWasmModule());
    expect(engine.load(res.text)).toMatchObject({ ok: true, flagCount: 4 });
    const ctx = engine.registerContext({ kind: 'user', key: 'u_1' });
    expect(engine.evaluate(ctx, 'checkout-v2').value).toBe(true);
  });

  it('gives a client key only clientSide flags and the segments they use (also through nested segments)', async () => {
    const env = '/projects/shop/environments/production';
    await t.admin('PUT', `${env}/segments/nested-inner`, { key: 'nested-inner', included: ['u_9'] });
    await t.admin('PUT', `${env}/segments/nested-outer`, {
      key: 'nested-outer',
      rules: [{ clauses: [{ op: 'segmentMatch', values: ['nested-inner'] }] }],
    });
    await t.admin('PUT', `${env}/segments/unused`, { key: 'unused', included: ['u_3'] });
    const put = await t.admin(
      'PUT',
      `${env}/flags/client-nested`,
      booleanFlag('client-nested', {
        clientSide: true,
        rules: [{ clauses: [{ op: 'segmentMatch', values: ['nested-outer'] }], serve: { variation: 0 } }],
      }),
    );
    expect(put.status).toBe(201);
    const res = await sdk(`${t.url}/sdk/v1/datafile`, keys.clientKey);
    expect(res.status).toBe(200);
    expect(res.body.flags.map((f: { key: string }) => f.key)).toEqual(['ui-theme', 'promo-banner', 'client-nested']);
    expect(res.body.flags.every((f: { clientSide: boolean }) => f.clientSide)).toBe(true);
    expect(res.body.segments.map((s: { key: string }) => s.key)).toEqual(['beta-testers', 'nested-inner', 'nested-outer']);
    const server = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    expect(res.body.revision).toBe(server.body.revision);
    expect((await AvsbEngine.create(engineWasmModule())).load(res.text).ok).toBe(true);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the revision moved', async () => {
    const first = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"server-\d+-[\w-]+"$/);
    const again = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const client = await sdk(`${t.url}/sdk/v1/datafile`, keys.clientKey, { headers: { 'if-none-match': etag } });
    expect(client.status).toBe(200); // another kind, another ETag
    await t.admin('PATCH', '/projects/shop/environments/production/flags/checkout-v2', { on: false });
    const changed = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.revision).toBe(first.body.revision + 1);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});

describe('CORS', () => {
  it('is open for client keys', async () => {
    const res = await sdk(`${t.url}/sdk/v1/datafile`, keys.clientKey, { headers: { origin: 'https://shop.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
  });

  it('is absent for server keys, and a server key sent from a browser (Origin) is refused', async () => {
    const res = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    for (const [path, init] of [
      ['datafile', {}],
      ['stream', {}],
      ['events', { method: 'POST', body: JSON.stringify({ batchId: 'leaked-1', events: [] }) }],
    ] as const) {
      const leaked = await sdk(`${t.url}/sdk/v1/${path}`, keys.serverKey, { ...init, headers: { origin: 'https://shop.example' } });
      expect(leaked.status).toBe(403);
      expect(leaked.body.error.code).toBe('forbidden');
      expect(leaked.body.error.message).toMatch(/server key was sent from a browser.*client key/);
      expect(JSON.stringify(leaked.body)).not.toContain(keys.serverKey);
      expect(leaked.headers.get('access-control-allow-origin')).toBeNull();
    }
    const events = await sdk(`${t.url}/sdk/v1/events`, keys.serverKey, {
      method: 'POST',
      body: JSON.stringify({ batchId: 'cors-1', events: [] }),
    });
    expect(events.status).toBe(202);
    expect(events.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights on SDK paths and never on the admin API', async () => {
    const pre = await fetch(`${t.url}/sdk/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
    // the SDKs' stream request sends Cache-Control: no-cache; a browser refuses the stream unless it is allowed
    expect(pre.headers.get('access-control-allow-headers')).toContain('Cache-Control');
    const admin = await t.admin('GET', '/projects', undefined, { origin: 'https://evil.example' });
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });
});
