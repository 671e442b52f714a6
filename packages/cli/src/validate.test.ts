import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, avsb, tempDir } from '../test/support/harness';

beforeAll(assertBuilt);
const tmp = tempDir();
afterAll(() => tmp.remove());

const flag = (key: string, extra: object = {}) => ({
  key,
  on: true,
  variations: [false, true],
  fallthrough: { variation: 0 },
  ...extra,
});

const VALID = {
  schemaVersion: 1,
  revision: 7,
  flags: [
    flag('checkout-v2', {
      rules: [{ id: 'pro', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }],
    }),
    flag('beta-only', { rules: [{ clauses: [{ op: 'segmentMatch', values: ['beta'] }], serve: { variation: 1 } }] }),
  ],
  segments: [{ key: 'beta', included: ['u_1'] }],
};

const BROKEN = {
  schemaVersion: 1,
  flags: [
    flag('a', { fallthrough: { variation: 5 } }),
    flag('b', {
      rules: [
        { clauses: [{ attribute: 'plan', op: 'greather', values: ['pro'] }], serve: { variation: 1 } },
        { clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } },
        { clauses: [{ attribute: 'v', op: 'semVerLessThan', values: ['1.02.3'] }], serve: { variation: 1 } },
      ],
    }),
    flag('b'),
    flag('c', { prerequisites: [{ key: 'd', variation: 0 }] }),
    flag('d', { prerequisites: [{ key: 'c', variation: 0 }] }),
    flag('e', { on: 'yes' }),
  ],
  segments: [
    { key: 's1', rules: [{ clauses: [{ op: 'segmentMatch', values: ['s2'] }] }] },
    { key: 's2', rules: [{ clauses: [{ op: 'segmentMatch', values: ['s1'] }] }] },
    { key: 's3', included: 'u_1' },
  ],
};

describe('avsb validate', () => {
  it('a valid datafile: one summary line, exit 0', async () => {
    const file = tmp.file('valid.json', VALID);
    const r = await avsb(['validate', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('valid datafile: 2 flags, 1 segment, revision 7');
  });

  it('lists every problem of a datafile with its JSON path, exit 1', async () => {
    const file = tmp.file('broken.json', BROKEN);
    const r = await avsb(['validate', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toContain('(datafile): 8 problems');
    const problems = lines.slice(1).map((l) => l.trim());
    expect(problems).toEqual([
      'flags[0].fallthrough.variation: must be an integer from 0 to 1, not 5',
      expect.stringMatching(/^flags\[1\]\.rules\[0\]\.clauses\[0\]\.op: unknown operator "greather"/),
      expect.stringMatching(/^flags\[1\]\.rules\[2\]\.clauses\[0\]\.values\[0\]: /),
      'flags[2].key: duplicate key "b" (also at flags[1])',
      expect.stringMatching(/^flags\[[34]\]\.prerequisites\[0\]: prerequisite cycle/),
      expect.stringMatching(/^flags\[5\]\.on: /),
      expect.stringMatching(/^segments\[[01]\]\.rules\[0\]\.clauses\[0\]\.values\[0\]: segment cycle/),
      expect.stringMatching(/^segments\[2\]\.included: /),
    ]);
  });

  it('--json gives the same problems as data', async () => {
    const file = tmp.file('broken2.json', BROKEN);
    const r = await avsb(['validate', file, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; kind: string; problems: { path: string; message: string }[] };
    expect(out.valid).toBe(false);
    expect(out.kind).toBe('datafile');
    expect(out.problems.map((p) => p.path)).toContain('flags[2].key');
    expect(out.problems.length).toBe(8);
    const ok = JSON.parse((await avsb(['validate', tmp.file('v2.json', VALID), '--json'])).stdout) as { valid: boolean; problems: unknown[] };
    expect(ok).toMatchObject({ valid: true, problems: [] });
  });

  it('several top-level problems are all reported', async () => {
    const file = tmp.file('top.json', { schemaVersion: 2, revision: -1, flags: {} });
    const r = await avsb(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\s+schemaVersion: /m);
    expect(r.stdout).toMatch(/^\s+flags: /m);
    expect(r.stdout).toMatch(/^\s+revision: /m);
  });

  it('a YAML project document: problems in every environment, paths from the document root', async () => {
    const file = tmp.file(
      'project.yaml',
      [
        'key: shop',
        'name: Shop',
        'environments:',
        '  - key: production',
        '    flags:',
        '      - key: a',
        '        name: 3',
        '        on: true',
        '        variations: [true, false]',
        '        fallthrough: { variation: 7 }',
        '  - key: production',
        '    flags:',
        '      - key: b',
        '        on: maybe',
        '        variations: [1]',
        '        fallthrough: { variation: 0 }',
        '',
      ].join('\n'),
    );
    const r = await avsb(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(project document): 4 problems');
    expect(r.stdout).toContain('environments[0].flags[0].fallthrough.variation: must be an integer from 0 to 1, not 7');
    expect(r.stdout).toContain('environments[0].flags[0].name: must be a string');
    expect(r.stdout).toMatch(/environments\[1\]\.flags\[0\]\.on: /);
    expect(r.stdout).toContain('environments[1].key: duplicate environment "production"');
  });

  it('a valid project document (YAML detected by content)', async () => {
    const file = tmp.file('shop.doc', 'key: shop\nname: Shop\nenvironments:\n  - key: production\n    name: Production\n    flags: []\n');
    const r = await avsb(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid project "shop": 1 environment, 0 flags, 0 segments');
  });

  it('syntax errors name the line and column', async () => {
    const json = await avsb(['validate', tmp.file('syntax.json', '{"schemaVersion": 1,\n "flags": [,]}')]);
    expect(json.code).toBe(1);
    expect(json.stdout).toContain('invalid JSON at line 2, column 12');
    const yaml = await avsb(['validate', tmp.file('syntax.yaml', 'key: shop\nenvironments: [\n')]);
    expect(yaml.code).toBe(1);
    expect(yaml.stdout).toMatch(/invalid YAML at line \d+, column \d+/);
  });

  it('a YAML document whose aliases expand past the limit is a problem of that file, as import reads it too', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const bomb = tmp.file('aliases.yaml', [...lines, 'key: bomb', 'environments: []', ''].join('\n'));
    const validated = await avsb(['validate', bomb]);
    expect(validated.code).toBe(1);
    expect(validated.stderr).toBe('');
    expect(validated.stdout).toContain(`aliases.yaml: 1 problem\n  (document): invalid YAML: its aliases (*name) expand past the limit of 1000; write the values out instead`);
    const imported = await avsb(['import', bomb, '--db', join(tmp.dir, 'aliases.db')]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('invalid YAML: its aliases (*name) expand past the limit of 1000');
  });

  it('neither a datafile nor a project document', async () => {
    const r = await avsb(['validate', tmp.file('other.json', { hello: 'world' })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('neither a datafile');
  });

  it('a missing file is an error (exit 1), not a usage error', async () => {
    const r = await avsb(['validate', 'no-such-file.json'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no-such-file.json: no such file');
  });
});
