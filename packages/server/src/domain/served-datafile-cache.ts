import { AvsbError } from '../errors';
import type { EnvironmentId, SdkKeyKind } from '../storage/records';
import type { Store } from '../storage/store';
import type { ServedDatafile } from './served-datafile';
import { serveDatafile } from './served-datafile';

/**
 * Serialised datafiles by environment and key kind, built once per
 * revision: serving a datafile is a cache hit and a write. Only the newest
 * revision of each environment is kept.
 */
export class DatafileCache {
  private readonly _entries = new Map<EnvironmentId, { server: ServedDatafile; client: ServedDatafile }>();

  constructor(private readonly _store: Store) {}

  /**
   * The datafile for `kind`. With `revision` (e.g. from the key lookup) a
   * cached entry of that revision or newer is used without reading the store.
   */
  async get(environmentId: EnvironmentId, kind: SdkKeyKind, revision?: number): Promise<ServedDatafile> {
    const cached = this._entries.get(environmentId);
    if (cached && revision !== undefined && cached.server.revision >= revision) return cached[kind];
    const snapshot = await this._store.readEnvironment(environmentId);
    if (!snapshot) {
      this._entries.delete(environmentId);
      throw new AvsbError('not_found', 'environment not found');
    }
    const current = this._entries.get(environmentId);
    if (current && current.server.revision >= snapshot.environment.revision) return current[kind];
    const entry = { server: serveDatafile(snapshot, 'server'), client: serveDatafile(snapshot, 'client') };
    this._entries.set(environmentId, entry);
    return entry[kind];
  }

  /** Forgets an environment (deleted). */
  forget(environmentId: EnvironmentId): void {
    this._entries.delete(environmentId);
  }
}
