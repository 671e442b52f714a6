// kill -9 of the real server while SDKs post event batches: every batch the
// server answered 202 is in the database when it reopens, exactly once, and
// the server starts again on the same file.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';

const support = fileURLToPath(new URL('../../test/support/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'avsb-events-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the server in a child process on `dbPath`; resolves with its URL and server key. */
function startChild(dbPath: string): Promise<{ child: ChildProcess; url: string; serverKey: string }> {
  const child = spawn(process.execPath, ['--import', join(support, 'register-ts.mjs'), join(support, 'crash-server.ts'), dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ child, ...(JSON.parse(out.slice(0, end)) as { url: string; serverKey: string }) });
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready: ${stderr}`)));
  });
}

function batch(id: string, size: number) {
  return {
    batchId: id,
    sdk: { name: 'crash-test', version: '1' },
    events: Array.from({ length: size }, (_, i) => ({
      kind: 'custom',
      time: Date.now(),
      contextKeys: { user: `u_${id}_${i}` },
      key: 'crash-purchase',
      value: i,
    })),
  };
}

it('keeps every acknowledged batch, once, through a kill -9 of the server mid-load', async () => {
  const dbPath = join(dir, 'avsb.db');
  const { child, url, serverKey } = await startChild(dbPath);
  const acknowledged: string[] = [];
  const post = async (id: string): Promise<void> => {
    try {
      const res = await fetch(`${url}/sdk/v1/events`, {
        method: 'POST',
        headers: { authorization: serverKey, 'content-type': 'application/json' },
        body: JSON.stringify(batch(id, 50)),
      });
      if (res.status === 202) acknowledged.push(id);
      await res.arrayBuffer();
    } catch {
      // the server died with this one in flight: not acknowledged, so the SDK would retry it
    }
  };
  // 8 SDKs posting without pause; half of them send a retry of a batch already sent
  let next = 0;
  let killed = false;
  const sdk = async (n: number) => {
    while (!killed) {
      const id = `b-${n}-${next++}`;
      await post(id);
      if (n % 2 === 0 && !killed) await post(id); // a retried batch id: stored once
    }
  };
  const sdks = Array.from({ length: 8 }, (_, n) => sdk(n));
  while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill('SIGKILL');
  killed = true;
  await Promise.all(sdks);
  expect(await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.signalCode) : child.on('exit', (_c, s) => resolve(s))))).toBe('SIGKILL');

  const db = new Database(dbPath);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = db.prepare('SELECT count FROM event_batches WHERE batch_id = ?').pluck();
    // events by batch: a context key is u_<batch id>_<index>, and batch ids have no '_'
    const perBatch = new Map<string, number>();
    for (const keys of db.prepare("SELECT context_keys FROM events WHERE kind = 'custom' AND key = 'crash-purchase'").pluck().all() as string[]) {
      const user = (JSON.parse(keys) as { user: string }).user;
      const id = user.slice(2, user.lastIndexOf('_'));
      perBatch.set(id, (perBatch.get(id) ?? 0) + 1);
    }
    for (const id of new Set(acknowledged)) {
      expect(stored.get(id), `batch ${id}`).toBe(50);
      expect(perBatch.get(id), `events of ${id}`).toBe(50);
    }
    // nothing stored twice, acknowledged or not (a batch cut short by the kill is not stored at all)
    for (const [id, count] of perBatch) expect(count, `events of ${id}`).toBe(50);
  } finally {
    db.close();
  }

  // the server opens the same file again and serves it
  const again = await startChild(dbPath);
  const res = await fetch(`${again.url}/sdk/v1/datafile`, { headers: { authorization: again.serverKey } });
  expect(res.status).toBe(200);
  again.child.kill('SIGKILL');
}, 60_000);
