import { MAX_DATAFILE_BYTES } from '@avsb/protocol';

/** The longest event the parser keeps: a put carries a whole datafile, plus its envelope. */
export const MAX_SSE_EVENT_CHARS = MAX_DATAFILE_BYTES + (1 << 20);

// `TextDecoder` is a WHATWG API, not an ECMAScript global, so core's ES2022-only lib does not declare it; every runtime
// core targets (Node, browsers, workers, edge) has it.
declare const TextDecoder: new () => { decode(bytes: Uint8Array, options: { stream: boolean }): string };

/** One server-sent event: its type (`message` when no `event:` line) and its data. */
export type SseListener = (event: string, data: string) => void;

/**
 * An incremental parser of `text/event-stream` bytes (the WHATWG algorithm,
 * without `id:`/`retry:` handling, which the A vs B protocol does not use).
 * Lines end with LF, CRLF or CR, also when split across chunks; comment lines
 * (`: heartbeat`) are ignored; an empty line dispatches the event.
 */
export class SseParser {
  // a character split between two chunks comes out whole; invalid sequences become U+FFFD
  private readonly _decoder = new TextDecoder();
  /** The text after the last line end so far. Only new text is split: a long line that comes in many chunks is scanned once. */
  private _rest = '';
  /** Characters received since the last event ended. */
  private _size = 0;
  /** The last chunk ended with CR: an LF starting the next one ends no second line. */
  private _afterCR = false;
  private _event = '';
  private _data: string[] = [];

  constructor(private readonly _listener: SseListener) {}

  /** Throws when one event grows past {@link MAX_SSE_EVENT_CHARS}: the caller drops the connection. */
  push(chunk: Uint8Array): void {
    let text = this._decoder.decode(chunk, { stream: true });
    if ((this._size += text.length) > MAX_SSE_EVENT_CHARS) throw new Error('an event is larger than any datafile (64 MiB)');
    if (text === '') return;
    if (this._afterCR && text[0] === '\n') text = text.slice(1);
    this._afterCR = text.endsWith('\r');
    const lines = text.split(/\r\n|\r|\n/);
    lines[0] = this._rest + lines[0];
    this._rest = lines.pop()!;
    for (const line of lines) this._line(line);
  }

  private _line(line: string): void {
    if (line === '') return this._dispatch();
    const colon = line.indexOf(':');
    if (colon === 0) return; // a comment
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') this._event = value;
    else if (field === 'data') this._data.push(value);
  }

  private _dispatch(): void {
    const event = this._event || 'message';
    const data = this._data;
    this._event = '';
    this._data = [];
    this._size = 0;
    if (data.length > 0) this._listener(event, data.join('\n'));
  }
}
