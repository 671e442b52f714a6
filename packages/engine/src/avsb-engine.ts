import type { BudgetCounters } from './budget-counters';
import type { ContextEncoder } from './context-encoder';
import type { LazyFlags } from './lazy-flags';
import type { EngineOptions, EngineSource, EngineSyncSource } from './engine';
import { PageEngine } from './engine';
import { loadDatafile } from './json-load';
import type { LoadResult } from './load-result';
import type { WasmModule } from './wasm-types';

/**
 * The TypeScript host of `avsb-engine.wasm` (and of `avsb-evaluator.wasm`):
 * loads datafiles, registers contexts once and evaluates flags by index.
 * {@link PageEngine}, what a web page bundles, with the JSON `load` as a
 * method, `flagKeys`, the binary context encoding (`EngineOptions`) and the
 * metrics a server exports (`memoryBytes`, `liveContexts`, `faults`,
 * `budgetExhaustions`). It runs in every runtime: no Node, DOM or `fetch` APIs.
 */
export class AvsbEngine extends PageEngine {
  // what PageEngine's factories make is the class they are called on
  declare static create: (source: EngineSource, options?: EngineOptions) => Promise<AvsbEngine>;
  declare static createSync: (source: EngineSyncSource, options?: EngineOptions) => AvsbEngine;

  /** The budget counts of the instances replaced after traps (each new one counts from 0). */
  private _retired: BudgetCounters = { evaluations: 0, regexClauses: 0 };
  /** Writes context objects in the binary encoding; null: contexts go as JSON. */
  private readonly _encoder: ContextEncoder | null;
  /** Makes the flag tables of JSON loads; undefined: each load parses its datafile whole. @internal Read by `loadDatafile`. */
  readonly _lazyFlags: LazyFlags | undefined;

  /** @internal Engines are made by `create` and `createSync`. */
  protected constructor(module: WasmModule, options: EngineOptions = {}) {
    super(module);
    this._encoder = options.contextEncoder ?? null;
    this._lazyFlags = options.lazyFlags;
  }

  /** @internal */
  protected override _instantiate(): void {
    try {
      if (this._x !== undefined) this._retired = this.budgetExhaustions;
    } catch {
      // a trapped instance that cannot answer even this: its counts are lost
    }
    super._instantiate();
  }

  /**
   * Loads a datafile: JSON text, UTF-8 bytes or a parsed object
   * (`loadDatafile`, which see). `parsed`: the object the caller parsed the
   * text into, used instead of a second parse (its variation values are
   * frozen in place; do not mutate it afterwards).
   */
  load(datafile: string | Uint8Array | object, parsed?: object): LoadResult {
    return loadDatafile(this, datafile, parsed);
  }

  /**
   * Registers a context once and returns its handle; evaluate by handle, then
   * `releaseContext`. Throws EngineInputError for a malformed context.
   *
   * With a `contextEncoder` (EngineOptions), a context object is written into the engine in its binary encoding (no
   * JSON text is built); what only `JSON.stringify` can say (`toJSON`, class
   * instances, bigint, cycles…) and text go as JSON. Either way it means what
   * its JSON means. The object is kept, not copied, to restore the context
   * after an engine fault: do not mutate it while it is registered.
   */
  override registerContext(context: object | string): number {
    if (this._encoder !== null && typeof context === 'object' && context !== null) {
      const handle = this._encoder._register(this, context);
      if (handle !== 0) return handle;
    }
    return super.registerContext(context);
  }

  /** @internal An object its encoder kept: encoded again, or as JSON. */
  protected override _restore(handle: number, kept: string | object): number {
    if (typeof kept === 'object') {
      const len = this._encoder?._into(this, kept) ?? -1;
      if (len >= 0) return this._x.avsb_ctx_restore_bin(handle, len);
      let json: string | undefined;
      try {
        json = JSON.stringify(kept);
      } catch {
        return -2; // changed since it was registered into something that cannot be sent
      }
      if (typeof json !== 'string') return -2;
      kept = json;
    }
    return super._restore(handle, kept);
  }

  /** Keys of the current datafile's flags, in index order. */
  get flagKeys(): readonly string[] {
    return this._view === null ? [] : this._view._flags.map((f) => f.key);
  }

  /** Size of the engine's linear memory in bytes (a metric worth exporting). */
  get memoryBytes(): number {
    return this._x.memory.buffer.byteLength;
  }

  /** Contexts registered and not released (a metric worth exporting). */
  get liveContexts(): number {
    return this._x.avsb_live_contexts();
  }

  /** How many times the engine trapped and was rebuilt. */
  get faults(): number {
    return this._faults;
  }

  /** Evaluations and regex clauses that ran out of their work budget since this engine was created. */
  get budgetExhaustions(): BudgetCounters {
    const retired = this._retired;
    // u32 counters in the engine
    return {
      evaluations: retired.evaluations + (this._x.avsb_budget_exhaustions() >>> 0),
      regexClauses: retired.regexClauses + (this._x.avsb_regex_budget_exhaustions() >>> 0),
    };
  }
}
