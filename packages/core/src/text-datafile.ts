import type { Datafile, FlagDefinition } from './datafile-format';

/** What a flag's text must contain to depend on another flag or a segment (an escape may spell either). */
const MAY_DEPEND = /"prerequisites"|"segmentMatch"|\\/;

/**
 * A datafile a lazy engine loaded from its JSON text alone (`DatafileStore`
 * with an engine created with `lazyFlags`): the text, the flags' keys and
 * JSON texts as the engine found them, and what the store may need later,
 * each worked out when first asked for: the whole datafile parsed
 * (`parse`), or what telling the next update's changed keys takes (`shape`:
 * the segments, and only the flags that may depend on others).
 */
export class TextDatafile {
  private _shape: Datafile | null = null;

  constructor(
    readonly text: string,
    readonly keys: readonly string[],
    /** `null` when the engine gave none (then `shape` is the datafile parsed whole). */
    readonly texts: readonly string[] | null,
  ) {}

  /** The datafile, parsed whole (the engine accepted the text, so it is JSON of the datafile's shape). */
  parse(): Datafile {
    return JSON.parse(this.text) as Datafile;
  }

  /**
   * A stand-in for the datafile when its changed keys are told by the flags'
   * texts: its segments, and its flags, of which only those whose text names
   * prerequisites or a `segmentMatch` clause (or has an escape) are parsed;
   * the others are `{ key }`, which is all they can be read for there.
   */
  shape(): Datafile {
    if (this._shape !== null) return this._shape;
    const { keys, texts } = this;
    if (texts === null) return (this._shape = this.parse());
    const flags = texts.map((t, i) => (MAY_DEPEND.test(t) ? (JSON.parse(t) as FlagDefinition) : ({ key: keys[i]! } as FlagDefinition)));
    return (this._shape = { ...this._withoutFlags(texts), flags });
  }

  /**
   * The datafile without its flags' texts (`"flags":[]`), parsed: the text
   * around the run of flag texts the engine cut, found where it follows
   * `"flags": [` and each flag follows the one before with only a comma and
   * whitespace between; the whole text, parsed, when it is not found so.
   */
  private _withoutFlags(texts: readonly string[]): Datafile {
    const text = this.text;
    if (texts.length > 0) {
      const first = texts[0]!;
      for (let at = text.indexOf(first); at >= 0; at = text.indexOf(first, at + 1)) {
        const end = runEnd(text, texts, at);
        if (end >= 0 && /"flags"\s*:\s*\[\s*$/.test(text.slice(Math.max(0, at - 64), at))) {
          try {
            return JSON.parse(text.slice(0, at) + text.slice(end)) as Datafile;
          } catch {
            break;
          }
        }
      }
    }
    return this.parse();
  }
}

/** Where the run of `texts` starting at `at` ends (separated by a comma and whitespace), or -1 when they do not follow one another there. */
function runEnd(text: string, texts: readonly string[], at: number): number {
  for (let i = 0; ; i++) {
    if (!text.startsWith(texts[i]!, at)) return -1;
    at += texts[i]!.length;
    if (i === texts.length - 1) return at;
    at = skipSpace(text, at);
    if (text.charCodeAt(at) !== 0x2c) return -1;
    at = skipSpace(text, at + 1);
  }
}

/** The index of the first character at or after `at` that is not JSON whitespace. */
function skipSpace(text: string, at: number): number {
  for (let c = text.charCodeAt(at); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++at));
  return at;
}
