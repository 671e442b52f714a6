import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_PATTERN } from '../domain/keys';
import { importProject } from '../domain/project-document';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, startTestServer } from '../../test/support/harness';

const ENV = '/projects/shop/environments/production';
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const RULE = 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** Writes a flag straight into the store, as an older server or an import without the rule did. */
async function storeFlagBehindTheRule(key: string): Promise<void> {
  const env = await t.server.store.getEnvironment('shop', 'production');
  await t.server.store.editEnvironment(env!.id, () => ({
    writes: [{ action: 'put', item: { kind: 'flag', key, data: booleanFlag(key) } }],
    result: null,
  }));
}

describe('flag and segment keys', () => {
  it('follow the rule of project and environment keys', () => {
    for (const good of ['checkout-v2', 'a', 'A.b_c-9', 'x'.repeat(64), '1st']) expect(KEY_PATTERN.test(good), good).toBe(true);
    for (const bad of ['.', '..', '', 'Bad Key!', '-lead', '_lead', '.hidden', 'x'.repeat(65), 'a/b', 'a b', 'é']) {
      expect(KEY_PATTERN.test(bad), bad).toBe(false);
    }
  });

  it('refuses a new flag or segment whose key breaks the rule, saying what is allowed', async () => {
    const flag = await t.admin('PUT', `${ENV}/flags/${encodeURIComponent('Bad Key!')}`, booleanFlag('Bad Key!'));
    expect(flag.status).toBe(400);
    expect(flag.body.error).toEqual({ code: 'invalid_flag', message: `key: ${RULE}, not "Bad Key!"` });
    const segment = await t.admin('PUT', `${ENV}/segments/${encodeURIComponent('-x')}`, { key: '-x', included: [] });
    expect(segment.status).toBe(400);
    expect(segment.body.error.code).toBe('invalid_segment');
    expect((await t.admin('GET', `${ENV}/flags`)).body.map((f: { key: string }) => f.key)).not.toContain('Bad Key!');
  });

  it('refuses an import whose flags or segments break the rule, naming the path', async () => {
    const doc = (await t.admin('GET', '/projects/shop/export?format=json')).body;
    const bad = { ...doc, key: 'dots' };
    bad.environments[0].flags.push(booleanFlag('..'));
    const res = await t.admin('POST', '/projects/import', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_project');
    expect(res.body.error.message).toBe(`environments[0].flags[${bad.environments[0].flags.length - 1}].key: ${RULE}, not ".."`);
    // the store-level import (what `avsb import --db` calls) applies the same rule
    await expect(importProject(t.server.store, bad)).rejects.toThrow(/flags\[\d+\]\.key: must be 1–64/);
    expect(await t.server.store.getProject('dots')).toBeNull();
  });

  it.each(['Legacy Key', '__proto__'])('keeps a stored key that breaks the rule readable, editable and deletable: %s', async (key) => {
    await storeFlagBehindTheRule(key);
    const path = `${ENV}/flags/${encodeURIComponent(key)}`;
    expect((await t.admin('GET', path)).body).toMatchObject({ key, on: true });
    const datafile = (await t.admin('GET', `${ENV}/datafile`)).body;
    expect(datafile.flags.filter((f: { key: string }) => f.key === key)).toHaveLength(1);
    const toggled = await t.admin('PATCH', path, { on: false });
    expect(toggled.status).toBe(200);
    expect(toggled.body).toMatchObject({ key, on: false });
    expect((await t.admin('PUT', path, booleanFlag(key, { on: true }))).status).toBe(200);
    expect((await t.admin('DELETE', path)).status).toBe(204);
    expect((await t.admin('GET', path)).status).toBe(404);
  });

  it('removes a stored "." or ".." (which no URL can name) by an import without it', async () => {
    await storeFlagBehindTheRule('..');
    const doc = (await t.admin('GET', '/projects/shop/export?format=json')).body;
    expect(doc.environments[0].flags.map((f: { key: string }) => f.key)).toContain('..');
    // the URL resolves ".." away (to the environment's path): no request can name the flag
    expect((await t.admin('DELETE', `${ENV}/flags/..`)).status).toBe(405);
    expect((await t.admin('GET', `${ENV}/flags`)).body.map((f: { key: string }) => f.key)).toContain('..');
    doc.environments[0].flags = doc.environments[0].flags.filter((f: { key: string }) => f.key !== '..');
    expect((await t.admin('POST', '/projects/import?replace=true', doc)).status).toBe(200);
    expect((await t.admin('GET', `${ENV}/flags`)).body.map((f: { key: string }) => f.key)).not.toContain('..');
  });
});
