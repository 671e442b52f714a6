import { spawn } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logger';
import { seedExampleProject } from '../seed';
import { startServer } from '../server';
import { answer, booleanFlag, sdk } from '../../test/support/harness';
import { SqliteStore } from './sqlite-store';

const support = join(dirname(fileURLToPath(import.meta.url)), '../../test/support');
const NOBODY = 65534;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function seededFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-readonly-'));
  dirs.push(dir);
  const dbPath = join(dir, 'avsb.db');
  const store = new SqliteStore(dbPath);
  await seedExampleProject(store);
  await store.close();
  return dbPath;
}

/** Starts readonly-server.ts in a child, as `nobody` when we are root (file modes do not stop root). */
function startChild(dbPath: string, uid?: number): Promise<{ url?: string; error?: string; kill(): void }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', join(support, 'register-ts.mjs'), join(support, 'readonly-server.ts'), dbPath];
    // the child drops to `uid` itself once its modules are loaded
    const child = spawn(process.execPath, uid === undefined ? args : [...args, String(uid)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ ...JSON.parse(out), kill: () => child.kill() });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) without an answer: ${err}`)));
    child.once('error', reject);
  });
}

describe('a read-only database', () => {
  it('is refused at start, naming the file and the cause, when the server cannot write it', async () => {
    const dbPath = await seededFile();
    const root = process.getuid?.() === 0;
    // as root, chmod alone would not stop writes: hand the folder to nobody and start the server as nobody
    if (root) chownSync(dirname(dbPath), NOBODY, NOBODY);
    chmodSync(dirname(dbPath), 0o755);
    chmodSync(dbPath, 0o444);
    if (root) chownSync(dbPath, NOBODY, NOBODY);
    const started = await startChild(dbPath, root ? NOBODY : undefined);
    started.kill();
    expect(started.url).toBeUndefined();
    expect(started.error).toBe(
      `the database file ${dbPath} is read-only (EACCES): the server writes every change and event there. ` +
        'Make it writable, or open the file with SqliteStore(path, { readonly: true }) to serve it read-only',
    );
  }, 30_000);

  it('opened read-only on purpose, serves reads and answers every write with 503 and the cause', async () => {
    const dbPath = await seededFile();
    const lines: string[] = [];
    const logger: Logger = { info: () => {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const store = new SqliteStore(dbPath, { readonly: true });
    const server = await startServer({ store, adminToken: 'read-only-admin-token', logger, seed: true });
    try {
      const admin = async (method: string, path: string, body?: unknown) =>
        answer(await fetch(`${server.url}/api/v1${path}`, {
          method,
          headers: { authorization: 'Bearer read-only-admin-token', 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }));
      expect((await admin('GET', '/projects')).body.map((p: { key: string }) => p.key)).toEqual(['shop']);
      const keys = (await admin('GET', '/projects/shop/environments/production/keys?reveal=true')).body;
      expect((await sdk(`${server.url}/sdk/v1/datafile`, keys.serverKey)).status).toBe(200);
      const writes = [
        await admin('PATCH', '/projects/shop/environments/production/flags/checkout-v2', { on: false }),
        await admin('PUT', '/projects/shop/environments/production/flags/new-one', booleanFlag('new-one')),
        await admin('POST', '/projects', { key: 'another' }),
        await sdk(`${server.url}/sdk/v1/events`, keys.serverKey, {
          method: 'POST',
          body: JSON.stringify({ batchId: 'ro', events: [{ kind: 'context', time: 1, context: { kind: 'user', key: 'u' } }] }),
        }),
      ];
      for (const write of writes) {
        expect(write.status).toBe(503);
        expect(write.body.error.code).toBe('unavailable');
        expect(write.body.error.message).toMatch(/^the database is read-only: reads are served but nothing can be stored/);
      }
      expect(lines[0]).toBe('the database is open read-only: reads are served, every change and event batch answers 503');
      expect(lines.some((l) => l.includes('    at '))).toBe(false); // no stack traces per request
    } finally {
      await server.close();
    }
    // nothing was written
    accessSync(dbPath, constants.R_OK);
    const reopened = new SqliteStore(dbPath, { readonly: true });
    expect((await reopened.listProjects()).map((p) => p.key)).toEqual(['shop']);
    await reopened.close();
  });
});
