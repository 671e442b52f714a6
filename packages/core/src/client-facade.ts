import type { AvsbEngine } from '@avsb/engine';
import type { AvsbClient } from './avsb-client';
import type { ClientCore } from './client-core';
import type { AvsbContext } from './context';
import type { DataSourceError } from './data-sources/data-source';
import { ASYNC_DISPOSE, type MaybeAsyncDisposable } from './disposable';
import type { UpdateListener } from './datafile-store';
import type { JsonValue } from './flag-detail';
import type { AvsbHook } from './hooks';
import type { ReadyResult } from './ready-error';
import type { AllFlagsOptions, ScopedClient } from './scoped-client';

/** Engine counters every SDK entry point reports in `metrics()`. */
export interface EngineMetrics {
  /** The revision being served, or `null` before the first datafile. */
  readonly revision: number | null;
  /** Size of the engine's WebAssembly memory. */
  readonly engineMemoryBytes: number;
  /** Contexts registered and not yet released (scoped clients not closed). */
  readonly liveContexts: number;
  /** Times the engine trapped and was rebuilt. */
  readonly engineFaults: number;
  /**
   * Flag reads that needed more work than one evaluation may do and served
   * the caller's default with `ERROR`/`EVALUATION_BUDGET` (engine SPEC.md §10).
   */
  readonly evaluationBudgetExhaustions: number;
  /** `matches` clauses that ran out of their own regex step budget and did not match. */
  readonly regexBudgetExhaustions: number;
}

/**
 * The `AvsbClient` surface over a `ClientCore`, shared by the SDK entry
 * points (`AvsbServer` in `@avsb/node`, `MockAvsbServer` in `@avsb/testing`),
 * which only decide how the core is put together.
 */
export abstract class ClientFacade implements AvsbClient {
  protected readonly _core: ClientCore;
  protected readonly _engine: AvsbEngine;

  protected constructor(core: ClientCore, engine: AvsbEngine) {
    this._core = core;
    this._engine = engine;
  }

  /** Whether a datafile is loaded (flag reads answer from it); `false` once closed. */
  get ready(): boolean {
    return this._core.ready;
  }

  /** Whether `close()` was called (reads then serve defaults with reason `CLIENT_CLOSED`). */
  get closed(): boolean {
    return this._core.closed;
  }

  /** The revision of the datafile being served, or `null`. */
  get revision(): number | null {
    return this._core.revision;
  }

  /** The last problem of the data source (`unauthorized`, `network`, `http`, `invalid-datafile`), `null` while it works. */
  get lastError(): DataSourceError | null {
    return this._core.lastError;
  }

  /**
   * Resolves once a datafile is loaded: `{ ready: true, revision }`. On
   * timeout, a refused key or `close()` it resolves with `{ ready: false,
   * error }`, whose `error.kind` is `'timeout'`, `'unauthorized'` or
   * `'closed'` and whose message says what to do. It never rejects: reads
   * serve defaults (reason `CLIENT_NOT_READY`) meanwhile. Called after
   * `close()` it resolves at once with kind `'closed'`, even if a datafile
   * had been loaded.
   */
  onReady(options?: { timeoutMs?: number }): Promise<ReadyResult> {
    return this._core.onReady(options);
  }

  /**
   * A scoped client for one context: typed flag reads, `allFlags` and
   * `track`. `{ key: 'u_1' }` without a `kind` is the `user` context
   * `{ kind: 'user', key: 'u_1' }` (the same evaluation and events). Cheap; registers the context with the engine on its first read.
   * Call `close()` on it when the request ends (or declare it with `using`).
   * After `close()` of this client it still returns a scoped client, whose
   * reads serve defaults (reason `CLIENT_CLOSED`) without asking the engine
   * and whose `track()` sends nothing.
   */
  forUser(context: AvsbContext): ScopedClient {
    return this._core.forUser(context);
  }

  /**
   * The values of every flag served to `context` (`{ clientSideOnly: true }`
   * for a browser); records no exposures. A null-prototype object (a flag
   * keyed `__proto__` is a member like any other; `JSON.stringify` and
   * `Object.keys` work as usual); empty once closed.
   */
  allFlags(context: AvsbContext, options?: AllFlagsOptions): Record<string, JsonValue> {
    return this._core.allFlags(context, options);
  }

  /**
   * Adds an evaluation hook (see `AvsbHook`): called around every flag read
   * of every scoped client, old and new, and after `track()`. Hooks run
   * synchronously in the order added, cannot change what a read returns,
   * and one that throws is logged once and skipped. Never throws.
   */
  addHook(hook: AvsbHook): this {
    this._core.addHook(hook);
    return this;
  }

  /** `listener(changedKeys)` after every datafile change (the first load lists every flag). */
  on(event: 'update', listener: UpdateListener): this {
    this._core.on(event, listener);
    return this;
  }

  off(event: 'update', listener: UpdateListener): this {
    this._core.off(event, listener);
    return this;
  }

  /** Sends the queued events now. Never rejects. */
  flush(): Promise<void> {
    return this._core.flush();
  }

  /**
   * Stops the data source and every timer, then flushes pending events
   * within the close timeout. Idempotent; never rejects. Afterwards every
   * scoped client (old or new) serves the caller's defaults with reason
   * `ERROR`/`CLIENT_CLOSED`, `allFlags` is empty, `track` is dropped and no
   * event is sent; `ready` is `false`.
   */
  close(): Promise<void> {
    return this._core.close();
  }

  protected _engineMetrics(): EngineMetrics {
    const budget = this._engine.budgetExhaustions;
    return {
      revision: this._core.revision,
      engineMemoryBytes: this._engine.memoryBytes,
      liveContexts: this._engine.liveContexts,
      engineFaults: this._engine.faults,
      evaluationBudgetExhaustions: budget.evaluations,
      regexBudgetExhaustions: budget.regexClauses,
    };
  }
}

export interface ClientFacade extends MaybeAsyncDisposable {}

if (ASYNC_DISPOSE !== undefined) {
  Object.defineProperty(ClientFacade.prototype, ASYNC_DISPOSE, {
    value: function (this: ClientFacade) {
      return this.close();
    },
    writable: true,
    configurable: true,
  });
}
