import type { AvsbEngine, LoadResult, PageEngine } from '@avsb/engine';
import { isCompiledDatafile, loadDatafile } from '@avsb/engine';
import { changedFlagKeys } from './changed-flag-keys';
import { PageStore } from './page-store';
import type { HeldDatafile, JsonLoader } from './page-store';
import type { Logger } from './platform';

/**
 * A {@link PageStore} that loads JSON datafiles too: through an `AvsbEngine`'s `load` (which an application may wrap),
 * else through `loader` (default `loadDatafile` of `@avsb/engine`, for a `PageEngine`, which has no `load`), and tells
 * their changed keys with segments followed (`changedFlagKeys`; a compiled document's flag hashes cover its segments).
 * The servers' `DatafileStore` extends it; a page makes one only when it asks for JSON datafiles (`@avsb/browser`'s
 * `jsonDatafiles`), so that a page on compiled datafiles alone bundles none of this.
 */
export class JsonPageStore<E extends PageEngine = PageEngine> extends PageStore<E> {
  constructor(
    engine: E,
    logger: Logger,
    private readonly _loader: JsonLoader = loadDatafile,
  ) {
    super(engine, logger);
  }

  protected override _loadJson(next: HeldDatafile, source: string, text?: string, textOnly?: boolean): LoadResult {
    const engine: PageEngine & Partial<Pick<AvsbEngine, 'load'>> = this._engine;
    const parsed = textOnly ? undefined : next;
    const result = engine.load !== undefined ? engine.load(text ?? next, parsed) : this._loader(engine, text ?? next, parsed);
    // the engine works around problems inside flags (a clause that never matches, a MALFORMED_FLAG); say so once
    if (result.ok && result.warningCount > 0) {
      this._logger.warn(`datafile (${source}) has ${result.warningCount} problem(s) the engine works around: ${result.warnings.map((w) => `${w.path}: ${w.message}`).join('; ')}`);
    }
    return result;
  }

  protected override _changed(previous: HeldDatafile | null, next: HeldDatafile): string[] {
    return isCompiledDatafile(next) ? super._changed(previous, next) : changedFlagKeys(previous, next);
  }
}
