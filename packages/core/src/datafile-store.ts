import type { AvsbEngine, PageEngine } from '@avsb/engine';
import { flagTexts, isCompiledDatafile, isEvaluator } from '@avsb/engine';
import type { SameFlag } from './changed-flag-keys';
import { changedFlagKeys } from './changed-flag-keys';
import type { Datafile, DeleteUpdate, PatchUpdate } from './datafile-format';
import { DatafileText, datafileHead } from './datafile-format';
import { JsonPageStore } from './page-json-store';
import { isObject } from './page-store';
import type { HeldDatafile } from './page-store';
import type { PutOptions, UpdateResult } from './page-store';
import { MAY_DEPEND, TextDatafile } from './text-datafile';

export type { PutOptions, UpdateListener, UpdateResult } from './page-store';

/**
 * A {@link JsonPageStore} (JSON datafiles through an `AvsbEngine`'s `load`, or into a `PageEngine` through
 * `loadDatafile` or the loader given) that also applies partial updates (`patch`, `delete`,
 * only when their revision is exactly the next one) to a JSON datafile, as
 * a server SDK's streaming source sends them; on a compiled datafile
 * (docs/compiled-datafile.md of `@avsb/engine`) they are `stale`, so its
 * source fetches the next one. The datafile built by `patch`/`delete` is
 * held and served as a `put` one is.
 */
export class DatafileStore<E extends PageEngine = AvsbEngine> extends JsonPageStore<E> {
  /** The JSON text of each flag served, when the engine has `lazyFlags` (`flagTexts`): unchanged flags are told by their text. */
  private _texts: readonly string[] | undefined = undefined;

  /**
   * The engine this store loads into.
   * @deprecated Keep the engine you constructed the store with; scoped clients get it from their host.
   */
  get engine(): E {
    return this._engine;
  }

  /** The datafile being served (do not mutate it), or `null`; one loaded from its text alone is parsed when first asked for. */
  override get datafile(): Datafile | null {
    const served = this._datafile;
    return served instanceof TextDatafile ? (this._datafile = served.parse()) : served;
  }

  /** How many flags the datafile served has (0 before one is loaded), without parsing one loaded from its text. */
  get flagCount(): number {
    const served = this._datafile;
    return served === null ? 0 : flagCountOf(served);
  }

  /** Whether the flag at index `index` is delivered to client-side keys. */
  isClientSide(index: number): boolean {
    return this.datafile?.flags[index]?.clientSide === true;
  }

  /**
   * Replaces the whole datafile: an object, or its JSON text (a string, or
   * the `DatafileText` a server's data source hands on). With an engine created with `lazyFlags`
   * (`@avsb/node`'s) a JSON datafile's text is loaded as it is: nothing
   * parses it whole on the host (the engine checks it and says where each
   * flag lies), the revision is the engine's, and an update's changed keys
   * are told by the flags' texts. A compiled datafile, a text whose leading
   * members do not say its revision when `onlyIfNewer` needs it, an
   * evaluator, and an engine whose datafile has no flag texts (no
   * `lazyFlags`): parsed, then put as an object.
   */
  override put(datafile: unknown, options: PutOptions = {}): UpdateResult {
    if (typeof datafile === 'string') return this._putText(datafile, options, datafileHead(datafile));
    return datafile instanceof DatafileText ? this._putText(datafile.text, options, datafile.head) : super.put(datafile, options);
  }

  /**
   * `put` of a copy of `datafile`, for an object its owner keeps using (an
   * application's initial datafile): serialised once, parsed once, and the
   * engine reads that same text.
   */
  putCopy(datafile: object, options: PutOptions = {}): UpdateResult {
    let text: string;
    let copy: unknown;
    try {
      text = JSON.stringify(datafile);
      copy = JSON.parse(text);
    } catch {
      return this.put(datafile, options); // the engine refuses it with the reason
    }
    return this.put(copy, { ...options, text });
  }

  private _putText(text: string, options: PutOptions, head: Record<string, unknown> | null): UpdateResult {
    const engine = this._engine as E & Partial<AvsbEngine>;
    const incoming = head?.revision;
    // an engine whose datafile has no flag texts has no lazyFlags (or serves a compiled datafile): it would parse the
    // text whole itself, and the store again to compare the next; the first datafile it parses once either way
    const lazy = !this.ready || flagTexts(engine) !== undefined;
    if (!lazy || engine.load === undefined || isEvaluator(engine) || head === null || isCompiledDatafile(head) || (options.onlyIfNewer === true && typeof incoming !== 'number')) {
      return this._putParsed(text, options);
    }
    const current = this.revision;
    if (options.onlyIfNewer === true && current !== null && (incoming as number) <= current) return 'unchanged';
    // the engine loads the text alone; the stand-in reads its keys, texts and revision from it right after
    return this._load(new TextDatafile(text, engine as E & AvsbEngine), options.source ?? 'put', text, true);
  }

  /** `put` of the object `text` parses to (the text handed on): the store's object path, with its refusals. */
  private _putParsed(text: string, options: PutOptions): UpdateResult {
    let datafile: unknown;
    try {
      datafile = JSON.parse(text);
    } catch (e) {
      this._logger.error(`refused a datafile (${options.source ?? 'put'}): datafile: not JSON (${(e as Error).message})${this._serving()}`);
      return 'refused';
    }
    return super.put(datafile, isObject(datafile) ? { ...options, text } : options);
  }

  /** @internal Compares flags by their texts where the engine has them, so that an update serialises only the flags it changed. */
  protected override _changed(previous: HeldDatafile | null, next: HeldDatafile): string[] {
    const before = this._texts;
    const text = next instanceof TextDatafile ? next : null;
    const after = (this._texts = text !== null ? (text.texts ?? undefined) : flagTexts(this._engine));
    // the first datafile: every key (a text's without working out its stand-in)
    if (previous === null) return text !== null ? text.keys.slice() : next.flags.map((f) => f.key);
    // texts of other datafiles than these two (another count of flags) are not compared; a stand-in is compared only by texts
    const aligned = before !== undefined && after !== undefined && before.length === flagCountOf(previous) && after.length === flagCountOf(next);
    const same: SameFlag | undefined = aligned ? (i, j) => before[i] === after[j] || canonical(before[i]!) === canonical(after[j]!) : undefined;
    // an update of the same keys in the same order whose text names no prerequisite and no segmentMatch clause (nor has
    // an escape, which could spell either): no flag depends on another or on a segment, so the changed keys are those
    // whose texts differ, told without the stand-ins (each text's flag run found and the rest parsed: ≈ 1.8 ms of a fresh
    // process's next revision of 1,000 flags, tools/bench/earlier-measurements.md, "1,000 flags after the sixteenth session's load pass")
    if (same !== undefined && text !== null && previous instanceof TextDatafile && sameKeys(previous.keys, text.keys) && !MAY_DEPEND.some((m) => text.text.includes(m))) {
      return text.keys.filter((_, i) => !same(i, i));
    }
    const from = previous instanceof TextDatafile ? (aligned ? previous.before() : previous.parse()) : previous;
    return changedFlagKeys(from, aligned || text === null ? next : text.parse(), same);
  }

  /** Replaces or adds one flag or segment; `stale` unless `revision` is the current one plus one. */
  patch(update: PatchUpdate): UpdateResult {
    const value = update.value;
    const valid = isObject(value) && (update.kind === 'flag' || update.kind === 'segment');
    return this._edit(update, 'patch', valid ? null : 'it needs a kind and a value object', (items) => {
      const out = items.slice();
      const item = (value.key === update.key ? value : { ...value, key: update.key }) as (typeof items)[number];
      const i = out.findIndex((it) => it.key === update.key);
      if (i < 0) out.push(item);
      else out[i] = item;
      return out;
    });
  }

  /** Removes one flag or segment; `stale` unless `revision` is the current one plus one. */
  delete(update: DeleteUpdate): UpdateResult {
    const valid = update.kind === 'flag' || update.kind === 'segment';
    return this._edit(update, 'delete', valid ? null : 'unknown kind', (items) => items.filter((it) => it.key !== update.key));
  }

  /** A patch or delete: `edit` makes the new flags or segments from the old, at the next revision only. */
  private _edit(
    update: PatchUpdate | DeleteUpdate,
    what: string,
    problem: string | null,
    edit: <T extends { key: string }>(items: readonly T[]) => T[],
  ): UpdateResult {
    const base = this.datafile;
    const current = this.revision;
    // a compiled datafile (docs/compiled-datafile.md of @avsb/engine) cannot be edited: its source fetches the next one
    if (base === null || current === null || update.revision !== current + 1 || isCompiledDatafile(base)) return 'stale';
    if (problem !== null) {
      this._logger.error(`refused a ${what} (revision ${update.revision}): ${problem}${this._serving()}`);
      return 'refused';
    }
    const next: Datafile = { ...base, revision: update.revision };
    if (update.kind === 'flag') next.flags = edit(base.flags);
    else next.segments = edit(base.segments ?? []);
    return this._load(next, `${what} of ${update.kind} ${update.key}`);
  }
}

/** Whether two datafiles' keys are the same in the same order (a lazy engine hands the same string for an unchanged key). */
function sameKeys(before: readonly string[], after: readonly string[]): boolean {
  return before.length === after.length && before.every((key, i) => key === after[i]);
}

/** How many flags `datafile` has, without working out a stand-in's. */
function flagCountOf(datafile: HeldDatafile): number {
  return datafile instanceof TextDatafile ? datafile.keys.length : datafile.flags.length;
}

/** A flag's JSON text as `JSON.stringify` writes what it parses to (two texts of one flag may differ in whitespace or escapes). */
function canonical(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

/** @deprecated Renamed {@link DatafileStore}: it holds the datafile, the engine evaluates. */
export const Evaluator = DatafileStore;
/** @deprecated Renamed {@link DatafileStore}. */
export type Evaluator = DatafileStore;
