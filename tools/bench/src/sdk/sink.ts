// Where the SDKs' events go: nowhere, but through the SDK's real delivery path.
// - `fetchSink()`: an in-process `fetch` that answers every request 202 without
//   any network (for SDKs that accept a `fetch`, like @avsb/node).
// - `loopbackSink()`: an HTTP server on 127.0.0.1 in the same process that
//   reads each request and answers a fixed status (for SDKs that only take an
//   events URL). Its own cost shows up in the process only when an SDK flushes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkStats {
  requests: number;
  bytes: number;
  /** Requests by method and path, e.g. `POST /bulk` → 3. */
  paths: Map<string, number>;
  /** The first request body to each path (for a sanity check in the notes). */
  firstBodies: Map<string, string>;
}

const newStats = (): SinkStats => ({ requests: 0, bytes: 0, paths: new Map(), firstBodies: new Map() });

function note(stats: SinkStats, what: string, body: string): void {
  stats.requests++;
  stats.bytes += Buffer.byteLength(body);
  stats.paths.set(what, (stats.paths.get(what) ?? 0) + 1);
  if (!stats.firstBodies.has(what)) stats.firstBodies.set(what, body.slice(0, 2000));
}

export function describeSink(stats: SinkStats): string {
  const paths = [...stats.paths].map(([p, n]) => `${p} ×${n}`).join(', ');
  return `${stats.requests} requests, ${(stats.bytes / 1024).toFixed(1)} KiB${paths ? ` (${paths})` : ''}`;
}

/** An in-process `fetch`: counts each request and its body, answers 202 with an empty body. */
export function fetchSink(): { stats: SinkStats; fetch: (url: string, init: { method?: string; body?: string }) => Promise<FetchSinkResponse> } {
  const stats = newStats();
  const response: FetchSinkResponse = { status: 202, ok: true, headers: { get: () => null }, text: async () => '', body: null };
  return {
    stats,
    fetch: async (url, init) => {
      note(stats, `${init.method ?? 'GET'} ${new URL(url).pathname}`, init.body ?? '');
      return response;
    },
  };
}

export interface FetchSinkResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  body: null;
}

export interface LoopbackSink {
  /** `http://127.0.0.1:<port>` */
  url: string;
  stats: SinkStats;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (ephemeral port) that answers every request `status(path)` with `{}`. */
export async function loopbackSink(status: (method: string, path: string) => number = () => 202): Promise<LoopbackSink> {
  const stats = newStats();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      note(stats, `${req.method} ${path}`, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status(req.method ?? 'GET', path), { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logger that drops everything but counts warnings and errors, keeping the first few. */
export function countingLogger(): {
  logger: { debug(m: string): void; info(m: string): void; warn(m: string, ...r: unknown[]): void; error(m: string, ...r: unknown[]): void };
  summary(): string;
} {
  let warns = 0;
  let errors = 0;
  const first: string[] = [];
  const keep = (level: string, m: unknown): void => {
    if (first.length < 3) first.push(`${level}: ${String(m).slice(0, 200)}`);
  };
  return {
    logger: {
      debug: () => {},
      info: () => {},
      warn: (m) => (warns++, keep('warn', m)),
      error: (m) => (errors++, keep('error', m)),
    },
    summary: () => (warns + errors === 0 ? 'no warnings logged' : `${warns} warnings, ${errors} errors logged (first: ${first.join(' | ')})`),
  };
}
