// Test support: a real server on 127.0.0.1 over a SQLite file in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer, ServerOptions } from '../../src/server';
import { startServer } from '../../src/server';

/** A running test server with helpers for the admin API and the SDK protocol. */
export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly dir: string;
  readonly dbPath: string;
  /** Calls the admin API (`path` after `/api/v1`); JSON in and out. */
  admin(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /**
   * `admin` over node:http on one kept-alive socket, for tests that make hundreds of requests in a row: fetch's own work
   * was up to half of each toggle's CPU, server's included (a stream open, in a vitest worker: 2.1-3.6 ms through fetch,
   * 1.3-1.8 through this, 0.51-0.67 of it, paired, 4 rounds of 400 at load 11), and on a loaded machine's share of a
   * core such a test takes as long as its CPU allows.
   */
  adminInRow(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** Revealed keys of an environment of `shop`. */
  keys(env?: string): Promise<{ serverKey: string; clientKey: string }>;
  close(): Promise<void>;
}

/** A response with its parsed JSON body (null when empty or not JSON). */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

/** Starts a server (seeded with `shop` unless `seed: false`). */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-server-test-'));
  const dbPath = join(dir, 'avsb.db');
  const server = await startServer({ dbPath, seed: true, adminToken: 'test-admin-token', ...options });
  const admin = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return answer(res);
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const adminInRow = (method: string, path: string, body?: unknown) =>
    new Promise<ApiAnswer>((resolve, reject) => {
      const json = body === undefined ? undefined : JSON.stringify(body);
      const headers = { authorization: `Bearer ${server.adminToken}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) };
      const req = request(`${server.url}/api/v1${path}`, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') answerHeaders.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers: answerHeaders, body: parsed(text), text });
        });
      });
      req.on('error', reject);
      req.end(json);
    });
  return {
    server,
    url: server.url,
    dir,
    dbPath,
    admin,
    adminInRow,
    keys: async (env = 'production') => (await admin('GET', `/projects/shop/environments/${env}/keys?reveal=true`)).body,
    close: async () => {
      agent.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a fetch response into an {@link ApiAnswer}. */
export async function answer(res: Response): Promise<ApiAnswer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parsed(text), text };
}

/** A response's JSON body (null when empty or not JSON). */
function parsed(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** GET/POST to the SDK protocol with a key in the Authorization header. */
export async function sdk(url: string, key: string | null, init: RequestInit = {}): Promise<ApiAnswer> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('authorization', key);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return answer(await fetch(url, { ...init, headers }));
}

/** A minimal flag in datafile form. */
export function booleanFlag(key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { key, on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 }, ...extra };
}
