import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { StreamConnection } from './stream-connection';

/** A `GET /sdk/v1/datafile` the SDK made. */
export interface DatafileRequest {
  readonly index: number;
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
}

/** A `POST /sdk/v1/events` the SDK made, byte for byte. */
export interface EventsRequest {
  readonly index: number;
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The parsed body (`{ batchId, sdk, events }`), or `undefined` when it is not JSON. */
  readonly batch: { batchId: string; events: WireEventJson[] } | undefined;
  /** The status the mock answered (`0`: the connection was destroyed without an answer). */
  status: number;
}

/** An event as it arrived (PROTOCOL.md, "Events"). */
export type WireEventJson = { kind: string; [field: string]: unknown };

/**
 * How the mock answers one request: a status (with headers and body); a
 * destroyed connection (for events, `stored: true` stores the batch first,
 * as a service whose answer was lost would have); or no answer at all.
 */
export type Answer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly destroy: true; readonly stored?: boolean }
  | { readonly hang: true };

/**
 * The A vs B service as the SDK under test sees it, on 127.0.0.1, fully
 * controlled by a scenario: the stream, the datafile and the events
 * endpoints of PROTOCOL.md. Every request is recorded. By default the stream
 * opens with a `put` of {@link datafile} and stays open, the datafile
 * endpoint serves {@link datafile} and the events endpoint stores each batch
 * once by `batchId` (as the real service does) and answers `202`.
 */
export class MockService {
  /** What the default stream and datafile handlers serve. */
  datafile: unknown = { schemaVersion: 1, revision: 1, flags: [] };
  readonly streams: StreamConnection[] = [];
  readonly datafileRequests: DatafileRequest[] = [];
  readonly eventRequests: EventsRequest[] = [];
  /** Batches answered with 2xx, once per `batchId` (later copies are not stored again). */
  readonly storedBatches = new Map<string, WireEventJson[]>();
  private _stream: (connection: StreamConnection) => void = (c) => c.put(this.datafile);
  private _datafile: (request: DatafileRequest) => Answer = () => this._datafileAnswer();
  private _events: (request: EventsRequest) => Answer = () => ({ status: 202 });

  private constructor(
    private readonly _server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MockService> {
    let mock: MockService | undefined;
    const server = createServer((req, res) => mock!._handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    mock = new MockService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return mock;
  }

  /** How every next stream connection is answered (it may also keep the connection and answer later). */
  onStream(handler: (connection: StreamConnection) => void): this {
    this._stream = handler;
    return this;
  }

  /** How every next datafile request is answered. */
  onDatafile(handler: (request: DatafileRequest) => Answer): this {
    this._datafile = handler;
    return this;
  }

  /** How every next events request is answered (2xx answers store the batch once). */
  onEvents(handler: (request: EventsRequest) => Answer): this {
    this._events = handler;
    return this;
  }

  /** Every stored event, in the order the batches were stored. */
  storedEvents(): WireEventJson[] {
    return [...this.storedBatches.values()].flat();
  }

  /** Stream and datafile requests together: how often the SDK asked for data. */
  get dataRequests(): number {
    return this.streams.length + this.datafileRequests.length;
  }

  /** Polls `check` until it returns something truthy; throws with `what` after `timeoutMs`. */
  async waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(10);
    }
  }

  async close(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (req.method === 'GET' && path === '/sdk/v1/stream') {
      const connection = new StreamConnection(this.streams.length, req, res);
      this.streams.push(connection);
      this._stream(connection);
      return;
    }
    if (req.method === 'GET' && path === '/sdk/v1/datafile') {
      const request: DatafileRequest = { index: this.datafileRequests.length, at: performance.now(), headers: req.headers };
      this.datafileRequests.push(request);
      return answer(res, this._datafile(request));
    }
    if (req.method === 'POST' && path === '/sdk/v1/events') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this._onEvents(req, res, Buffer.concat(chunks).toString('utf8')));
      return;
    }
    answer(res, { status: 404, body: '{"error":{"code":"not_found","message":"unknown path"}}' });
  }

  private _onEvents(req: IncomingMessage, res: ServerResponse, body: string): void {
    let batch: EventsRequest['batch'];
    try {
      batch = JSON.parse(body) as EventsRequest['batch'];
    } catch {
      batch = undefined;
    }
    const request: EventsRequest = { index: this.eventRequests.length, at: performance.now(), headers: req.headers, body, batch, status: 0 };
    this.eventRequests.push(request);
    const reply = this._events(request);
    if ('status' in reply) request.status = reply.status;
    const stored = 'status' in reply ? reply.status >= 200 && reply.status < 300 : 'destroy' in reply && reply.stored === true;
    if (stored && batch !== undefined && !this.storedBatches.has(batch.batchId)) {
      this.storedBatches.set(batch.batchId, batch.events);
    }
    answer(res, 'status' in reply && reply.status === 202 && reply.body === undefined
      ? { ...reply, body: JSON.stringify({ accepted: batch?.events.length ?? 0 }) }
      : reply);
  }

  private _datafileAnswer(): Answer {
    const revision = (this.datafile as { revision?: unknown }).revision;
    return { status: 200, headers: { ETag: `"r${String(revision)}"` }, body: JSON.stringify(this.datafile) };
  }
}

function answer(res: ServerResponse, reply: Answer): void {
  if ('hang' in reply) return; // closed with the server
  if ('destroy' in reply) {
    res.destroy();
    return;
  }
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers }).end(reply.body ?? '');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
