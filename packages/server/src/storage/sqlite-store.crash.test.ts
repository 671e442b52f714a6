import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';

const support = fileURLToPath(new URL('../../test/support/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'avsb-crash-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it acknowledged `acks` writes, then SIGKILLs it; returns the acknowledgements. */
async function writeThenKill(dbPath: string, acks: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', join(support, 'register-ts.mjs'), join(support, 'crash-writer.ts'), dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines: string[] = [];
  let buffer = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        lines.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
      }
      if (lines.length > acks) {
        child.kill('SIGKILL'); // mid-write: the loop never waits between writes
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`the writer exited on its own: ${stderr}`)));
  }).catch((error) => {
    if (lines.length <= acks) throw error;
  });
  expect(await exited).toBe('SIGKILL');
  return lines.filter((line) => line !== 'ready');
}

describe('SqliteStore after kill -9', () => {
  it('reopens intact with every acknowledged write', async () => {
    const dbPath = join(dir, 'crash.db');
    const acked = await writeThenKill(dbPath, 600);
    expect(acked.length).toBeGreaterThanOrEqual(600);

    const db = new Database(dbPath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const batch = db.prepare('SELECT count FROM event_batches WHERE batch_id = ?').pluck();
      const flag = db.prepare("SELECT data FROM items WHERE kind = 'flag' AND key = ?").pluck();
      const history = db.prepare("SELECT revision FROM history WHERE kind = 'flag' AND key = ? AND action = 'create'").pluck();
      let lastRevision = 0;
      for (const line of acked) {
        const [kind, key, revision] = line.split(' ');
        if (kind === 'event') {
          expect(batch.get(key), `batch ${key}`).toBe(20);
        } else {
          expect(flag.get(key), `flag ${key}`).toBeTypeOf('string');
          expect(history.get(key)).toBe(Number(revision));
          lastRevision = Number(revision);
        }
      }
      const events = db.prepare("SELECT count(*) FROM events WHERE key = 'crash'").pluck().get() as number;
      const batches = db.prepare('SELECT count(*) FROM event_batches').pluck().get() as number;
      expect(events).toBe(batches * 20); // never half a batch
      const revision = db.prepare("SELECT revision FROM environments WHERE key = 'production'").pluck().get() as number;
      expect(revision).toBeGreaterThanOrEqual(lastRevision);
      const historyRows = db.prepare('SELECT count(DISTINCT h.revision) FROM history h JOIN environments e ON e.id = h.environment_id WHERE e.key = ?').pluck();
      expect(historyRows.get('production')).toBe(revision); // every revision has its history
    } finally {
      db.close();
    }

    // the store itself opens it again and serves from it
    const store = new SqliteStore(dbPath);
    const environment = await store.getEnvironment('shop', 'production');
    const snapshot = await store.readEnvironment(environment!.id);
    expect(snapshot!.flags.length).toBeGreaterThan(4);
    await store.close();
  }, 60_000);
});
