import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, startTestServer } from '../../test/support/harness';

// The protocol's shared fixtures: `avsb validate` and @avsb/validator run the same ones.
const fixturesDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@avsb/protocol/package.json')), 'fixtures');
interface Fixture {
  readonly document: { key?: string };
  readonly problems: { path: string; message: string }[];
}
const projects: [string, Fixture][] = readdirSync(path.join(fixturesDir, 'projects')).map((f) => [
  f,
  JSON.parse(readFileSync(path.join(fixturesDir, 'projects', f), 'utf8')) as Fixture,
]);

const ENV = '/projects/shop/environments/production';
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

it.each(projects)('POST /projects/import answers the fixture %s with exactly its problems', async (_name, fixture) => {
  const document = { ...fixture.document, key: fixture.document.key === 'shop' ? 'fixture-shop' : fixture.document.key };
  const res = await t.admin('POST', '/projects/import?replace=true', document);
  if (fixture.problems.length === 0) {
    expect(res.status).toBe(201);
    return;
  }
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid_project');
  expect(res.body.error.problems).toEqual(fixture.problems);
  const [first] = fixture.problems;
  const more = fixture.problems.length - 1;
  expect(res.body.error.message).toBe(`${first!.path}: ${first!.message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`);
});

it('refuses a flag with four problems listing all four, named from the flag', async () => {
  const bad = booleanFlag('four-problems', {
    on: 'yes',
    rules: [{ clauses: [{ attribute: 'plan', op: 'greather', values: ['pro'] }], serve: { variation: 7 } }],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 10 }] } },
  });
  const res = await t.admin('PUT', `${ENV}/flags/four-problems`, bad);
  expect(res.status).toBe(400);
  expect(res.body.error).toEqual({
    code: 'invalid_flag',
    message: 'on: must be a boolean, not a string (and 3 more problems)',
    problems: [
      { path: 'on', message: 'must be a boolean, not a string' },
      { path: 'rules[0].clauses[0].op', message: 'unknown operator "greather"' },
      { path: 'rules[0].serve.variation', message: 'must be an integer from 0 to 1, not 7' },
      { path: 'fallthrough.rollout.variations', message: 'weights must add up to 100000, not 10' },
    ],
  });
  expect((await t.admin('GET', `${ENV}/flags/four-problems`)).status).toBe(404);
});

it('refuses a client-side flag whose prerequisite is server-only, and the edit that would make one', async () => {
  expect((await t.admin('PUT', `${ENV}/flags/gate`, booleanFlag('gate'))).status).toBe(201);
  const banner = booleanFlag('banner', { clientSide: true, prerequisites: [{ key: 'gate', variation: 1 }] });
  const res = await t.admin('PUT', `${ENV}/flags/banner`, banner);
  expect(res.status).toBe(400);
  expect(res.body.error.problems).toEqual([{ path: 'prerequisites[0].key', message: expect.stringMatching(/^"gate" is not client-side/) }]);
  expect((await t.admin('PUT', `${ENV}/flags/gate`, booleanFlag('gate', { clientSide: true }))).status).toBe(200);
  expect((await t.admin('PUT', `${ENV}/flags/banner`, banner)).status).toBe(201);
  // making the prerequisite server-only again would break the banner: refused, naming the banner
  const back = await t.admin('PUT', `${ENV}/flags/gate`, booleanFlag('gate'));
  expect(back.status).toBe(400);
  expect(back.body.error.problems).toEqual([{ path: expect.stringMatching(/^flags\[\d+\]\.prerequisites\[0\]\.key$/), message: expect.stringMatching(/^"gate" is not client-side/) }]);
});
