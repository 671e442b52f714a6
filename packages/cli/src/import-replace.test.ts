// `avsb import --replace --db`: the environments the new document drops leave no events behind once the command returns.
import path from 'node:path';
import { SqliteStore } from '@avsb/server';
import type { EnvironmentId } from '@avsb/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, avsb, tempDir } from '../test/support/harness';

const tmp = tempDir();
beforeAll(assertBuilt);
afterAll(() => tmp.remove());

const flag = (key: string) => ({ key, on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } });
const environment = (key: string, flagKey: string) => ({ key, name: key, flags: [flag(flagKey)], segments: [] });

/** Custom events of distinct users, in batches of 1,000: several purge steps (1,000 rows each) per table. */
async function storeEvents(store: SqliteStore, environmentId: EnvironmentId, count: number): Promise<void> {
  for (let batch = 0; batch < count; batch += 1000) {
    const events = Array.from({ length: Math.min(1000, count - batch) }, (_, i) => {
      const event = { kind: 'custom', time: 1_700_000_000_000 + batch + i, key: 'purchase', contextKeys: { user: `u_${batch + i}` } };
      return { ...event, variation: null, inExperiment: false, value: null, json: JSON.stringify(event) };
    });
    await store.insertEvents(environmentId, `batch-${environmentId}-${batch}`, events, 1_700_000_000_000);
  }
}

it('waits for the events of the environments it drops to be purged, and leaves the new project intact', async () => {
  const db = path.join(tmp.dir, 'replace.db');
  const before = { key: 'acme', name: 'Acme', environments: [environment('production', 'kept'), environment('staging', 'old')] };
  const first = await avsb(['import', tmp.file('before.json', before), '--db', db]);
  expect(first.code).toBe(0);

  let store = new SqliteStore(db);
  const environments = (await store.getProject('acme'))!.environments;
  const production = environments.find((e) => e.key === 'production')!.id;
  const staging = environments.find((e) => e.key === 'staging')!.id;
  await storeEvents(store, staging, 20_000);
  await storeEvents(store, production, 1_000);
  await store.close();

  const after = { key: 'acme', name: 'Acme Inc', environments: [environment('production', 'new'), environment('preview', 'preview-only')] };
  const replaced = await avsb(['import', tmp.file('after.json', after), '--db', db, '--replace']);
  expect(replaced.stderr).toBe('purging the stored events of 1 dropped environment (acme/staging)…\n');
  expect(replaced.code).toBe(0);
  expect(replaced.stdout).toContain('imported project "acme" into');

  // read before anything opens the file again and could resume an interrupted purge
  store = new SqliteStore(db, { readonly: true });
  try {
    expect(await store.purgeStatus()).toEqual({ pending: [], running: false, lastError: null });
    expect(await store.listEvents(staging, 0, 10)).toEqual([]);
    expect(await store.lastEventId(staging)).toBe(0);
    // the environment the import kept keeps its events; the new project is what the document says
    expect(await store.listEvents(production, 0, 2000)).toHaveLength(1000);
    const project = (await store.getProject('acme'))!;
    expect(project.name).toBe('Acme Inc');
    expect(project.environments.map((e) => e.key).sort()).toEqual(['preview', 'production']);
    const snapshot = await store.readEnvironment(production);
    expect(snapshot?.flags.map((f) => f.key)).toEqual(['new']);
  } finally {
    await store.close();
  }
  const exported = await avsb(['export', 'acme', '--db', db]);
  expect(JSON.parse(exported.stdout)).toEqual(after);
}, 60_000);
