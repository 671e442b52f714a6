import { describe, expect, it } from 'vitest';
import type { EnvironmentSnapshot, StoredItem } from '../storage/records';
import { clientItems, serveDatafile } from './served-datafile';
import { maskKey, randomBase62, generateSdkKey, secretsEqual } from './keys';

const flag = (key: string, data: Record<string, unknown> = {}): StoredItem => ({
  kind: 'flag', key, name: `Flag ${key}`, data: { key, on: true, variations: [0], fallthrough: { variation: 0 }, ...data },
});
const segment = (key: string, uses: string[] = []): StoredItem => ({
  kind: 'segment', key, data: { key, rules: uses.map((u) => ({ clauses: [{ op: 'segmentMatch', values: [u] }] })) },
});
const uses = (...segments: string[]) => ({ rules: [{ clauses: [{ op: 'segmentMatch', values: segments }], serve: { variation: 0 } }] });

describe('client datafiles', () => {
  it('keep clientSide flags and the segments they reach, in order', () => {
    const flags = [flag('a', { clientSide: true, ...uses('s2') }), flag('b', uses('s1')), flag('c', { clientSide: true })];
    const segments = [segment('s1'), segment('s2', ['s3']), segment('s3', ['s2']), segment('s4')];
    const picked = clientItems(flags, segments);
    expect(picked.flags.map((f) => f.key)).toEqual(['a', 'c']);
    expect(picked.segments.map((s) => s.key)).toEqual(['s2', 's3']);
  });

  it('serialise once, without admin-only members, with a strong ETag per kind and revision', () => {
    const snapshot = {
      environment: { id: 1, projectKey: 'p', key: 'e', name: 'E', revision: 7, createdAt: 0, serverKey: 's', clientKey: 'c' },
      flags: [flag('a', { clientSide: true }), flag('b')],
      segments: [],
    } satisfies EnvironmentSnapshot;
    const server = serveDatafile(snapshot, 'server');
    const client = serveDatafile(snapshot, 'client');
    expect(JSON.parse(server.json)).toEqual({ schemaVersion: 1, revision: 7, flags: [snapshot.flags[0]!.data, snapshot.flags[1]!.data], segments: [] });
    expect(server.json).not.toContain('Flag a');
    expect(JSON.parse(client.json).flags).toHaveLength(1);
    expect(server.etag).toMatch(/^"server-7-/);
    expect(client.etag).toMatch(/^"client-7-/);
    expect(server.items.get('flag:b')).toBe(JSON.stringify(snapshot.flags[1]!.data));
  });
});

describe('keys', () => {
  it('are long, random and masked to their last four characters', () => {
    const key = generateSdkKey('server');
    expect(key).toMatch(/^srv-[0-9A-Za-z]{40}$/);
    expect(generateSdkKey('client')).toMatch(/^cli-/);
    expect(new Set(Array.from({ length: 100 }, () => randomBase62(32))).size).toBe(100);
    expect(maskKey(key)).toBe(`srv-…${key.slice(-4)}`);
    expect(secretsEqual(key, key)).toBe(true);
    expect(secretsEqual(key, `${key}x`)).toBe(false);
  });
});

describe('client-side prerequisites', () => {
  it('refuses a client-side flag whose prerequisite is server-only, naming the path', async () => {
    const { sharedValidator } = await import('./validator');
    const validator = await sharedValidator();
    const flag = (key: string, clientSide: boolean, prerequisites: { key: string; variation: number }[] = []) => ({
      key,
      on: true,
      clientSide,
      variations: [false, true],
      prerequisites,
      fallthrough: { variation: 1 },
    });
    const bad = { schemaVersion: 1, flags: [flag('gate', false), flag('banner', true, [{ key: 'gate', variation: 1 }])] };
    expect(validator.check(bad)).toMatch(/^flags\[1\]\.prerequisites\[0\]\.key: "gate" is not client-side/);
    const good = { schemaVersion: 1, flags: [flag('gate', true), flag('banner', true, [{ key: 'gate', variation: 1 }])] };
    expect(validator.check(good)).toBeNull();
  });
});

describe('datafiles the engine loads with warnings', () => {
  it('refuses them with the path of the first problem and how many more there are', async () => {
    const { sharedValidator } = await import('./validator');
    const validator = await sharedValidator();
    const flag = (key: string, clauses: object[]) => ({
      key,
      on: true,
      variations: [false, true],
      rules: [{ id: 'r', clauses, serve: { variation: 1 } }],
      fallthrough: { variation: 0 },
    });
    const oneProblem = { schemaVersion: 1, flags: [flag('a', []), flag('b', [{ attribute: 'v', op: 'semVerGreaterThan', values: ['02.0.0'] }])] };
    expect(validator.check(oneProblem)).toBe('flags[1].rules[0].clauses[0].values[0]: "02.0.0" is not a semantic version');
    const threeProblems = {
      schemaVersion: 1,
      flags: [
        flag('a', [{ attribute: 't', op: 'before', values: ['badstring'] }]),
        flag('b', [{ attribute: 'n', op: 'lessThan', values: ['5'] }]),
        { ...flag('c', []), fallthrough: { variation: 2 } },
      ],
    };
    expect(validator.check(threeProblems)).toMatch(/^flags\[0\]\.rules\[0\]\.clauses\[0\]\.values\[0\]: .* \(and 2 more problems\)$/);
  });
});
