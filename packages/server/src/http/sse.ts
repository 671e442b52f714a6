import type { ServerResponse } from 'node:http';

/** Limits of one server-sent-events connection. */
export interface SseOptions {
  /** Interval of the `: heartbeat` comments. */
  readonly heartbeatMs: number;
  /**
   * How long a connection may go without taking any of what waits for it
   * (one 64 KiB slice) before it is dropped; 30 000 ms by default. A big
   * message on a slow link that keeps reading is never cut.
   */
  readonly stallMs?: number;
  /**
   * Bytes the connection may hold for its client beyond one message: a send
   * that would queue more is refused and the connection dropped. 1 MiB by default.
   */
  readonly maxQueuedBytes?: number;
  /** Headers to add to the response (CORS). */
  readonly extraHeaders?: Record<string, string>;
}

/** Why a connection ended. */
export type SseCloseReason = 'client' | 'server' | 'slow';

const DEFAULT_STALL_MS = 30_000;
const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
/** Big messages go out in slices, one per drain, so that progress is seen and the kernel never gets more than one at a time. */
const SLICE_BYTES = 64 * 1024;

/**
 * One server-sent-events connection: writes the headers at once, sends
 * events and a `: heartbeat` comment every `heartbeatMs`, and tells its owner
 * when the client goes away.
 *
 * It honours backpressure with a bounded queue of its own: a message is
 * written in 64 KiB slices, the next one only after `drain`, and until the
 * last slice has drained the connection is not {@link writable}. Owners hold
 * their messages back meanwhile and send the latest state on
 * {@link onDrain}, so what waits for a slow client is one message, never a
 * backlog. A client that takes nothing for `stallMs`, or a send that would
 * queue more than `maxQueuedBytes` behind a message already waiting, drops
 * the connection; the client reconnects and starts from a whole state again.
 */
export class SseConnection {
  private readonly _timer: ReturnType<typeof setInterval>;
  private _stallTimer: ReturnType<typeof setTimeout> | null = null;
  /** What is left to write of the current message (null: nothing waits). */
  private _pending: Buffer | null = null;
  private _offset = 0;
  private _awaitingDrain = false;
  private _closed = false;
  private _reason: SseCloseReason = 'client';
  private readonly _closeListeners: ((reason: SseCloseReason) => void)[] = [];
  private readonly _drainListeners: (() => void)[] = [];
  private readonly _stallMs: number;
  private readonly _maxQueuedBytes: number;

  constructor(
    private readonly _res: ServerResponse,
    options: SseOptions,
  ) {
    this._stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this._maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    _res.writeHead(200, {
      ...options.extraHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    _res.flushHeaders();
    _res.socket?.setNoDelay(true);
    this._timer = setInterval(() => this.comment('heartbeat'), options.heartbeatMs);
    this._timer.unref();
    _res.on('drain', () => this._drained());
    _res.on('close', () => this._finish());
  }

  /** Whether the stream is still open. */
  get open(): boolean {
    return !this._closed;
  }

  /** Whether a message sent now goes straight out: open, nothing waiting, not waiting for a drain. */
  get writable(): boolean {
    return !this._closed && this._pending === null && !this._awaitingDrain;
  }

  /** Bytes held for this client and not yet taken by the kernel (its queue and Node's buffer). */
  get queuedBytes(): number {
    if (this._closed) return 0;
    return this._res.writableLength + (this._pending === null ? 0 : this._pending.length - this._offset);
  }

  /**
   * Sends one event; `data` is written as one `data:` line (JSON has no raw
   * newlines). Owners that can coalesce check {@link writable} first; a send
   * while behind is queued within `maxQueuedBytes`, beyond that the client is
   * dropped. False when the message was not written.
   */
  send(event: string, data: string, id?: string | number): boolean {
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    return this._write(`${idLine}event: ${event}\ndata: ${data}\n\n`);
  }

  /** Sends a comment line (`: text`), ignored by clients; skipped while behind (the client has bytes to read anyway). */
  comment(text: string): void {
    if (this.writable) this._write(`: ${text}\n\n`);
  }

  /** Calls `listener` once when the stream ends, whoever ended it. */
  onClose(listener: (reason: SseCloseReason) => void): void {
    if (this._closed) listener(this._reason);
    else this._closeListeners.push(listener);
  }

  /** Calls `listener` every time the connection becomes writable again after being behind. */
  onDrain(listener: () => void): void {
    this._drainListeners.push(listener);
  }

  /** Ends the stream from the server side. */
  close(): void {
    if (this._closed) return;
    this._reason = 'server';
    this._res.end();
    this._finish();
  }

  private _write(chunk: string): boolean {
    if (this._closed) return false;
    const bytes = Buffer.from(chunk);
    if (this._pending !== null) {
      // behind, and the owner sends anyway: queue within the bound, else give up on the client
      if (this.queuedBytes + bytes.length > this._maxQueuedBytes) {
        this._drop();
        return false;
      }
      this._pending = Buffer.concat([this._pending.subarray(this._offset), bytes]);
      this._offset = 0;
      return true;
    }
    this._pending = bytes;
    this._offset = 0;
    if (!this._awaitingDrain) this._pump();
    return true;
  }

  /** Writes slices of the pending message until Node asks to wait for a drain. */
  private _pump(): void {
    while (this._pending !== null && !this._awaitingDrain) {
      const end = Math.min(this._offset + SLICE_BYTES, this._pending.length);
      const ok = this._res.write(this._pending.subarray(this._offset, end));
      this._offset = end;
      if (end === this._pending.length) this._pending = null;
      if (!ok) this._awaitingDrain = true;
    }
    if (this._awaitingDrain && this._stallTimer === null) {
      this._stallTimer = setTimeout(() => this._drop(), this._stallMs);
      this._stallTimer.unref();
    }
  }

  private _drained(): void {
    if (this._closed || !this._awaitingDrain) return;
    // the client took something: it is slow at worst, not stalled
    this._awaitingDrain = false;
    if (this._stallTimer !== null) clearTimeout(this._stallTimer);
    this._stallTimer = null;
    this._pump();
    for (const listener of [...this._drainListeners]) {
      if (this.writable) listener();
    }
  }

  /** Drops a client that stays behind: what Node holds for it is freed at once. */
  private _drop(): void {
    if (this._closed) return;
    this._reason = 'slow';
    this._res.destroy();
    this._finish();
  }

  private _finish(): void {
    if (this._closed) return;
    this._closed = true;
    clearInterval(this._timer);
    if (this._stallTimer !== null) clearTimeout(this._stallTimer);
    this._pending = null;
    this._drainListeners.length = 0;
    for (const listener of this._closeListeners.splice(0)) listener(this._reason);
  }
}
