import type { AvsbEngine, PageEngine } from '@avsb/engine';
import { flagTexts } from '@avsb/engine';
import type { Datafile, FlagDefinition } from './datafile-format';
import type { HeldDatafile } from './page-store';

/** What the stand-in reads of the engine that loaded its text. */
type LoadedEngine = PageEngine & Pick<AvsbEngine, 'flagKeys'>;

/** What a flag's text has when it may depend on another flag or a segment (an escape may spell either). @internal Also read by `DatafileStore`. */
export const MAY_DEPEND = ['"prerequisites"', '"segmentMatch"', '\\'];

/**
 * A datafile loaded from its JSON text alone (`DatafileStore.put(text)`), as
 * the store holds it in place of the parsed object: the text, and the flags'
 * keys and JSON texts and the revision as the engine that has just loaded it
 * gives them (read from it on first use, which the store makes right after
 * the load). Its `flags` and `segments` are a stand-in, worked out when first
 * read, that tells an update's changed keys (`shape`); `parse` gives the
 * datafile itself. The store holds it as a {@link HeldDatafile}, which the
 * compiler checks its members against.
 */
export class TextDatafile implements HeldDatafile {
  readonly schemaVersion = 1;
  private _engine: LoadedEngine | null;
  private _keys: readonly string[] = [];
  private _texts: readonly string[] | null = null;
  private _revision: number | undefined;
  private _shape: Datafile | null = null;
  private _found: { rest: Datafile; at: number; end: number; starts: Int32Array } | null | undefined;

  constructor(
    readonly text: string,
    engine: LoadedEngine,
  ) {
    this._engine = engine;
  }

  /** The flags' keys, in the engine's order. */
  get keys(): readonly string[] {
    return this._read()._keys;
  }

  /** Each flag's JSON text as the engine cut it (`flagTexts`), or `null` when it gave none. */
  get texts(): readonly string[] | null {
    return this._read()._texts;
  }

  get revision(): number | undefined {
    return this._read()._revision;
  }

  get flags(): FlagDefinition[] {
    return this.shape().flags;
  }

  get segments(): Datafile['segments'] {
    return this.shape().segments;
  }

  /** The datafile, parsed whole (the engine accepted the text, so it is JSON of the datafile's shape). */
  parse(): Datafile {
    return JSON.parse(this.text) as Datafile;
  }

  /** Takes what the engine says of the datafile it has just loaded, once. */
  private _read(): this {
    const engine = this._engine;
    if (engine !== null) {
      this._engine = null;
      this._keys = engine.flagKeys;
      const texts = flagTexts(engine);
      this._texts = texts?.length === this._keys.length ? texts : null;
      this._revision = engine.revision ?? undefined;
    }
    return this;
  }

  /**
   * A stand-in for the datafile when its changed keys are told by the flags'
   * texts: its segments, and its flags, of which only those whose text names
   * prerequisites or a `segmentMatch` clause (or has an escape) are parsed;
   * the others are `{ key }`, which is all they can be read for there.
   */
  shape(): Datafile {
    if (this._shape !== null) return this._shape;
    const found = this._rest();
    if (found === null) return (this._shape = this.parse());
    const { rest, at, end, starts } = found;
    const { text, texts } = this;
    const flags = this._stubs();
    // the flags' text searched for each marker (a search for a string skips ahead, where a pattern of three would
    // look at every character): a flag that has one is parsed, and the search goes on at the next flag
    const n = starts.length;
    const marked = new Uint8Array(n);
    for (const marker of MAY_DEPEND) {
      for (let i = 0, hit = text.indexOf(marker, at); hit >= 0 && hit < end; hit = text.indexOf(marker, starts[i]!)) {
        while (i + 1 < n && starts[i + 1]! <= hit) i++;
        marked[i] = 1;
        if (++i === n) break;
      }
    }
    for (let i = 0; i < n; i++) if (marked[i] === 1) flags[i] = JSON.parse(texts![i]!) as FlagDefinition;
    return (this._shape = { ...rest, flags } as Datafile);
  }

  /**
   * The stand-in as the datafile an update is compared with: there its flags
   * are read for their keys only, so none is parsed unless `shape` was made.
   */
  before(): Datafile {
    if (this._shape !== null) return this._shape;
    const found = this._rest();
    return found === null ? this.shape() : ({ ...found.rest, flags: this._stubs() } as Datafile);
  }

  private _stubs(): FlagDefinition[] {
    return this.keys.map((key) => ({ key }) as FlagDefinition);
  }

  /** The datafile without its flags, parsed, and where the flags lie (`flagRun`); `null` when they are not found. */
  private _rest(): { rest: Datafile; at: number; end: number; starts: Int32Array } | null {
    if (this._found !== undefined) return this._found;
    const { text, texts } = this;
    const run = texts === null || texts.length === 0 ? null : flagRun(text, texts);
    let found = null;
    if (run !== null) {
      try {
        found = { ...run, rest: JSON.parse(text.slice(0, run.at) + text.slice(run.end)) as Datafile };
      } catch {
        // not found so after all: the whole text is parsed
      }
    }
    return (this._found = found);
  }
}

/**
 * Where the flags' texts lie in `text`: the run of them that follows `"flags": [` (the first place where they fit,
 * `runStarts`), from `at` to `end`, each flag's start in `starts`; `null` when they are not found so.
 */
function flagRun(text: string, texts: readonly string[]): { at: number; end: number; starts: Int32Array } | null {
  const starts = new Int32Array(texts.length);
  for (let at = text.indexOf(texts[0]!); at >= 0; at = text.indexOf(texts[0]!, at + 1)) {
    const end = runStarts(text, texts, at, starts);
    if (end >= 0 && /"flags"\s*:\s*\[\s*$/.test(text.slice(Math.max(0, at - 64), at))) return { at, end, starts };
  }
  return null;
}

/**
 * Where the run of `texts` starting at `at` ends (each one's start written into `starts`), or -1 when they do not follow one another there: the first and the
 * last text are compared, and between them only the separators (a comma and whitespace) at the places the texts'
 * lengths give (the texts are cut from this text by the engine, so once those fit, each lies where it was cut).
 */
function runStarts(text: string, texts: readonly string[], at: number, starts: Int32Array): number {
  const last = texts.length - 1;
  for (let i = 0; i < last; i++) {
    starts[i] = at;
    at += texts[i]!.length;
    // a comma right after the flag, as a service writes it, or whitespace around it
    if (text.charCodeAt(at) === 0x2c && text.charCodeAt(at + 1) === 0x7b) at++;
    else if (text.charCodeAt((at = skipSpace(text, at))) !== 0x2c) return -1;
    else at = skipSpace(text, at + 1);
  }
  starts[last] = at;
  return text.startsWith(texts[last]!, at) && text.charCodeAt(skipSpace(text, at + texts[last]!.length)) === 0x5d ? at + texts[last]!.length : -1;
}

/** The index of the first character at or after `at` that is not JSON whitespace. */
function skipSpace(text: string, at: number): number {
  for (let c = text.charCodeAt(at); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++at));
  return at;
}
