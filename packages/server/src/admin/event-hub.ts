import type { ServerResponse } from 'node:http';
import { SseConnection } from '../http/sse';
import { eventView } from './common';
import type { Logger } from '../logger';
import type { ChangeFeed, ChangeMessage } from '../storage/change-feed';
import type { EnvironmentId } from '../storage/records';
import type { Store } from '../storage/store';

const PAGE = 1000;

interface Watcher {
  readonly sse: SseConnection;
  lastId: number;
}

interface EnvironmentWatchers {
  readonly watchers: Set<Watcher>;
  running: boolean;
  again: boolean;
}

/**
 * The dashboard's live event view (`GET …/events/stream`): on every stored
 * batch it reads the new events from the store and sends them as
 * `event: events` with `data: [ … ]` (and `id:` the last event id).
 */
export class AdminEventHub {
  private readonly _environments = new Map<EnvironmentId, EnvironmentWatchers>();
  private readonly _unsubscribe: () => void;

  constructor(
    feed: ChangeFeed,
    private readonly _store: Store,
    private readonly _logger: Logger,
    private readonly _heartbeatMs: number,
  ) {
    this._unsubscribe = feed.subscribe((message) => this._onChange(message));
  }

  /** Streams the environment's events with an id above `after`, then new ones as they arrive. */
  open(res: ServerResponse, environmentId: EnvironmentId, after: number): void {
    const watcher: Watcher = { sse: new SseConnection(res, this._heartbeatMs), lastId: after };
    let env = this._environments.get(environmentId);
    if (!env) {
      env = { watchers: new Set(), running: false, again: false };
      this._environments.set(environmentId, env);
    }
    env.watchers.add(watcher);
    const watchers = env;
    watcher.sse.comment('connected');
    watcher.sse.onClose(() => {
      watchers.watchers.delete(watcher);
      if (watchers.watchers.size === 0 && !watchers.running) this._environments.delete(environmentId);
    });
    this._schedule(environmentId);
  }

  /** Ends every stream and stops listening. */
  close(): void {
    this._unsubscribe();
    for (const env of this._environments.values()) for (const w of env.watchers) w.sse.close();
    this._environments.clear();
  }

  private _onChange(message: ChangeMessage): void {
    if (message.type === 'events') this._schedule(message.environmentId);
    else if (message.type === 'environment-deleted') {
      for (const w of this._environments.get(message.environmentId)?.watchers ?? []) w.sse.close();
    }
  }

  private _schedule(environmentId: EnvironmentId): void {
    const env = this._environments.get(environmentId);
    if (!env) return;
    if (env.running) {
      env.again = true;
      return;
    }
    env.running = true;
    void (async () => {
      try {
        do {
          env.again = false;
          await this._flush(environmentId, env);
        } while (env.again);
      } catch (error) {
        this._logger.error(`event stream update failed: ${(error as Error).message}`);
      } finally {
        env.running = false;
        if (env.watchers.size === 0) this._environments.delete(environmentId);
      }
    })();
  }

  private async _flush(environmentId: EnvironmentId, env: EnvironmentWatchers): Promise<void> {
    const pages = new Map<number, { data: string; lastId: number; full: boolean } | null>();
    for (const watcher of env.watchers) {
      for (;;) {
        let page = pages.get(watcher.lastId);
        if (page === undefined) {
          const events = await this._store.listEvents(environmentId, watcher.lastId, PAGE);
          page =
            events.length === 0
              ? null
              : {
                  data: JSON.stringify(events.map(eventView)),
                  lastId: events[events.length - 1]!.id,
                  full: events.length === PAGE,
                };
          pages.set(watcher.lastId, page);
        }
        if (page === null) break;
        watcher.sse.send('events', page.data, page.lastId);
        watcher.lastId = page.lastId;
        if (!page.full) break;
      }
    }
  }
}
