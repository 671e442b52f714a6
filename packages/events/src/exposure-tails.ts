/** Flags whose tails are kept; past it the cache starts again (flag keys come from the application). */
const MAX_FLAGS = 4_096;

/** Tails kept per flag (variations × in/out of experiment × reasons × revisions in use at once). */
const MAX_PER_FLAG = 16;

/** Reasons longer than this are written each time instead of kept (the engine's are short names). */
const MAX_KEPT_REASON = 64;

/** One exposure's members after its `contextKeys`, as JSON text, and what it was written from. */
export class ExposureTail {
  constructor(
    readonly variation: number | null,
    readonly inExperiment: boolean,
    readonly reason: string | undefined,
    readonly revision: number | undefined,
    /** `,"flag":…,"variation":…,"inExperiment":…[,"reason":…][,"revision":…]}`, as `JSON.stringify` writes them. */
    readonly text: string,
  ) {
    // the end of a single kind's key written as it is (keys-text.ts) and the text: one piece instead of two
    this.afterPlainKey = ['"}', text].join(''); // joined: one flat string
  }

  /** `"}` and {@link text}: what follows a single kind's key written without escapes. */
  readonly afterPlainKey: string;
}

/**
 * The JSON of an exposure's members after its time and `contextKeys`, kept
 * per flag, variation, in-experiment, reason and revision: a server records
 * the same few combinations for thousands of contexts, so each is written
 * once and every exposure of it refers to the same string (no object and no
 * serialisation per event for them).
 */
export class ExposureTails {
  private _byFlag = new Map<string, ExposureTail[]>();

  /** The tail of an exposure (`reason` and `revision` already checked: a string, an index, or `undefined`). */
  get(flag: string, variation: number | null, inExperiment: boolean, reason?: string, revision?: number): ExposureTail {
    let tails = this._byFlag.get(flag);
    if (tails !== undefined) {
      for (let i = 0; i < tails.length; i++) {
        const t = tails[i]!;
        if (t.variation === variation && t.inExperiment === inExperiment && t.reason === reason && t.revision === revision) return t;
      }
    }
    const tail = new ExposureTail(variation, inExperiment, reason, revision, tailText(flag, variation, inExperiment, reason, revision));
    if (reason !== undefined && reason.length > MAX_KEPT_REASON) return tail;
    if (tails === undefined) {
      if (this._byFlag.size >= MAX_FLAGS) this._byFlag.clear();
      this._byFlag.set(flag, (tails = []));
    }
    // a flag read with more combinations than kept: the oldest makes room (still correct, only written again)
    if (tails.length >= MAX_PER_FLAG) tails.shift();
    tails.push(tail);
    return tail;
  }
}

/** The members in the order the exposure object had them, so the bytes are `JSON.stringify`'s. */
function tailText(flag: string, variation: number | null, inExperiment: boolean, reason: string | undefined, revision: number | undefined): string {
  const parts = [',"flag":', JSON.stringify(flag), ',"variation":', String(variation), ',"inExperiment":', String(inExperiment)];
  if (reason !== undefined) parts.push(',"reason":', JSON.stringify(reason));
  if (revision !== undefined) parts.push(',"revision":', String(revision));
  parts.push('}');
  // joined, not concatenated: one flat string that every batch copies as it is
  return parts.join('');
}
