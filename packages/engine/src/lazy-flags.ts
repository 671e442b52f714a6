import type { EngineExports } from './exports';
import type { FlagView, Json } from './flag-table';
import { FlagTable, viewOf } from './flag-table';

/**
 * Makes an engine read a datafile's flags when reads first need them
 * (`AvsbEngine.create(source, { lazyFlags: new LazyFlags() })`): a load no
 * longer parses the whole JSON text on the host (the engine says where each
 * flag lies in it, ABI.md "Flag spans") nor makes every flag's variations
 * and reasons; a flag's JSON is parsed, and its variation values frozen, on
 * its first read. What reads answer is the same. For servers that load large
 * datafiles; a page that loads a few flags leaves it out and saves its bytes.
 */
export class LazyFlags {
  /**
   * The flag table of a datafile the engine `x` has just loaded from `text`
   * (`len` bytes of UTF-8), or from `parsed` when the host parsed it.
   * @internal For `AvsbEngine.load`.
   */
  _table(text: string, len: number, x: EngineExports, parsed: object | undefined): FlagTable {
    if (parsed !== undefined) return new FlagTable(parsed as { flags: Json[] }, (f) => new LazyFlag(f.key as string, f, (flag) => flag as Json));
    // the revision, then each flag's start, its key's start and end and its end, in bytes
    const spans = new Int32Array(x.memory.buffer, x.avsb_flag_spans(), 1 + 4 * x.avsb_flag_count()).slice();
    // an ASCII text has one byte per UTF-16 unit (any other unit takes two or more)
    if (len !== text.length) toUnits(text, spans);
    const read = (i: unknown): Json => JSON.parse(text.slice(spans[4 * (i as number) + 1], spans[4 * (i as number) + 4])) as Json;
    const flags: LazyFlag[] = [];
    for (let i = 0; 4 * i + 1 < spans.length; i++) {
      const key = text.slice(spans[4 * i + 2], spans[4 * i + 3]);
      // an escaped key is shorter unescaped than its text, so its first backslash lies within that many bytes
      flags.push(new LazyFlag(key.includes('\\') ? (read(i).key as string) : key, i, read));
    }
    return new FlagTable({ revision: spans[0]! < 0 ? null : spans[0], flags: flags as unknown as Json[] }, (f) => f as unknown as LazyFlag);
  }
}

/** A flag whose view is made from its JSON (`read(source)`) when a read first needs it. */
class LazyFlag implements FlagView {
  private _view: FlagView | undefined = undefined;

  constructor(
    readonly key: string,
    private readonly _source: unknown,
    private readonly _read: (source: unknown) => Json,
  ) {}

  private _made(): FlagView {
    return (this._view ??= viewOf(this._read(this._source)));
  }

  get _variations(): readonly unknown[] {
    return this._made()._variations;
  }

  get _ruleReasons(): FlagView['_ruleReasons'] {
    return this._made()._ruleReasons;
  }

  get _prerequisiteReasons(): FlagView['_prerequisiteReasons'] {
    return this._made()._prerequisiteReasons;
  }
}

/** Rewrites ascending byte offsets of `text`'s UTF-8 (from index 1) to offsets of its UTF-16 units. */
function toUnits(text: string, spans: Int32Array): void {
  let unit = 0;
  let byte = 0;
  for (let i = 1; i < spans.length; i++) {
    const to = spans[i]!;
    while (byte < to) {
      const c = text.charCodeAt(unit++);
      // TextEncoder's bytes: a surrogate pair is 4, a lone surrogate U+FFFD's 3
      byte += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xfc00) === 0xd800 && (text.charCodeAt(unit) & 0xfc00) === 0xdc00 ? (unit++, 4) : 3;
    }
    spans[i] = unit;
  }
}
