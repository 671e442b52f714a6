import type { ServerResponse } from 'node:http';

/**
 * One server-sent-events connection: writes the headers at once, sends
 * events and a `: heartbeat` comment every `heartbeatMs`, and tells its owner
 * when the client goes away.
 */
export class SseConnection {
  private readonly timer: ReturnType<typeof setInterval>;
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly res: ServerResponse,
    heartbeatMs: number,
    extraHeaders: Record<string, string> = {},
  ) {
    res.writeHead(200, {
      ...extraHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    this.timer = setInterval(() => this.comment('heartbeat'), heartbeatMs);
    this.timer.unref();
    res.on('close', () => this.finish());
  }

  /** Whether the stream is still open. */
  get open(): boolean {
    return !this.closed;
  }

  /** Sends one event; `data` is written as one `data:` line (JSON has no raw newlines). */
  send(event: string, data: string, id?: string | number): void {
    if (this.closed) return;
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    this.res.write(`${idLine}event: ${event}\ndata: ${data}\n\n`);
  }

  /** Sends a comment line (`: text`), ignored by clients. */
  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  /** Calls `listener` once when the stream ends, whoever ended it. */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Ends the stream from the server side. */
  close(): void {
    if (this.closed) return;
    this.res.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
