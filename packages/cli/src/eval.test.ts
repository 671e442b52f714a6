import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    { key: 'gated', on: true, variations: ['a', 'b'], prerequisites: [{ key: 'killswitch', variation: 1 }], fallthrough: { variation: 1 } },
    { key: 'killswitch', on: false, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } },
  ],
};

describe('avsb eval --datafile', () => {
  const file = () => tmp.file('datafile.json', DATAFILE);

  it('prints value, variation, reason and in-experiment', async () => {
    const r = await avsb(['eval', 'checkout-v2', '--datafile', file(), '--context', '{"kind":"user","key":"u_1","plan":"pro"}']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^value:\s+true$/m);
    expect(r.stdout).toMatch(/^variation:\s+1$/m);
    expect(r.stdout).toMatch(/^reason:\s+RULE_MATCH \(rule 0 "pro-plan"\)$/m);
    expect(r.stdout).toMatch(/^in experiment:\s+no$/m);
  });

  it('--json: machine output; a fallthrough experiment is in-experiment', async () => {
    const r = await avsb(['eval', 'checkout-v2', '--datafile', file(), '--context', '{"key":"u_42"}', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ flag: 'checkout-v2', reason: { kind: 'FALLTHROUGH' }, inExperiment: true });
    expect([0, 1]).toContain(out.variationIndex);
    expect(out.value).toBe(out.variationIndex === 1);
  });

  it('targets, prerequisites and the context from a file', async () => {
    tmp.file('ctx.json', { kind: 'user', key: 'u_vip' });
    const target = await avsb(['eval', 'checkout-v2', '--datafile', 'datafile.json', '--context', '@ctx.json', '--json'], { cwd: tmp.dir });
    file();
    expect(JSON.parse(target.stdout)).toMatchObject({ value: true, variationIndex: 1, reason: { kind: 'TARGET_MATCH' } });
    const prereq = await avsb(['eval', 'gated', '--datafile', file(), '--context', '{"key":"u"}']);
    expect(prereq.code).toBe(0);
    expect(prereq.stdout).toMatch(/^value:\s+none \(the caller's default\)$/m);
    expect(prereq.stdout).toContain('PREREQUISITE_FAILED (prerequisite 0: "killswitch")');
  });

  it('an unknown flag: the ERROR evaluation, a message naming the flags, exit 1', async () => {
    const r = await avsb(['eval', 'nope', '--datafile', file(), '--context', '{"key":"u"}']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR (FLAG_NOT_FOUND)');
    expect(r.stderr).toContain('flag "nope" is not in');
    expect(r.stderr).toContain('checkout-v2');
  });

  it('bad contexts are usage errors; an invalid datafile is an error with its path', async () => {
    const notJson = await avsb(['eval', 'checkout-v2', '--datafile', file(), '--context', '{key: u}']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--context is not valid JSON');
    const invalid = await avsb(['eval', 'checkout-v2', '--datafile', file(), '--context', '{"kind":"user","key":""}']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('invalid --context: context.key');
    const bad = tmp.file('bad.json', { schemaVersion: 1, flags: [{ key: 'x', on: true, variations: [1], fallthrough: { variation: 3 } }] });
    const r = await avsb(['eval', 'x', '--datafile', bad, '--context', '{"key":"u"}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('flags[0].fallthrough.variation');
  });

  it('needs exactly one source', async () => {
    const none = await avsb(['eval', 'x', '--context', '{"key":"u"}']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--datafile');
    const both = await avsb(['eval', 'x', '--context', '{"key":"u"}', '--datafile', 'a.json', '--server', 'http://127.0.0.1:1', '--sdk-key', 'srv-xxxxxxxx']);
    expect(both.code).toBe(2);
    const noKey = await avsb(['eval', 'x', '--context', '{"key":"u"}', '--server', 'http://127.0.0.1:1']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--sdk-key');
  });

  it('refuses a --server that is not a plain http(s) URL with the SDKs\' rule, without echoing it', async () => {
    const secret = 'hunter2-password';
    for (const server of [`http://admin:${secret}@127.0.0.1:1`, `ftp://127.0.0.1/${secret}`, `not a url ${secret}`, `http://127.0.0.1:1/?token=${secret}`]) {
      const r = await avsb(['eval', 'x', '--context', '{"key":"u"}', '--server', server, '--sdk-key', 'srv-xxxxxxxx']);
      expect(r.code, server).toBe(2);
      expect(r.stderr, server).toContain('--server');
      expect(r.stderr, server).toContain('give the http(s) URL');
      expect(r.stderr + r.stdout, server).not.toContain(secret);
    }
  });
});
