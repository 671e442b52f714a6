import type { AvsbEngine, PageEngine } from '@avsb/engine';
import { flagTexts, isCompiledDatafile } from '@avsb/engine';
import { changedFlagKeys } from './changed-flag-keys';
import type { Datafile, DeleteUpdate, PatchUpdate } from './datafile-format';
import { PageStore, isObject } from './page-store';
import type { PutOptions, UpdateResult } from './page-store';

export type { PutOptions, UpdateListener, UpdateResult } from './page-store';

/**
 * A {@link PageStore} that also applies partial updates (`patch`, `delete`,
 * only when their revision is exactly the next one) to a JSON datafile, as
 * a server SDK's streaming source sends them; on a compiled datafile
 * (docs/compiled-datafile.md of `@avsb/engine`) they are `stale`, so its
 * source fetches the next one. The datafile built by `patch`/`delete` is
 * held and served as a `put` one is.
 */
export class DatafileStore<E extends PageEngine = AvsbEngine> extends PageStore<E> {
  /** The JSON text of each flag served, when the engine has `lazyFlags` (`flagTexts`): unchanged flags are told by their text. */
  private _texts: readonly string[] | undefined = undefined;

  /**
   * The engine this store loads into.
   * @deprecated Keep the engine you constructed the store with; scoped clients get it from their host.
   */
  get engine(): E {
    return this._engine;
  }

  /** Whether the flag at `index` is delivered to client-side keys. */
  isClientSide(index: number): boolean {
    return this.datafile?.flags[index]?.clientSide === true;
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

  /** @internal Compares flags by their texts where the engine has them, so that an update serialises only the flags it changed. */
  protected override _changed(previous: Datafile | null, next: Datafile): string[] {
    const before = this._texts;
    const after = (this._texts = flagTexts(this._engine));
    // texts of other datafiles than these two (another count of flags) are not compared
    const aligned = before !== undefined && after !== undefined && previous !== null && before.length === previous.flags.length && after.length === next.flags.length;
    return changedFlagKeys(previous, next, aligned ? (i, j) => before[i] === after[j] : undefined);
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

/** @deprecated Renamed {@link DatafileStore}: it holds the datafile, the engine evaluates. */
export const Evaluator = DatafileStore;
/** @deprecated Renamed {@link DatafileStore}. */
export type Evaluator = DatafileStore;
