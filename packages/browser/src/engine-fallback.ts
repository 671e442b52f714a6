import type { DataSink, DataSourceFactory, Logger, PutOptions, UpdateResult } from '@avsb/core/page';
import type { AvsbEngine } from '@avsb/engine';
import { isCompiledDatafile, isEvaluator, useModule } from '@avsb/engine';

/**
 * The data path of a page whose engine is the evaluator: a JSON datafile
 * (from a service that predates compiled datafiles, or a cache entry written
 * by one) switches the engine to the full engine, fetched then, once, with
 * the context kept; the latest datafile that arrived meanwhile is applied
 * after it. Compiled datafiles, and everything once switched, pass through.
 * `sink()` is the page's core (made after the data source factory is).
 */
export class EngineFallback {
  private _pending: [unknown, PutOptions | undefined] | null = null;
  private _switching = false;

  constructor(
    private readonly _engine: AvsbEngine,
    private readonly _fullEngine: () => Promise<WebAssembly.Module>,
    private readonly _logger: Logger,
    private readonly _sink: () => DataSink,
  ) {}

  /** `factory` with this in front of its sink. */
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
    if (!this._switching) {
      this._switching = true;
      this._logger.info('the service answered a JSON datafile (it predates compiled datafiles): loading avsb-engine.wasm');
      this._fullEngine().then(
        (module) => {
          useModule(this._engine, module);
          const [next, nextOptions] = this._pending!;
          this._pending = null;
          this._sink().put(next, nextOptions);
        },
        (error: unknown) => this._logger.error(`could not load avsb-engine.wasm for the service's JSON datafiles: ${(error as Error)?.message ?? String(error)}`),
      );
    }
    return 'unchanged';
  }
}
