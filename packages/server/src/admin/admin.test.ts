import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, sdk, startTestServer } from '../../test/support/harness';

const ENV = '/projects/shop/environments/production';
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('admin authentication', () => {
  it('answers 401 without the token, with a wrong one, and with an SDK key', async () => {
    const keys = await t.keys();
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${keys.serverKey}`, t.server.adminToken]) {
      const res = await fetch(`${t.url}/api/v1/projects`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    // the token without "Bearer " (a common slip when copying it from avsb dev): say what is wrong, not "missing"
    const bare = await fetch(`${t.url}/api/v1/projects`, { headers: { authorization: t.server.adminToken } });
    const bareText = await bare.text();
    expect(JSON.parse(bareText).error.message).toBe(
      'the Authorization header is not of the form "Bearer <admin token>": send "Authorization: Bearer <admin token>"',
    );
    expect(bareText).not.toContain(t.server.adminToken);
    const none = (await (await fetch(`${t.url}/api/v1/projects`)).json()) as { error: { message: string } };
    expect(none.error.message).toBe('missing admin token: send "Authorization: Bearer <admin token>"');
    // unknown admin paths are 401 too, not 404, without the token
    expect((await fetch(`${t.url}/api/v1/nothing`)).status).toBe(401);
    expect((await t.admin('GET', '/nothing')).status).toBe(404);
  });
});

describe('projects and environments', () => {
  it('lists, creates, reads and deletes projects', async () => {
    expect((await t.admin('GET', '/projects')).body).toEqual([{ key: 'shop', name: 'Shop', environments: ['production', 'staging'] }]);
    const created = await t.admin('POST', '/projects', { key: 'blog', name: 'Blog' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ key: 'blog', name: 'Blog', environments: ['production', 'staging'] });
    expect((await t.admin('POST', '/projects', { key: 'blog', name: 'Again' })).status).toBe(409);
    expect((await t.admin('POST', '/projects', { key: 'has space' })).body.error.code).toBe('invalid_request');
    expect((await t.admin('GET', '/projects/blog')).body.key).toBe('blog');
    const env = await t.admin('POST', '/projects/blog/environments', { key: 'qa', name: 'QA' });
    expect(env.status).toBe(201);
    expect(env.body).toMatchObject({ key: 'qa', name: 'QA', revision: 0 });
    const keys = (await t.admin('GET', '/projects/blog/environments/qa/keys?reveal=true')).body;
    expect((await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey)).status).toBe(200);
    const deleted = await t.admin('DELETE', '/projects/blog');
    expect(deleted.status).toBe(202);
    expect(deleted.body).toEqual({ project: 'blog', deleted: true, purge: { state: 'pending', status: '/api/v1/purges' } });
    expect(deleted.headers.get('location')).toBe('/api/v1/purges');
    expect((await t.admin('GET', '/projects/blog')).status).toBe(404);
    expect((await t.admin('DELETE', '/projects/blog')).status).toBe(404);
    expect((await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey)).status).toBe(401);
  });

  it('masks keys in listings and reveals them on request', async () => {
    const list = (await t.admin('GET', '/projects/shop/environments')).body;
    expect(list.map((e: { key: string }) => e.key)).toEqual(['production', 'staging']);
    expect(list[0].serverKey).toMatch(/^srv-…[0-9A-Za-z]{4}$/);
    expect(list[0].clientKey).toMatch(/^cli-…[0-9A-Za-z]{4}$/);
    const masked = (await t.admin('GET', `${ENV}/keys`)).body;
    expect(masked.serverKey).toBe(list[0].serverKey);
    const full = (await t.admin('GET', `${ENV}/keys?reveal=true`)).body;
    expect(full.serverKey).toMatch(/^srv-[0-9A-Za-z]{40}$/);
    expect(full.serverKey.slice(-4)).toBe(list[0].serverKey.slice(-4));
    expect((await t.admin('GET', '/projects/shop/environments/nope/keys')).status).toBe(404);
    expect((await t.admin('GET', '/projects/nope/environments')).status).toBe(404);
    expect((await t.admin('GET', `${ENV}/keys?reveal=false`)).body).toEqual(masked);
    // `reveal=1` is not quietly read as "masked": the caller meant something, so say what the value must be
    const misspelt = await t.admin('GET', `${ENV}/keys?reveal=1`);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body).toEqual({ error: { code: 'invalid_request', message: 'reveal: must be true or false, not "1"' } });
  });
});

describe('flags and segments', () => {
  it('creates (201), reads, replaces (200), toggles and deletes a flag, keeping name and description out of the datafile', async () => {
    const flag = { ...booleanFlag('admin-flag'), name: 'Admin flag', description: 'for the test' };
    const created = await t.admin('PUT', `${ENV}/flags/admin-flag`, flag);
    expect(created.status).toBe(201);
    expect(created.body).toEqual(flag);
    expect((await t.admin('GET', `${ENV}/flags/admin-flag`)).body).toEqual(flag);
    const replaced = await t.admin('PUT', `${ENV}/flags/admin-flag`, { ...flag, variations: [false, true, null] });
    expect(replaced.status).toBe(200);
    const toggled = await t.admin('PATCH', `${ENV}/flags/admin-flag`, { on: false });
    expect(toggled.body).toMatchObject({ on: false, name: 'Admin flag', variations: [false, true, null] });
    const datafile = (await t.admin('GET', `${ENV}/datafile`)).body;
    const served = datafile.flags.find((f: { key: string }) => f.key === 'admin-flag');
    expect(served).toEqual({ ...booleanFlag('admin-flag'), on: false, variations: [false, true, null] });
    const flags = (await t.admin('GET', `${ENV}/flags`)).body.map((f: { key: string }) => f.key);
    expect(flags[flags.length - 1]).toBe('admin-flag'); // creation order
    expect((await t.admin('DELETE', `${ENV}/flags/admin-flag`)).status).toBe(204);
    expect((await t.admin('GET', `${ENV}/flags/admin-flag`)).status).toBe(404);
    expect((await t.admin('DELETE', `${ENV}/flags/admin-flag`)).status).toBe(404);
    expect((await t.admin('PATCH', `${ENV}/flags/admin-flag`, { on: true })).status).toBe(404);
  });

  it('refuses an invalid flag with the engine path, and keeps serving the old datafile', async () => {
    const keys = await t.keys();
    const before = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    const bad = booleanFlag('checkout-v2', {
      rules: [{ clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }, { attribute: 'plan', op: 'greather', values: [1] }], serve: { variation: 1 } }],
    });
    const res = await t.admin('PUT', `${ENV}/flags/checkout-v2`, bad);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_flag',
      message: 'rules[0].clauses[1].op: unknown operator "greather"',
      problems: [{ path: 'rules[0].clauses[1].op', message: 'unknown operator "greather"' }],
    });
    const badVariation = await t.admin('PUT', `${ENV}/flags/new-bad`, booleanFlag('new-bad', { fallthrough: { variation: 5 } }));
    expect(badVariation.body.error.message).toMatch(/^fallthrough\.variation: /);
    expect((await t.admin('PUT', `${ENV}/flags/a`, booleanFlag('b'))).body.error).toMatchObject({ code: 'invalid_flag', message: expect.stringMatching(/^key:/) });
    expect((await t.admin('PUT', `${ENV}/flags/a`, [1, 2])).body.error.code).toBe('invalid_flag');
    expect((await t.admin('PUT', `${ENV}/flags/a`, '{oops')).body.error.code).toBe('invalid_json');
    const cycle = await t.admin('PUT', `${ENV}/segments/internal`, {
      key: 'internal',
      rules: [{ clauses: [{ op: 'segmentMatch', values: ['internal'] }] }],
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.code).toBe('invalid_segment');
    expect(cycle.body.error.message).toMatch(/cycle/);
    const after = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    expect(after.text).toBe(before.text);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });

  it('never loses one of many concurrent edits: the revision counts them all', async () => {
    const start = (await t.admin('GET', '/projects/shop/environments')).body[0].revision;
    const edits = 60;
    const answers = await Promise.all(
      Array.from({ length: edits }, (_, i) =>
        i % 3 === 0
          ? t.admin('PUT', `${ENV}/flags/concurrent-${i}`, booleanFlag(`concurrent-${i}`))
          : t.admin('PUT', `${ENV}/flags/concurrent-shared`, booleanFlag('concurrent-shared', { description: `edit ${i}` })),
      ),
    );
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    const end = (await t.admin('GET', '/projects/shop/environments')).body[0].revision;
    expect(end - start).toBe(edits);
    const history = (await t.admin('GET', `${ENV}/history?limit=${edits}`)).body;
    expect(new Set(history.map((h: { revision: number }) => h.revision)).size).toBe(edits);
    expect(Math.min(...history.map((h: { revision: number }) => h.revision))).toBe(start + 1);
    // 60 validated writes in one queue: seconds on a loaded 2-core CI machine (a timeout here left edits in flight for the next test)
  }, 30_000);

  it('answers 409 to If-Match with a stale revision', async () => {
    const revision = (await t.admin('GET', `${ENV}`)).body.revision;
    const ok = await t.admin('PUT', `${ENV}/flags/guarded`, booleanFlag('guarded'), { 'if-match': `"${revision}"` });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('etag')).toBe(`"${revision + 1}"`);
    const stale = await t.admin('PUT', `${ENV}/flags/guarded`, booleanFlag('guarded', { on: false }), { 'if-match': String(revision) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect((await t.admin('PATCH', `${ENV}/flags/guarded`, { on: false }, { 'if-match': String(revision + 1) })).status).toBe(200);
    // a read carries the revision it was read at, the If-Match of the next edit
    const read = await t.admin('GET', `${ENV}/flags/guarded`);
    expect(read.headers.get('etag')).toBe(`"${revision + 2}"`);
    expect((await t.admin('PATCH', `${ENV}/flags/guarded`, { on: true }, { 'if-match': read.headers.get('etag')! })).status).toBe(200);
  });

  it('creates only with If-None-Match: *, and refuses to replace an existing flag or segment', async () => {
    const created = await t.admin('PUT', `${ENV}/flags/create-only`, booleanFlag('create-only', { on: true }), { 'if-none-match': '*' });
    expect(created.status).toBe(201);
    const revision = (await t.admin('GET', `${ENV}`)).body.revision;
    // a second "new flag" under the same key, from a form whose list was loaded before the first existed
    const again = await t.admin('PUT', `${ENV}/flags/create-only`, booleanFlag('create-only', { on: false }), { 'if-none-match': '*' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'conflict', message: 'flag "create-only" already exists (If-None-Match: *): edit it, or create the new flag under another key' },
    });
    expect((await t.admin('GET', `${ENV}/flags/create-only`)).body.on).toBe(true);
    expect((await t.admin('GET', `${ENV}`)).body.revision).toBe(revision);
    expect((await t.admin('PUT', `${ENV}/segments/create-only-seg`, { included: ['a'] }, { 'if-none-match': '*' })).status).toBe(201);
    expect((await t.admin('PUT', `${ENV}/segments/create-only-seg`, { included: [] }, { 'if-none-match': '*' })).status).toBe(409);
    const etag = await t.admin('PUT', `${ENV}/flags/create-only`, booleanFlag('create-only'), { 'if-none-match': '"3"' });
    expect(etag.status).toBe(400);
    expect(etag.body.error.message).toBe('If-None-Match: only * (create only, refused when the item exists) is supported, not "\\"3\\""');
  });

  it('records history newest first with before and after', async () => {
    await t.admin('PUT', `${ENV}/segments/history-seg`, { key: 'history-seg', included: ['a'] });
    await t.admin('PUT', `${ENV}/segments/history-seg`, { key: 'history-seg', included: ['a', 'b'], name: 'Hist' });
    await t.admin('DELETE', `${ENV}/segments/history-seg`);
    const history = (await t.admin('GET', `${ENV}/history?limit=3`)).body;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['delete', 'update', 'create']);
    expect(history[0]).toMatchObject({ kind: 'segment', key: 'history-seg', after: null, before: { included: ['a', 'b'], name: 'Hist' } });
    expect(history[1]).toMatchObject({ before: { key: 'history-seg', included: ['a'] }, after: { included: ['a', 'b'] } });
    expect(history[2]).toMatchObject({ before: null, after: { key: 'history-seg', included: ['a'] }, time: expect.any(Number) });
    expect(history[0].revision).toBe(history[1].revision + 1);
    expect((await t.admin('GET', `${ENV}/history?limit=abc`)).status).toBe(400);
  });

  it('answers 413 for an admin body over the limit', async () => {
    const res = await t.admin('PUT', `${ENV}/flags/huge`, booleanFlag('huge', { description: 'x'.repeat(17 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });
});
