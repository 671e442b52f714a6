// Test support: a misbehaving A vs B service on 127.0.0.1 whose answers each
// test scripts by hand (a status and headers, a stream that sends what the
// test says and closes when it says), counting every request it gets.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How one request is answered: the handler writes the whole answer (or keeps a stream open). */
export type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A good datafile: `checkout-v2` serves `true` to everyone. */
export function goodDatafile(revision = 1): object {
  return {
    schemaVersion: 1,
    revision,
    flags: [{ key: 'checkout-v2', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } }],
  };
}

/** A JSON datafile the engine refuses as a whole (`flags` is not an array). */
export const SCHEMA_INVALID = JSON.stringify({ datafile: { schemaVersion: 1, revision: 9, flags: 'none' } });

/** Not JSON at all. */
export const MALFORMED = '{"datafile": {"schemaVersion": 1, "flags": [';

export class ScriptedService {
  /** Per path (without query): how to answer. A path without a script gets 404. */
  readonly scripts: Record<string, Script> = {};
  /** Requests seen, by path. */
  readonly counts: Record<string, number> = {};
  private readonly _sockets = new Set<Socket>();
  private readonly _timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(private readonly _server: Server) {}

  static async start(): Promise<ScriptedService> {
    let service!: ScriptedService;
    const server = createServer((req, res) => service._handle(req, res));
    service = new ScriptedService(server);
    server.on('connection', (socket) => {
      service._sockets.add(socket);
      socket.on('close', () => service._sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}`;
  }

  count(path: string): number {
    return this.counts[path] ?? 0;
  }

  /** Runs `fn` after `ms` unless the service closed first. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this._timers.delete(t);
      fn();
    }, ms);
    this._timers.add(t);
  }

  async close(): Promise<void> {
    for (const t of this._timers) clearTimeout(t);
    for (const s of this._sockets) s.destroy();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (this.counts[path] = (this.counts[path] ?? 0) + 1);
    req.resume();
    const script = this.scripts[path];
    if (!script) {
      res.writeHead(404).end();
      return;
    }
    script(req, res, n);
  }
}

/** Answers with `status` and `headers` and a protocol error body. */
export function answer(status: number, headers: Record<string, string> = {}): Script {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: 'scripted' } }));
  };
}

/** Serves `datafile` as the datafile endpoint does. */
export function serveDatafile(datafile: () => object): Script {
  return (_req, res) => {
    const body = JSON.stringify(datafile());
    res.writeHead(200, { 'content-type': 'application/json', etag: `"${body.length}"` });
    res.end(body);
  };
}

/** Opens an event stream and writes each of `events` (`[event, data]`); the stream stays open. */
export function openStream(res: ServerResponse, events: [string, string][]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [event, data] of events) res.write(`event: ${event}\ndata: ${data}\n\n`);
}

/** Writes `: heartbeat` every `ms` until the stream closes. */
export function heartbeats(res: ServerResponse, ms: number): void {
  const t = setInterval(() => res.write(': heartbeat\n\n'), ms);
  res.on('close', () => clearInterval(t));
}
