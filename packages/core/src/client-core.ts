import type { AvsbClient } from './avsb-client';
import { ClientCoreBase } from './client-core-base';
import type { ClientCoreBaseOptions } from './client-core-base';
import type { AvsbContext } from './context';
import type { DatafileStore } from './datafile-store';
import type { JsonValue } from './flag-detail';
import { HookRunner } from './hook-runner';
import type { AvsbHook } from './hooks';
import type { AllFlagsOptions } from './scoped-client';
import type { ReleaseBackstop } from './release-backstop';
import { releaseBackstop } from './release-backstop';
import { IdentityCache } from './identity-cache';

export interface ClientCoreOptions extends ClientCoreBaseOptions {
  /** Hooks called around every flag read and after `track()` (see {@link AvsbHook}); more with `addHook`. */
  readonly hooks?: readonly AvsbHook[] | null;
}

/**
 * The runtime-neutral client behind `AvsbServer` (and `MockAvsbServer`):
 * {@link ClientCoreBase} (one engine, its datafile, a data source, the event
 * recorder, readiness and update listeners) with evaluation hooks, a
 * `FinalizationRegistry` backstop that releases the engine handles of scoped
 * clients nobody closed, and `allFlags`. Nothing here throws into the
 * application.
 */
export class ClientCore extends ClientCoreBase implements AvsbClient {
  override readonly backstop: ReleaseBackstop | null;
  /** A returning user's scoped client takes its context's validation from here (see `IdentityCache`). */
  readonly identities = new IdentityCache();

  constructor(options: ClientCoreOptions) {
    super(options);
    const engine = options.engine;
    this.backstop = releaseBackstop((handle) => engine.releaseContext(handle));
    const hooks = options.hooks;
    if (hooks !== undefined && hooks !== null) {
      if (Array.isArray(hooks)) for (const hook of hooks) this.addHook(hook);
      else this.logOnce.log('warn', 'hook:option', 'the hooks option must be an array of hooks; it was ignored');
    }
  }

  /** @deprecated Renamed {@link ClientCore.store} (it holds the datafile; `engine` evaluates). */
  get evaluator(): DatafileStore {
    return this.store;
  }

  /**
   * Adds a hook after those already registered; it sees every read and
   * `track()` from then on, of scoped clients old and new. Never throws.
   */
  addHook(hook: AvsbHook): void {
    const runner = this.hooks ?? new HookRunner(this.logOnce);
    runner.add(hook);
    this.hooks = runner;
  }

  /** Values of every flag for `context` (see `ScopedClient.allFlags`). */
  allFlags(context: AvsbContext, options?: AllFlagsOptions): Record<string, JsonValue> {
    const scoped = this.forUser(context);
    try {
      return scoped.allFlags(options);
    } finally {
      scoped.close();
    }
  }
}
