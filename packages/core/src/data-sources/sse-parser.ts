import { utf8Chunks } from '../utf8';

/** One server-sent event: its type (`message` when no `event:` line) and its data. */
export type SseListener = (event: string, data: string) => void;

/**
 * An incremental parser of `text/event-stream` bytes (the WHATWG algorithm,
 * without `id:`/`retry:` handling, which the A vs B protocol does not use).
 * Lines end with LF, CRLF or CR, also when split across chunks; comment lines
 * (`: heartbeat`) are ignored; an empty line dispatches the event.
 */
export class SseParser {
  private readonly _decode = utf8Chunks();
  /** The text after the last line end so far. */
  private _rest = '';
  /** The last chunk ended with CR: an LF starting the next one ends no second line. */
  private _afterCR = false;
  private _event = '';
  private _data: string[] = [];

  constructor(private readonly _listener: SseListener) {}

  push(chunk: Uint8Array): void {
    let text = this._decode(chunk);
    if (text === '') return;
    if (this._afterCR && text[0] === '\n') text = text.slice(1);
    this._afterCR = text.endsWith('\r');
    const lines = (this._rest + text).split(/\r\n|\r|\n/);
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
    if (data.length > 0) this._listener(event, data.join('\n'));
  }
}
