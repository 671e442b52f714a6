import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbEngine, loadCompiled } from '@avsb/engine';
import { engineWasmModule, evaluatorWasmModule } from '@avsb/engine/node';
import { assertBuilt, avsb, tempDir } from '../test/support/harness';

beforeAll(assertBuilt);
const tmp = tempDir();
afterAll(() => tmp.remove());

const DATAFILE = {
  schemaVersion: 1,
  revision: 3,
  flags: [
    {
      key: 'checkout-v2',
      on: true,
      variations: [false, true],
      offVariation: 0,
      targets: [{ values: ['u_vip'], variation: 1 }],
      rules: [{ id: 'pro-plan', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
      fallthrough: { rollout: { kind: 'experiment', variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } },
    },
    { key: 'ui-theme', on: true, variations: ['light', 'dark'], rules: [{ clauses: [{ attribute: 'email', op: 'endsWith', values: ['@acme.com'] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } },
  ],
};
const CONTEXTS = [{ key: 'u_vip' }, { key: 'u_1', plan: 'pro' }, { key: 'u_2', email: 'a@acme.com' }, { key: 'u_3' }, { key: 'u_4' }];

/** Every flag for every context: the evaluator on `document` against the full engine on the JSON datafile. */
function bothEngines(document: string): { evaluator: unknown[]; full: unknown[] } {
  const evaluator = AvsbEngine.createSync(evaluatorWasmModule());
  const loaded = loadCompiled(evaluator, document);
  if (!loaded.ok) throw new Error(loaded.error);
  const full = AvsbEngine.createSync(engineWasmModule());
  full.load(DATAFILE);
  const all = (e: AvsbEngine) => CONTEXTS.flatMap((c) => DATAFILE.flags.map((f) => e.evaluate(e.registerContext(c), f.key)));
  return { evaluator: all(evaluator), full: all(full) };
}

it('writes the compiled document to --out, which the evaluator serves as the full engine serves the datafile', async () => {
  const out = join(tmp.dir, 'flags.avsbc.json');
  const r = await avsb(['compile', tmp.file('datafile.json', DATAFILE), '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ok: \S+flags\.avsbc\.json: 2 flags compiled from \S+datafile\.json \(\d+ bytes\)\n$/);
  const document = readFileSync(out, 'utf8');
  expect(JSON.parse(document)).toMatchObject({ format: 'avsb.compiled-datafile', version: 1, revision: 3 });
  const { evaluator, full } = bothEngines(document);
  expect(evaluator).toEqual(full);
});

it('prints the document on stdout without --out, from a YAML datafile too', async () => {
  const json = await avsb(['compile', tmp.file('datafile.json', DATAFILE)]);
  const yaml = await avsb(['compile', tmp.file('datafile.yaml', `schemaVersion: 1\nrevision: 3\nflags: ${JSON.stringify(DATAFILE.flags)}\n`)]);
  expect(json.code).toBe(0);
  expect(yaml.stdout).toBe(json.stdout);
  expect(bothEngines(json.stdout).evaluator).toEqual(bothEngines(json.stdout).full);
});

it('refuses a datafile the engine refuses, with its message, and writes nothing', async () => {
  const out = join(tmp.dir, 'refused.json');
  const r = await avsb(['compile', tmp.file('bad.json', { schemaVersion: 2, flags: [] }), '--out', out]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^avsb compile: error: \S+bad\.json: invalid datafile: schemaVersion: must be 1 .*avsb validate \S+bad\.json lists every problem/);
  expect(() => readFileSync(out)).toThrow(/ENOENT/);
});

it('prints the warnings of a datafile with a broken flag and compiles the rest', async () => {
  const datafile = { ...DATAFILE, flags: [...DATAFILE.flags, { key: 'broken', on: true, variations: [1], fallthrough: { variation: 7 } }] };
  const r = await avsb(['compile', tmp.file('warned.json', datafile)]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^warning: \S+warned\.json: flags\[2\]\S*: /m);
  expect(JSON.parse(r.stdout).flags.map((f: { key: string }) => f.key)).toEqual(['checkout-v2', 'ui-theme', 'broken']);
});

it('refuses a project document (avsb export) by name, saying how to get a datafile, for eval --datafile too', async () => {
  const doc = tmp.file('project.json', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', flags: [], segments: [] }] });
  const expected =
    'project.json: a project document (avsb export\'s format), not a datafile: save an environment\'s datafile first, e.g. ' +
    'curl -H "Authorization: Bearer $AVSB_ADMIN_TOKEN" "$AVSB_SERVER/api/v1/projects/shop/environments/production/datafile" > datafile.json';
  const compiled = await avsb(['compile', 'project.json'], { cwd: tmp.dir });
  expect(compiled.code).toBe(1);
  expect(compiled.stderr).toBe(`avsb compile: error: ${expected}\n`);
  const evaluated = await avsb(['eval', 'checkout-v2', '--datafile', 'project.json', '--context', '{"key":"u"}'], { cwd: tmp.dir });
  expect(evaluated.code).toBe(1);
  expect(evaluated.stderr).toBe(`avsb eval: error: ${expected}\n`);
  expect(doc).toBe(join(tmp.dir, 'project.json'));
});

it('needs exactly one datafile', async () => {
  expect((await avsb(['compile'])).code).toBe(2);
  expect((await avsb(['compile', 'a.json', 'b.json'])).code).toBe(2);
});
