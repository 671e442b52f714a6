import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * One `GET /sdk/v1/stream` the SDK made to the mock service. A scenario
 * answers it with a status (`reply`) or opens it and writes server-sent
 * events (PROTOCOL.md, "Stream"); times are `performance.now()` values.
 */
export class StreamConnection {
  /** When the request arrived. */
  readonly at = performance.now();
  readonly headers: IncomingHttpHeaders;
  /** When the last byte was written (the headers, an event or a comment), or `null`. */
  lastWriteAt: number | null = null;
  /** When the connection ended: answered with a status, closed by the mock, or dropped by the SDK. */
  endedAt: number | null = null;
  /** Who ended it. */
  endedBy: 'mock' | 'sdk' | null = null;
  private readonly _ended: Promise<void>;

  constructor(
    readonly index: number,
    req: IncomingMessage,
    private readonly _res: ServerResponse,
  ) {
    this.headers = req.headers;
    this._ended = new Promise((resolve) => {
      _res.once('close', () => {
        this._end('sdk');
        resolve();
      });
    });
  }

  /** Resolves when the connection has ended, whoever ended it. */
  ended(): Promise<void> {
    return this._ended;
  }

  /** Answers with a status (and optional headers) instead of a stream, e.g. `503` with `Retry-After`. */
  reply(status: number, headers: Record<string, string> = {}, body = '{"error":{"code":"test","message":"answered by the contract harness"}}'): void {
    if (this._res.headersSent || this.endedAt !== null) return;
    this._end('mock');
    this._res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(body);
  }

  /** Sends `200 text/event-stream` headers (implied by every write). */
  open(): this {
    if (!this._res.headersSent && this.endedAt === null) {
      this._res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      this._res.flushHeaders();
      this.lastWriteAt = performance.now();
    }
    return this;
  }

  /** `event: put` with `{ "datafile": … }`. */
  put(datafile: unknown): this {
    return this.event('put', JSON.stringify({ datafile }));
  }

  /** `event: patch` (one flag or segment at `revision`). */
  patch(revision: number, kind: 'flag' | 'segment', key: string, value: unknown): this {
    return this.event('patch', JSON.stringify({ revision, kind, key, value }));
  }

  /** An event with raw `data` (which may be malformed on purpose). */
  event(name: string, data: string): this {
    const lines = data.split('\n').map((line) => `data: ${line}`).join('\n');
    return this._write(`event: ${name}\n${lines}\n\n`);
  }

  /** A comment line such as `: heartbeat`. */
  comment(text = 'heartbeat'): this {
    return this._write(`: ${text}\n`);
  }

  /** Ends the stream normally (as a service restart would). */
  close(): void {
    if (this.endedAt !== null) return;
    this.open();
    this._end('mock');
    this._res.end();
  }

  private _write(text: string): this {
    if (this.endedAt !== null) return this;
    this.open();
    this._res.write(text);
    this.lastWriteAt = performance.now();
    return this;
  }

  private _end(by: 'mock' | 'sdk'): void {
    if (this.endedAt !== null) return;
    this.endedAt = performance.now();
    this.endedBy = by;
  }
}
