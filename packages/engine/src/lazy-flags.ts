import type { PageEngine } from './engine';
import type { EngineExports } from './exports';
import type { FlagView, Json } from './flag-table';
import type { FlagTable } from './flag-table';
import { viewOf } from './flag-table';
import { latin1Bytes } from './latin1-bytes';
import { OrderedFlagTable } from './ordered-flag-table';

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
  /** The table made last (the served datafile's, or the one before after a refused load), whose keys a new one takes where they are the same. */
  private _made: OrderedFlagTable | null = null;

  /**
   * The flag table of a datafile the engine `x` has just loaded from `text`
   * (`len` bytes of UTF-8), or from `parsed` when the host parsed it (a
   * compiled document has no text: the evaluator records no flag spans).
   * @internal For `loadDatafile` (`AvsbEngine.load`) and `loadCompiled`, when the engine has this option.
   */
  _table(x: EngineExports, parsed: object | undefined, text = '', len = 0): FlagTable {
    const home: Home = { _table: null, _read: null! };
    // the revision, then each flag's start, its key's start and end and its end, in bytes (until the next load overwrites them)
    // (a compiled document, `text` '', has none: the evaluator records no spans, and its flags have no JSON text)
    const all = text === '' ? null : new Int32Array(x.memory.buffer, x.avsb_flag_spans(), 1 + 4 * x.avsb_flag_count()).slice();
    // an ASCII text has one byte per UTF-16 unit (any other unit takes two or more)
    const ascii = len === text.length;
    // one pass makes the keys and the views
    const keys: string[] = [];
    const flags: FlagView[] = [];
    let revision: unknown;
    if (parsed !== undefined) {
      const { revision: r, flags: json } = parsed as { revision?: unknown; flags: Json[] };
      revision = r;
      home._read = (i) => json[i]!;
      for (let i = 0; i < json.length; i++) {
        const key = json[i]!.key as string;
        keys.push(key);
        flags.push(new LazyFlag(key, i, home));
      }
    } else {
      const spans = all!;
      revision = spans[0]! < 0 ? null : spans[0];
      if (!ascii) toUnits(text, spans);
      const read = (home._read = (i) => JSON.parse(text.slice(spans[4 * i + 1], spans[4 * i + 4])) as Json);
      // the first backslash at or after the key in hand (text.length: none): found once per backslash, not per key
      let escape = -1;
      for (let i = 0; 4 * i + 1 < spans.length; i++) {
        const from = spans[4 * i + 2]!;
        const to = spans[4 * i + 3]!;
        if (escape < from && (escape = text.indexOf('\\', from)) < 0) escape = text.length;
        // an escaped key is shorter unescaped than its text, so its first backslash lies within that many bytes; a key
        // without is its text, cut from this text (not the previous table's string: a key cut from an earlier text
        // would keep that text alive as long as later tables take it)
        const key = escape < to ? (read(i).key as string) : text.slice(from, to);
        keys.push(key);
        flags.push(new LazyFlag(key, i, home));
      }
    }
    const table = new OrderedFlagTable(revision, flags, keys, this._made);
    this._made = table;
    home._table = table;
    if (all !== null) sources.set(table, { _text: text, _spans: all, _units: ascii || parsed === undefined, _flags: null });
    return table;
  }

  /**
   * Decodes a compiled document's byte string (`stringToBytes`' bytes, or `null`) by the platform where it can: a
   * large document is a server's, and this option a server's too, so a page keeps its loop and its bytes.
   * @internal For `loadCompiled`, when the engine has this option.
   */
  readonly _bytes = latin1Bytes;
}

/** Where a lazy table's flags lie in the text it was loaded from: spans in UTF-16 units once `_units`. */
interface Source {
  readonly _text: string;
  readonly _spans: Int32Array;
  _units: boolean;
  _flags: readonly string[] | null;
}

/** The text each lazy table was loaded from; a table made without `LazyFlags` has none. */
const sources = new WeakMap<FlagTable, Source>();

/**
 * The JSON text of each flag of the datafile `engine` serves, by flag index:
 * the text it loaded (a parsed datafile's serialisation when given an
 * object), cut where the engine found each flag (ABI.md, "Flag spans").
 * Two flags whose texts are equal are equal, so a host can tell which flags
 * a new datafile changed without parsing or serialising the unchanged ones;
 * texts that differ may still parse to equal flags (other whitespace or
 * escapes). `undefined` for an engine created without `lazyFlags`, or
 * without a datafile.
 */
export function flagTexts(engine: PageEngine): readonly string[] | undefined {
  const source = engine._view === null ? undefined : sources.get(engine._view);
  if (source === undefined) return undefined;
  if (source._flags === null) {
    const { _text: text, _spans: spans } = source;
    if (!source._units) toUnits(text, spans);
    source._units = true;
    const flags: string[] = [];
    for (let i = 0; 4 * i + 1 < spans.length; i++) flags.push(text.slice(spans[4 * i + 1], spans[4 * i + 4]));
    source._flags = flags;
  }
  return source._flags;
}

/** The table a lazy table's flags belong to, set once it is made, and how one reads a flag's JSON by index. */
interface Home {
  _table: FlagTable | null;
  _read: (index: number) => Json;
}

/**
 * A flag whose view is made from its JSON (`read(index)`) when a read first
 * needs it, and then takes its place in the table: later reads find a plain
 * view, as in a table made at load, so V8's inline caches see one shape.
 */
class LazyFlag implements FlagView {
  constructor(
    readonly key: string,
    private readonly _index: number,
    private readonly _home: Home,
  ) {}

  private _made(): FlagView {
    const flags = this._home._table!._flags as FlagView[];
    const made = flags[this._index]!;
    if (made !== this) return made;
    const view: { -readonly [K in keyof FlagView]: FlagView[K] } = viewOf(this._home._read(this._index));
    // the values stay frozen in place (the datafile's array too) and reads take them from an unfrozen copy of the
    // array: V8's optimised code reads a frozen array's elements through its generic keyed-load stub (≈ 4 % of a
    // returning user's request). Copied here, for servers, not in viewOf: a page's bundle stays as it is.
    view._variations = [...view._variations];
    return (flags[this._index] = view);
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
