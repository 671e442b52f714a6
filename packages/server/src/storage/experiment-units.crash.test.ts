import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { experimentResults, resultsFromUnits } from '../stats';
import type { VariationInfo } from '../stats';
import { allUnits, attributionRows } from '../../test/support/experiment-events';
import type { EventInput } from './records';
import { SqliteStore } from './sqlite-store';

const support = fileURLToPath(new URL('../../test/support/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'avsb-fold-crash-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const twoArms: VariationInfo[] = [
  { variation: 0, value: false, weight: 50000 },
  { variation: 1, value: true, weight: 50000 },
];

/** Runs the folder until it acknowledged `acks` batches, then SIGKILLs it. */
async function foldThenKill(dbPath: string, acks: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', join(support, 'register-ts.mjs'), join(support, 'crash-folder.ts'), dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let lines = 0;
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString('utf8').split('\n').length - 1;
      if (lines > acks) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => (lines > acks ? resolve() : reject(new Error(`the folder exited on its own: ${stderr}`))));
  });
  expect(await exited).toBe('SIGKILL');
  return lines - 1;
}

/** The stored events in id order, as the store took them. */
function storedEvents(dbPath: string): EventInput[] {
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare('SELECT kind, time, key, variation, in_experiment, value, context_keys, body FROM events ORDER BY id').all() as {
    kind: string; time: number; key: string; variation: number | null; in_experiment: number; value: number | null; context_keys: string; body: string;
  }[];
  db.close();
  return rows.map((r) => ({
    kind: r.kind, time: r.time, key: r.key, variation: r.variation, inExperiment: r.in_experiment === 1, value: r.value,
    contextKeys: JSON.parse(r.context_keys) as Record<string, string>, json: r.body,
  }));
}

it('keeps the aggregates exact through kill -9 during ingestion and folding: every stored event counted once', async () => {
  const dbPath = join(dir, 'fold-crash.db');
  expect(await foldThenKill(dbPath, 120)).toBeGreaterThanOrEqual(120);

  const store = new SqliteStore(dbPath);
  const environmentId = (await store.getEnvironment('crash', 'prod'))!.id;
  const events = storedEvents(dbPath);
  expect(events.length % 250).toBe(0); // never half a batch, never a retried batch twice
  for (const [flag, kind, metric] of [['exp-a', 'user', 'purchase'], ['exp-b', 'org', 'signup']] as const) {
    const { exposures, conversions } = attributionRows(events, flag, kind, metric);
    const units = await allUnits(store, environmentId, flag, kind, metric);
    expect(resultsFromUnits(flag, metric, twoArms, units)).toEqual(experimentResults(flag, metric, twoArms, exposures, conversions));
  }
  await store.close();
}, 60_000);
