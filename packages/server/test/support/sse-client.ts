// Test support: a server-sent-events client over fetch that records every event and comment.

/** One received event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/** Reads a text/event-stream; `next()` hands events out in order. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private _consumed = 0;
  private _waiters: (() => void)[] = [];
  private _ended = false;

  private constructor(
    readonly response: Response,
    private readonly _abort: AbortController,
  ) {}

  /** Opens a stream; resolves once the response headers are in (whatever the status). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(response, abort);
    if (response.ok && response.body) void client._read(response.body);
    return client;
  }

  get status(): number {
    return this.response.status;
  }

  /** Whether the server ended the stream. */
  get closed(): boolean {
    return this._ended;
  }

  /**
   * The next event not yet handed out, waiting up to `timeoutMs`: by default as long as the test's own timeout (a
   * deadline of its own fails a loaded machine that is slow, not wrong).
   */
  async next(timeoutMs = Infinity): Promise<SseEvent> {
    await this.until(() => this.events.length > this._consumed, timeoutMs, 'an event');
    return this.events[this._consumed++]!;
  }

  /** Waits until `condition` holds (checked on every event, comment and end), up to `timeoutMs` (`Infinity`: the test's timeout). */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        // no timer for an endless wait (setTimeout would fire an Infinity at once)
        const timer = Number.isFinite(left) ? setTimeout(resolve, left) : undefined;
        this._waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this._abort.abort();
  }

  private _wake(): void {
    for (const waiter of this._waiters.splice(0)) waiter();
  }

  private async _read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this._dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        this._wake();
      }
    } catch {
      // aborted by close()
    }
    this._ended = true;
    this._wake();
  }

  private _dispatch(block: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('id: ')) id = line.slice(4);
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
  }
}
