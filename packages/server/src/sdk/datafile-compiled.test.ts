import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvsbEngine, loadCompiled } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, sdk, startTestServer } from '../../test/support/harness';
import { acceptsCompiled } from './datafile-route';
import type { ServedDatafile } from '../domain/served-datafile';
import { servedCompiled } from '../domain/served-compiled';

// GET /sdk/v1/datafile's compiled representation (PROTOCOL.md, "Compiled
// datafiles"), against the real server: asked for by Accept, its own ETag,
// Vary: Accept, and everything else answered as before.

const COMPILED = 'application/vnd.avsb.compiled-datafile; v=1';
const evaluatorModule = new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve('@avsb/engine/avsb-evaluator.wasm')));

let t: TestServer;
let keys: { serverKey: string; clientKey: string };

beforeAll(async () => {
  t = await startTestServer();
  keys = await t.keys();
});
afterAll(() => t.close());

const get = (key: string, headers: Record<string, string> = {}) => sdk(`${t.url}/sdk/v1/datafile`, key, { headers });

describe('GET /sdk/v1/datafile with Accept: application/vnd.avsb.compiled-datafile; v=1', () => {
  it('answers a client key the compiled document of its datafile, which the evaluator serves as the engine serves the JSON', async () => {
    const json = await get(keys.clientKey);
    const res = await get(keys.clientKey, { accept: COMPILED, origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(COMPILED);
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('etag')).toBe(`${json.headers.get('etag')!.slice(0, -1)}-c1"`);
    expect(res.body).toMatchObject({ format: 'avsb.compiled-datafile', version: 1, revision: json.body.revision });
    expect(res.body.flags.map((f: { key: string }) => f.key)).toEqual(json.body.flags.map((f: { key: string }) => f.key));
    expect(res.body.flags.every((f: { clientSide?: boolean }) => f.clientSide === true)).toBe(true);
    expect(res.text).not.toContain(keys.serverKey);
    expect(res.text).not.toContain(keys.clientKey);

    const full = AvsbEngine.createSync(engineWasmModule());
    const ev = AvsbEngine.createSync(evaluatorModule);
    expect(full.load(json.text).ok).toBe(true);
    expect(loadCompiled(ev, res.text)).toMatchObject({ ok: true, revision: json.body.revision, flagCount: json.body.flags.length });
    for (const context of [{ key: 'u_1' }, { key: 'u_2', plan: 'pro', country: 'NO' }, { kind: 'user', key: 'beta-1', email: 'a@example.com' }]) {
      const a = full.registerContext(context);
      const b = ev.registerContext(context);
      for (const key of full.flagKeys) expect(ev.evaluate(b, key), key).toEqual(full.evaluate(a, key));
    }
  });

  it('answers a server key too (every flag), and JSON to every other Accept: old clients are untouched', async () => {
    const server = await get(keys.serverKey, { accept: COMPILED });
    expect(server.body.format).toBe('avsb.compiled-datafile');
    expect(server.body.flags.length).toBe((await get(keys.serverKey)).body.flags.length);
    for (const accept of [undefined, 'application/json', '*/*', 'application/vnd.avsb.compiled-datafile; v=2', 'application/vnd.avsb.compiled-datafile', 'application/vnd.avsb.compiled-datafile; v=1; q=0']) {
      const res = await get(keys.clientKey, accept === undefined ? {} : { accept });
      expect(res.headers.get('content-type'), accept).toBe('application/json; charset=utf-8');
      expect(res.headers.get('vary')).toBe('Accept');
      expect(res.body.schemaVersion).toBe(1);
      expect(res.headers.get('etag')).toMatch(/^"client-\d+-[\w-]+"$/);
    }
  });

  it('answers 304 to its own ETag only, and the new revision once a flag changed (compiled once per revision)', async () => {
    const first = await get(keys.clientKey, { accept: COMPILED });
    const etag = first.headers.get('etag')!;
    const again = await get(keys.clientKey, { accept: COMPILED, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('vary')).toBe('Accept');
    // the JSON representation's ETag does not validate the compiled one, nor the other way round
    const json = await get(keys.clientKey);
    expect((await get(keys.clientKey, { accept: COMPILED, 'if-none-match': json.headers.get('etag')! })).status).toBe(200);
    expect((await get(keys.clientKey, { 'if-none-match': etag })).status).toBe(200);
    const put = await t.admin('PUT', '/projects/shop/environments/production/flags/compiled-new', booleanFlag('compiled-new', { clientSide: true }));
    expect(put.status).toBe(201);
    const changed = await get(keys.clientKey, { accept: COMPILED, 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body.revision).toBe(first.body.revision + 1);
    expect(changed.body.flags.map((f: { key: string }) => f.key)).toContain('compiled-new');
    expect(changed.headers.get('etag')).not.toBe(etag);
    // the same bytes for every request of a revision
    expect((await get(keys.clientKey, { accept: COMPILED })).text).toBe(changed.text);
  });
});

describe('acceptsCompiled', () => {
  it.each([
    ['application/vnd.avsb.compiled-datafile; v=1', true],
    ['application/json;q=0.5, application/vnd.avsb.compiled-datafile;v="1"', true],
    ['APPLICATION/VND.AVSB.COMPILED-DATAFILE; V=1; q=0.9', true],
    ['application/vnd.avsb.compiled-datafile; v=1; q=0', false],
    ['application/vnd.avsb.compiled-datafile; v=10', false],
    ['application/vnd.avsb.compiled-datafile', false],
    ['application/json', false],
    [undefined, false],
    [`${' '.repeat(1024)}application/vnd.avsb.compiled-datafile; v=1`, false],
  ])('%s: %s', (accept, expected) => {
    expect(acceptsCompiled(accept)).toBe(expected);
  });
});

describe('servedCompiled', () => {
  const served = (json: string): ServedDatafile => ({ revision: 3, kind: 'client', json, body: Buffer.from(json), etag: '"client-3-abc"', items: new Map() });

  it('compiles a served datafile once: the same answer for every request of its revision', () => {
    const errors: string[] = [];
    const s = served('{"schemaVersion":1,"revision":3,"flags":[{"key":"f","on":true,"variations":[1,2],"fallthrough":{"variation":1}}]}');
    const first = servedCompiled(s, (m) => errors.push(m));
    expect(first?.etag).toBe('"client-3-abc-c1"');
    expect(JSON.parse(first!.body.toString())).toMatchObject({ format: 'avsb.compiled-datafile', revision: 3 });
    expect(servedCompiled(s, (m) => errors.push(m))).toBe(first);
    expect(errors).toEqual([]);
  });

  it('answers null (the route then serves JSON) and reports once when the engine refuses the datafile', () => {
    const errors: string[] = [];
    const s = served('{"schemaVersion":2}');
    expect(servedCompiled(s, (m) => errors.push(m))).toBeNull();
    expect(servedCompiled(s, (m) => errors.push(m))).toBeNull();
    expect(errors).toEqual([expect.stringMatching(/^could not compile the client datafile of revision 3: schemaVersion: must be 1/)]);
  });
});
