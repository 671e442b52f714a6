import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject, importProject } from '../domain/project-document';
import { exampleProject } from '../seed';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, sdk, startTestServer } from '../../test/support/harness';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('export and import', () => {
  it('exports the project as JSON with name/description and without keys', async () => {
    const res = await t.admin('GET', '/projects/shop/export?format=json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(exampleProject());
    expect(res.text).not.toMatch(/srv-|cli-/);
    expect((await t.admin('GET', '/projects/shop/export?format=xml')).status).toBe(400);
    expect((await t.admin('GET', '/projects/nope/export')).status).toBe(404);
  });

  it('round-trips JSON: export, import under another key, export again', async () => {
    const doc = (await t.admin('GET', '/projects/shop/export?format=json')).body;
    const copy = { ...doc, key: 'shop-json', name: 'Shop (JSON)' };
    const imported = await t.admin('POST', '/projects/import', copy);
    expect(imported.status).toBe(201);
    expect(imported.body).toEqual({ key: 'shop-json', name: 'Shop (JSON)', environments: ['production', 'staging'] });
    expect((await t.admin('GET', '/projects/shop-json/export?format=json')).body).toEqual(copy);
    // fresh keys that work
    const keys = (await t.admin('GET', '/projects/shop-json/environments/production/keys?reveal=true')).body;
    const datafile = await sdk(`${t.url}/sdk/v1/datafile`, keys.serverKey);
    expect(datafile.body).toMatchObject({ revision: 1, flags: expect.any(Array) });
  });

  it('round-trips YAML', async () => {
    const yaml = await t.admin('GET', '/projects/shop/export?format=yaml');
    expect(yaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(parseYaml(yaml.text)).toEqual(exampleProject());
    const renamed = yaml.text.replace(/^key: shop$/m, 'key: shop-yaml');
    const imported = await t.admin('POST', '/projects/import', renamed, { 'content-type': 'application/yaml' });
    expect(imported.status).toBe(201);
    const again = await t.admin('GET', '/projects/shop-yaml/export?format=yaml');
    expect(again.text).toBe(renamed);
  });

  it('refuses to overwrite without replace=true, and replaces exactly with it', async () => {
    const doc = exampleProject();
    expect((await t.admin('POST', '/projects/import', doc)).status).toBe(409);
    // `replace=yes` was read as "do not replace": a 409 telling the caller to import with replace, which they had
    const misspelt = await t.admin('POST', '/projects/import?replace=yes', doc);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body).toEqual({ error: { code: 'invalid_request', message: 'replace: must be true or false, not "yes"' } });
    const keysBefore = (await t.admin('GET', '/projects/shop/environments/production/keys?reveal=true')).body;
    const revisionBefore = (await t.admin('GET', '/projects/shop/environments/production')).body.revision;
    const smaller = { ...doc, name: 'Shop 2', environments: [{ ...doc.environments[0]!, flags: [booleanFlag('only-one')], segments: [] }] };
    const replaced = await t.admin('POST', '/projects/import?replace=true', smaller);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ key: 'shop', name: 'Shop 2', environments: ['production'] });
    // keys of kept environments stay; the revision moved by one; the datafile is the document
    const keysAfter = (await t.admin('GET', '/projects/shop/environments/production/keys?reveal=true')).body;
    expect(keysAfter).toEqual(keysBefore);
    const datafile = await sdk(`${t.url}/sdk/v1/datafile`, keysAfter.serverKey);
    expect(datafile.body).toEqual({ schemaVersion: 1, revision: revisionBefore + 1, flags: [booleanFlag('only-one')], segments: [] });
    const history = (await t.admin('GET', '/projects/shop/environments/production/history?limit=100')).body;
    expect(history.filter((h: { revision: number }) => h.revision === revisionBefore + 1)).toHaveLength(7);
    // back to the example for the other tests
    expect((await t.admin('POST', '/projects/import?replace=true', exampleProject())).status).toBe(200);
  });

  it('refuses an invalid document with the path of the problem', async () => {
    const doc = exampleProject();
    const flags = doc.environments[1]!.flags;
    flags[0] = { ...flags[0], rules: [{ clauses: [{ attribute: 'plan', op: 'greather', values: ['x'] }], serve: { variation: 0 } }] };
    const res = await t.admin('POST', '/projects/import?replace=true', doc);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_project',
      message: 'environments[1].flags[0].rules[0].clauses[0].op: unknown operator "greather"',
      problems: [{ path: 'environments[1].flags[0].rules[0].clauses[0].op', message: 'unknown operator "greather"' }],
    });
    const cases: [unknown, RegExp][] = [
      [{ name: 'no key' }, /^key: /],
      [{ key: 'x', environments: {} }, /^environments: must be an array/],
      [{ key: 'x', environments: [{ key: 'a' }, { key: 'a' }] }, /^environments\[1\]\.key: duplicate/],
      [{ key: 'x', environments: [{ key: 'a', flags: [{ on: true }] }] }, /^environments\[0\]\.flags\[0\]\.key: /],
      [{ key: 'x', environments: [{ key: 'a', flags: [{ key: 'f', name: 3 }] }] }, /^environments\[0\]\.flags\[0\]\.name: /],
    ];
    for (const [bad, message] of cases) {
      const answer = await t.admin('POST', '/projects/import', bad);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    const yaml = await t.admin('POST', '/projects/import', 'key: [unclosed', { 'content-type': 'application/yaml' });
    expect(yaml.body.error).toMatchObject({ code: 'invalid_project', message: expect.stringMatching(/not valid YAML/) });
    // nothing of the refused imports was stored
    expect((await t.admin('GET', '/projects/x')).status).toBe(404);
  });

  it('offers the same import and export to code without HTTP', async () => {
    const text = await exportProject(t.server.store, 'shop', 'yaml');
    const project = await importProject(t.server.store, text.replace(/^key: shop$/m, 'key: shop-code'));
    expect(project.environments.map((e) => e.key)).toEqual(['production', 'staging']);
    expect(await exportProject(t.server.store, 'shop-code', 'json')).toBe(
      `${JSON.stringify({ ...exampleProject(), key: 'shop-code' }, null, 2)}\n`,
    );
    await expect(importProject(t.server.store, text)).rejects.toMatchObject({ code: 'conflict' });
  });
});
