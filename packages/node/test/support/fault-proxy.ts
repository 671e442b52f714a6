// The only fake part of the tests: an HTTP proxy on 127.0.0.1 in front of the
// real A vs B server that injects faults (statuses, delays, dropped streams,
// lost patches, events pushed into open streams).
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Faults {
  /** Answer `GET /sdk/v1/datafile` with this status instead of forwarding. */
  datafileStatus?: number;
  /** Hold datafile requests this long before forwarding them. */
  datafileDelayMs?: number;
  /** Answer `GET /sdk/v1/stream` with this status instead of forwarding. */
  streamStatus?: number;
  /** End every stream this long after it opened. */
  dropStreamsAfterMs?: number;
  /** Answer `POST /sdk/v1/events` with this status instead of forwarding. */
  eventsStatus?: number;
  /** Swallow this many `patch` events coming from the server. */
  dropPatches?: number;
}

export class FaultProxy {
  faults: Faults = {};
  /** Requests seen, by path (without query). */
  readonly counts: Record<string, number> = {};
  /** Statuses answered, by path. */
  readonly statuses: Record<string, number[]> = {};
  private readonly _streams = new Set<ServerResponse>();
  private readonly _sockets = new Set<Socket>();

  private constructor(
    private readonly _server: Server,
    private readonly _upstream: URL,
  ) {}

  static async start(upstream: string, port = 0): Promise<FaultProxy> {
    let proxy!: FaultProxy;
    const server = createServer((req, res) => proxy._handle(req, res));
    proxy = new FaultProxy(server, new URL(upstream));
    server.on('connection', (socket) => {
      proxy._sockets.add(socket);
      socket.on('close', () => proxy._sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this._server.address() as AddressInfo).port;
  }

  /** Streams open through the proxy now. */
  get openStreams(): number {
    return this._streams.size;
  }

  count(path: string): number {
    return this.counts[path] ?? 0;
  }

  /** Writes a server-sent event into every open stream. */
  inject(event: string, data: string): void {
    for (const res of this._streams) res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Ends every open stream now. */
  dropStreams(): void {
    for (const res of this._streams) res.destroy();
  }

  async close(): Promise<void> {
    for (const s of this._sockets) s.destroy();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    this.counts[path] = (this.counts[path] ?? 0) + 1;
    const f = this.faults;
    res.on('finish', () => (this.statuses[path] ??= []).push(res.statusCode));
    res.on('close', () => {
      if (!res.writableFinished && path !== '/sdk/v1/stream') (this.statuses[path] ??= []).push(res.statusCode);
    });
    const fail = (status: number) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'internal', message: 'injected by the fault proxy' } }));
      req.resume();
    };
    if (path === '/sdk/v1/datafile' && f.datafileStatus) return fail(f.datafileStatus);
    if (path === '/sdk/v1/stream' && f.streamStatus) return fail(f.streamStatus);
    if (path === '/sdk/v1/events' && f.eventsStatus) return fail(f.eventsStatus);
    if (path === '/sdk/v1/datafile' && f.datafileDelayMs) {
      const timer = setTimeout(() => this._forward(req, res, path), f.datafileDelayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    this._forward(req, res, path);
  }

  private _forward(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (res.destroyed) return;
    const upstream = request(
      {
        host: this._upstream.hostname,
        port: this._upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this._upstream.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (path !== '/sdk/v1/stream' || up.statusCode !== 200) {
          up.pipe(res);
          return;
        }
        this._stream(up, res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  /** Forwards a stream event by event, so injected events land between whole events. */
  private _stream(up: IncomingMessage, res: ServerResponse): void {
    this._streams.add(res);
    res.flushHeaders();
    const after = this.faults.dropStreamsAfterMs;
    const timer = after ? setTimeout(() => res.destroy(), after) : null;
    res.on('close', () => {
      this._streams.delete(res);
      if (timer) clearTimeout(timer);
      up.destroy();
    });
    let buffer = '';
    up.setEncoding('utf8');
    up.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        if (event.startsWith('event: patch') && (this.faults.dropPatches ?? 0) > 0) {
          this.faults.dropPatches!--;
          continue;
        }
        res.write(event);
      }
    });
    up.on('end', () => res.end());
  }
}

/** A port on 127.0.0.1 that nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
