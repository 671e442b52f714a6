import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import type { Logger } from '../logger';
import type { RunningServer } from '../server';
import { startServer } from '../server';
import { SqliteStore } from '../storage/sqlite-store';
import type { EnvironmentId } from '../storage/records';
import { experimentWorkload } from '../../test/support/experiment-events';
import type { ApiAnswer } from '../../test/support/harness';
import { answer, booleanFlag, sdk } from '../../test/support/harness';

const EVENTS = 100_000;
const BULK = '/projects/bulk/environments/production';
const TOKEN = 'test-admin-token';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Fixture {
  readonly dbPath: string;
  readonly bulk: EnvironmentId;
  readonly bulkKeys: { serverKey: string; clientKey: string };
}

function freshDatabase(): string {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-delete-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'avsb.db');
}

/** A database with the seeded `shop` and a project `bulk` holding EVENTS events (stored through the store, as fast as it takes them). */
async function filledDatabase(): Promise<Fixture> {
  const dbPath = freshDatabase();
  const server = await serve(dbPath);
  expect((await admin(server, 'POST', '/projects', { key: 'bulk' })).status).toBe(201);
  const bulkKeys = (await admin(server, 'GET', `${BULK}/keys?reveal=true`)).body;
  const bulk = (await server.store.getEnvironment('bulk', 'production'))!.id;
  const events = experimentWorkload(7, { users: 5000, events: EVENTS });
  for (let i = 0; i < events.length; i += 5000) await server.store.insertEvents(bulk, `b${i}`, events.slice(i, i + 5000), 0);
  await server.close();
  return { dbPath, bulk, bulkKeys };
}

async function serve(dbPath: string, options: { store?: SqliteStore; logger?: Logger } = {}): Promise<RunningServer> {
  const server = await startServer({ dbPath, seed: true, adminToken: TOKEN, ...options });
  cleanups.push(() => server.close());
  return server;
}

async function admin(server: RunningServer, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer(await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/** Rows of an environment's events, read through a connection of the test's own. */
function eventRows(dbPath: string, environmentId: EnvironmentId): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM events WHERE environment_id = ?').pluck().get(environmentId) as number;
  } finally {
    db.close();
  }
}

async function purgesPending(server: RunningServer): Promise<number> {
  return (await admin(server, 'GET', '/purges')).body.pending.length;
}

/** Until every purge is done: no rows pending and their space given back. */
const untilPurged = (server: RunningServer): Promise<void> =>
  vi.waitFor(async () => expect((await admin(server, 'GET', '/purges')).body).toMatchObject({ pending: [], running: false }), {
    timeout: 60_000,
    interval: 20,
  });

function batch(id: string, users: readonly string[]): string {
  const time = Date.now();
  const events = users.map((user, i) => ({ kind: 'exposure', time, contextKeys: { user }, flag: 'exp-a', variation: i % 2, inExperiment: true }));
  return JSON.stringify({ batchId: id, events });
}

it('answers 202 before the purge, with the project, its keys and its datafile gone at once', async () => {
  const { dbPath, bulk, bulkKeys } = await filledDatabase();
  const server = await serve(dbPath);
  const deleted = await admin(server, 'DELETE', '/projects/bulk');
  // counted, not timed: the answer came while the events were still there
  const left = eventRows(dbPath, bulk);
  expect(deleted.status).toBe(202);
  expect(deleted.body).toEqual({ project: 'bulk', deleted: true, purge: { state: 'pending', status: '/api/v1/purges' } });
  expect(left).toBeGreaterThan(EVENTS / 2);

  expect((await admin(server, 'GET', '/projects/bulk')).status).toBe(404);
  expect((await admin(server, 'GET', '/projects')).body.map((p: { key: string }) => p.key)).toEqual(['shop']);
  expect((await sdk(`${server.url}/sdk/v1/datafile`, bulkKeys.serverKey)).status).toBe(401);
  expect((await sdk(`${server.url}/sdk/v1/datafile`, bulkKeys.clientKey)).status).toBe(401);
  expect((await sdk(`${server.url}/sdk/v1/events`, bulkKeys.serverKey, { method: 'POST', body: batch('late', ['u1']) })).status).toBe(401);
  expect((await sdk(`${server.url}/sdk/v1/stream`, bulkKeys.serverKey)).status).toBe(401);

  const status = (await admin(server, 'GET', '/purges')).body;
  expect(status).toEqual({
    pending: [{ project: 'bulk', environment: 'production', deletedAt: expect.any(Number) }, expect.anything()],
    running: true,
    lastError: null,
  });
  expect(status.pending[1]).toMatchObject({ project: 'bulk', environment: 'staging' });
  await untilPurged(server);
  expect(eventRows(dbPath, bulk)).toBe(0);
  expect((await admin(server, 'GET', '/purges')).body).toEqual({ pending: [], running: false, lastError: null });
}, 120_000);

it('lets a project with the same key be created at once, which sees none of the old events', async () => {
  const { dbPath } = await filledDatabase();
  const server = await serve(dbPath);
  expect((await admin(server, 'DELETE', '/projects/bulk')).status).toBe(202);
  expect((await admin(server, 'POST', '/projects', { key: 'bulk' })).status).toBe(201);
  expect(await purgesPending(server)).toBeGreaterThan(0); // still purging the old one
  const rollout = { kind: 'experiment', variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] };
  expect((await admin(server, 'PUT', `${BULK}/flags/exp-a`, booleanFlag('exp-a', { fallthrough: { rollout } }))).status).toBe(201);
  const keys = (await admin(server, 'GET', `${BULK}/keys?reveal=true`)).body;
  expect((await sdk(`${server.url}/sdk/v1/events`, keys.serverKey, { method: 'POST', body: batch('new-1', ['u1', 'u2', 'u3']) })).status).toBe(202);

  expect((await admin(server, 'GET', `${BULK}/events?limit=1000`)).body.length).toBe(3);
  const results = await admin(server, 'GET', `${BULK}/results/exp-a?metric=purchase`);
  expect(results.status).toBe(200);
  expect(results.body.variations.reduce((n: number, v: { exposed: number }) => n + v.exposed, 0)).toBe(3);
  await untilPurged(server);
  expect((await admin(server, 'GET', `${BULK}/events?limit=1000`)).body.length).toBe(3);
}, 120_000);

it('keeps taking event batches while it purges', async () => {
  const { dbPath } = await filledDatabase();
  const server = await serve(dbPath);
  const shop = (await admin(server, 'GET', '/projects/shop/environments/production/keys?reveal=true')).body.serverKey as string;
  const shopId = (await server.store.getEnvironment('shop', 'production'))!.id;
  const before = eventRows(dbPath, shopId);
  expect((await admin(server, 'DELETE', '/projects/bulk')).status).toBe(202);
  // batches back to back, each sent while the purge is still pending
  let sent = 0;
  while ((await purgesPending(server)) > 0) {
    const res = await sdk(`${server.url}/sdk/v1/events`, shop, { method: 'POST', body: batch(`during-${sent}`, ['a', 'b']) });
    expect(res.status).toBe(202);
    sent++;
  }
  expect(sent).toBeGreaterThan(0);
  expect(eventRows(dbPath, shopId)).toBe(before + 2 * sent);
}, 120_000);

it('finishes a purge that a restart interrupted', async () => {
  const { dbPath, bulk } = await filledDatabase();
  const first = await serve(dbPath);
  expect((await admin(first, 'DELETE', '/projects/bulk')).status).toBe(202);
  await first.close();
  expect(eventRows(dbPath, bulk)).toBeGreaterThan(0); // stopped mid-purge

  const second = await serve(dbPath);
  expect((await admin(second, 'GET', '/projects/bulk')).status).toBe(404);
  await untilPurged(second);
  expect(eventRows(dbPath, bulk)).toBe(0);
}, 120_000);

it('logs a failed purge and retries it with backoff, serving requests meanwhile', async () => {
  const { dbPath, bulk } = await filledDatabase();
  const lines: string[] = [];
  const logger: Logger = { info: () => {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const store = new SqliteStore(dbPath, { logger, purgeRetry: { initialMs: 20, maxMs: 200 } });
  const server = await serve(dbPath, { store, logger });
  const shop = (await admin(server, 'GET', '/projects/shop/environments/production/keys?reveal=true')).body.serverKey as string;
  // a real fault: a table the purge deletes from is missing (renamed away through another connection) until the test puts it back
  const other = new Database(dbPath);
  cleanups.push(() => other.close());
  other.exec('ALTER TABLE unit_conversions RENAME TO unit_conversions_away');

  expect((await admin(server, 'DELETE', '/projects/bulk')).status).toBe(202);
  await vi.waitFor(() => expect(lines.filter((l) => l.includes('purging deleted environments failed')).length).toBeGreaterThanOrEqual(2), {
    timeout: 30_000,
    interval: 20,
  });
  expect(lines[0]).toMatch(/retrying in \d+ ms: .*unit_conversions/);
  expect((await admin(server, 'GET', '/purges')).body.lastError).toMatch(/unit_conversions/);
  expect((await sdk(`${server.url}/sdk/v1/datafile`, shop)).status).toBe(200);

  other.exec('ALTER TABLE unit_conversions_away RENAME TO unit_conversions');
  await untilPurged(server);
  expect(eventRows(dbPath, bulk)).toBe(0);
  expect((await admin(server, 'GET', '/purges')).body.lastError).toBeNull();
}, 120_000);

it('refuses with 401 an event batch whose project is deleted while its body arrives', async () => {
  const server = await serve(freshDatabase());
  expect((await admin(server, 'POST', '/projects', { key: 'gone' })).status).toBe(201);
  const key = (await admin(server, 'GET', '/projects/gone/environments/production/keys?reveal=true')).body.serverKey as string;
  const body = Buffer.from(batch('in-flight', ['u1', 'u2']));
  const { port } = new URL(server.url);
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/sdk/v1/events', headers: { authorization: key, 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, 10));
    // the rest once the project is gone: the key was good when the request began
    setTimeout(() => {
      void admin(server, 'DELETE', '/projects/gone').then((res) => {
        expect(res.status).toBe(202);
        req.end(body.subarray(10));
      }, reject);
    }, 200);
  });
  const res = await answered;
  expect(res.status).toBe(401);
  expect(JSON.parse(res.text).error.code).toBe('unauthorized');
}, 30_000);
