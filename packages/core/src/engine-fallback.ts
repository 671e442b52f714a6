import type { PageEngine, WasmModule } from '@avsb/engine';
import { isCompiledDatafile, isEvaluator, useModule } from '@avsb/engine';
import { describeError } from '@avsb/common';
import type { Logger } from '@avsb/common';
import type { DataSink, DataSourceFactory, PageSourceFactory } from './data-sources/data-source';
import type { PutOptions, UpdateResult } from './page-store';

/** A compiled `.wasm` (the engine's `WasmModule`: core's own types have no WebAssembly namespace). */
type EngineModule = WasmModule;

/**
 * The data path of a client whose engine is the evaluator
 * (`avsb-evaluator.wasm`, compiled datafiles): a JSON datafile (from a
 * service that predates compiled datafiles, or a cache entry written by one)
 * switches the engine to the full engine, obtained then, once, with the
 * contexts kept; the latest datafile that arrived meanwhile is applied after
 * it. Compiled datafiles, and everything once switched, pass through.
 * `sink()` is the client's core (made after the data source factory is).
 * Used by `@avsb/browser` (the full engine fetched) and `@avsb/edge` (the
 * full engine precompiled by the user's bundler).
 */
export class EngineFallback {
  private _pending: [unknown, PutOptions | undefined] | null = null;
  /**
   * The switch to the full engine once a JSON datafile started it, settled
   * when that datafile is applied (or the full engine could not be had);
   * `null` before. Never rejects. Read-only for callers.
   */
  switching: Promise<void> | null = null;

  constructor(
    private readonly _engine: PageEngine,
    private readonly _fullEngine: () => Promise<EngineModule>,
    private readonly _logger: Logger,
    private readonly _sink: () => Pick<DataSink, 'put'>,
  ) {}

  /** `factory` with this in front of its sink: a server's source's, or a page's (which never calls `patch` or `delete`). */
  source(factory: PageSourceFactory): PageSourceFactory;
  source(factory: DataSourceFactory): DataSourceFactory;
  source(factory: DataSourceFactory): DataSourceFactory {
    return (sink, platform) =>
      factory(
        {
          put: (datafile, options) => this.put(datafile, options),
          patch: (update) => sink.patch(update),
          delete: (update) => sink.delete(update),
          error: (error) => sink.error(error),
          valid: () => sink.valid(),
        },
        platform,
      );
  }

  /** The sink's `put`, or (a JSON datafile on the evaluator) the switch to the full engine. */
  put(datafile: unknown, options?: PutOptions): UpdateResult {
    if (!isEvaluator(this._engine) || isCompiledDatafile(datafile) || typeof datafile !== 'object' || datafile === null) return this._sink().put(datafile, options);
    this._pending = [datafile, options];
    if (this.switching === null) {
      this._logger.info('the service answered a JSON datafile (it predates compiled datafiles): loading avsb-engine.wasm');
      this.switching = this._fullEngine().then(
        (module) => {
          useModule(this._engine, module);
          const [next, nextOptions] = this._pending!;
          this._pending = null;
          this._sink().put(next, nextOptions);
        },
        (error: unknown) => this._logger.error(`could not load avsb-engine.wasm for the service's JSON datafiles: ${describeError(error)}`),
      );
    }
    return 'unchanged';
  }
}
