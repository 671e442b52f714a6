import { decodeUtf8 } from '../utf8';

/** One server-sent event: its type (`message` when no `event:` line) and its data. */
export type SseListener = (event: string, data: string) => void;

const LF = 0x0a;
const CR = 0x0d;

/**
 * An incremental parser of `text/event-stream` bytes (the WHATWG algorithm,
 * without `id:`/`retry:` handling, which the A vs B protocol does not use).
 * Lines end with LF, CRLF or CR, also when split across chunks; comment lines
 * (`: heartbeat`) are ignored; an empty line dispatches the event.
 */
export class SseParser {
  private _parts: Uint8Array[] = [];
  private _afterCR = false;
  private _event = '';
  private _data: string[] = [];

  constructor(private readonly _listener: SseListener) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let start = 0;
    let i = 0;
    if (this._afterCR && chunk[0] === LF) {
      start = i = 1;
    }
    this._afterCR = false;
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== LF && b !== CR) continue;
      this._line(chunk.subarray(start, i));
      if (b === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) i++;
        } else {
          this._afterCR = true;
        }
      }
      start = i + 1;
    }
    if (start < chunk.length) this._parts.push(chunk.slice(start));
  }

  private _line(tail: Uint8Array): void {
    let bytes = tail;
    if (this._parts.length > 0) {
      this._parts.push(tail);
      let total = 0;
      for (const p of this._parts) total += p.length;
      bytes = new Uint8Array(total);
      let o = 0;
      for (const p of this._parts) {
        bytes.set(p, o);
        o += p.length;
      }
      this._parts = [];
    }
    if (bytes.length === 0) {
      this._dispatch();
      return;
    }
    if (bytes[0] === 0x3a) return; // ':' comment
    const line = decodeUtf8(bytes);
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this._event = value;
    else if (field === 'data') this._data.push(value);
  }

  private _dispatch(): void {
    if (this._data.length === 0) {
      this._event = '';
      return;
    }
    const event = this._event === '' ? 'message' : this._event;
    const data = this._data.join('\n');
    this._event = '';
    this._data = [];
    this._listener(event, data);
  }
}
