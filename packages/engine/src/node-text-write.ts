import type { AvsbEngine } from './avsb-engine';
import type { PageEngine } from './engine';
import { MAX_INPUT_BYTES, RESERVE_WITHOUT_COUNTING } from './engine';
import { writeUtf8Whole } from './utf8';

/**
 * A datafile's text written straight into the engine's input where a server
 * runs: its exact UTF-8 length counted by Node's `Buffer.byteLength`
 * (native, a lone surrogate counted as the 3 bytes of the U+FFFD `encodeInto`
 * writes), one buffer of that size asked for, the text encoded into it. The
 * page's write (`PageEngine._write`) encodes a large text into a temporary
 * `Uint8Array` first and copies it: a 1,000-flag text's first write took
 * 1.10–1.13 ms of a fresh process's CPU, this one 0.88–0.98, a later write
 * 0.34 → 0.09 (tools/bench/earlier-measurements.md, "A server's datafile
 * text straight into the full engine's memory"). The buffer is the one the
 * page's write asks for, so the engine's memory is what it was, and the
 * text's bytes are not held a second time on the host. A first try into room
 * for a byte a unit, uncounted, was quicker for ASCII before `Buffer` had run
 * (not after), but a text that did not fit took a second, larger buffer: 46 MiB
 * of "é" grew the memory 68 → 102 MiB.
 *
 * Returns the byte length, -1 over the limit, or undefined when the count and
 * what `encodeInto` wrote disagree (another runtime's `Buffer`): the caller
 * writes the text the page's way.
 */
export function writeCounted(engine: PageEngine, text: string, platform: NodeBuffer): number | undefined {
  engine._contextInput = 0; // the input buffer is now this text's
  // a unit is at least one byte: a text of more units than the limit is over it, uncounted
  const len = text.length > MAX_INPUT_BYTES ? -1 : platform.byteLength(text, 'utf8');
  const at = len < 0 || len > MAX_INPUT_BYTES ? 0 : engine._x.avsb_input(len);
  if (at === 0) return -1;
  // _mem() after avsb_input: a larger buffer can grow the memory, which detaches the old view
  return writeUtf8Whole(text, engine._mem(), at, len) ? len : undefined;
}

/**
 * @internal Gives `AvsbEngine` the counted write for texts the page's write counts too
 * (over 64 Ki units: datafiles), where the runtime has Node's `Buffer`; a
 * context's text keeps the page's (room for 3 bytes a unit, V8's fast path of
 * `encodeInto`). Called by the Node entries (node.ts, node-sync.ts) on their
 * `AvsbEngine`, so that no page bundles it (exported by the main entry for them, whose
 * build names the engine's members as this file does): a page on `AvsbEngine` has no
 * byte more (as a method of `AvsbEngine`, it cost that page 75 bytes gzipped).
 */
export function useCountedWrite(engineClass: typeof AvsbEngine, platform = (globalThis as { Buffer?: NodeBuffer }).Buffer): void {
  if (platform === undefined) return;
  const proto = engineClass.prototype;
  const pageWrite = proto._write;
  proto._write = function (this: AvsbEngine, text: string): number {
    return (text.length > RESERVE_WITHOUT_COUNTING ? writeCounted(this, text, platform) : undefined) ?? pageWrite.call(this, text);
  };
}

/** What this file uses of Node's `Buffer` (the package is built without Node's types). */
export interface NodeBuffer {
  byteLength(text: string, encoding: 'utf8'): number;
}
