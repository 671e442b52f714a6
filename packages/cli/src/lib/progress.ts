/** Where progress goes: stderr; `isTTY` as Node's streams have it. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Carriage return, then erase the line: the next text replaces the current line. */
const REWRITE = '\r\u001b[2K';

/** `validated 120/300 flags`. */
export function formatProgress(verb: string, done: number, total: number, noun: string): string {
  return `${verb} ${done}/${total} ${noun}${total === 1 ? '' : 's'}`;
}

/**
 * A progress line on `stream`. On a terminal each update replaces the line
 * in place and `done()` ends it; elsewhere (a pipe, a CI log) every update
 * is a line of its own, at most every `intervalMs`, so logs stay short.
 * The last update (`done === total`) is always written.
 */
export class Progress {
  private readonly _stream: ProgressStream;
  private readonly _tty: boolean;
  private readonly _intervalMs: number;
  private readonly _now: () => number;
  private _last = Number.NEGATIVE_INFINITY;
  private _open = false;

  constructor(stream: ProgressStream, options: { intervalMs?: number; now?: () => number } = {}) {
    this._stream = stream;
    this._tty = stream.isTTY === true;
    this._now = options.now ?? Date.now;
    // a terminal can redraw often; a log gets a line per quarter second at most
    this._intervalMs = options.intervalMs ?? (this._tty ? 50 : 250);
  }

  /** Shows `text`; `final` always shows and, on a terminal, ends the line. */
  update(text: string, final = false): void {
    const now = this._now();
    if (!final && now - this._last < this._intervalMs) return;
    this._last = now;
    if (this._tty) {
      this._stream.write(`${REWRITE}${text}${final ? '\n' : ''}`);
      this._open = !final;
    } else {
      this._stream.write(`${text}\n`);
    }
  }

  /** Ends an open line on a terminal, so that what follows starts on a line of its own. */
  end(): void {
    if (this._open) this._stream.write('\n');
    this._open = false;
  }
}
