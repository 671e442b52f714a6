import type { ServerResponse } from 'node:http';

/**
 * One server-sent-events connection: writes the headers at once, sends
 * events and a `: heartbeat` comment every `heartbeatMs`, and tells its owner
 * when the client goes away.
 */
export class SseConnection {
  private readonly _timer: ReturnType<typeof setInterval>;
  private _closed = false;
  private readonly _closeListeners: (() => void)[] = [];

  constructor(
    private readonly _res: ServerResponse,
    heartbeatMs: number,
    extraHeaders: Record<string, string> = {},
  ) {
    _res.writeHead(200, {
      ...extraHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    _res.flushHeaders();
    _res.socket?.setNoDelay(true);
    this._timer = setInterval(() => this.comment('heartbeat'), heartbeatMs);
    this._timer.unref();
    _res.on('close', () => this._finish());
  }

  /** Whether the stream is still open. */
  get open(): boolean {
    return !this._closed;
  }

  /** Sends one event; `data` is written as one `data:` line (JSON has no raw newlines). */
  send(event: string, data: string, id?: string | number): void {
    if (this._closed) return;
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    this._res.write(`${idLine}event: ${event}\ndata: ${data}\n\n`);
  }

  /** Sends a comment line (`: text`), ignored by clients. */
  comment(text: string): void {
    if (!this._closed) this._res.write(`: ${text}\n\n`);
  }

  /** Calls `listener` once when the stream ends, whoever ended it. */
  onClose(listener: () => void): void {
    if (this._closed) listener();
    else this._closeListeners.push(listener);
  }

  /** Ends the stream from the server side. */
  close(): void {
    if (this._closed) return;
    this._res.end();
    this._finish();
  }

  private _finish(): void {
    if (this._closed) return;
    this._closed = true;
    clearInterval(this._timer);
    for (const listener of this._closeListeners.splice(0)) listener();
  }
}
