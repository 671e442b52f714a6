import type { ServerResponse } from 'node:http';
import type { SseOptions } from '../http/sse';
import { SseConnection } from '../http/sse';
import { SseGroups } from '../http/sse-groups';
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

/**
 * The dashboard's live event view (`GET …/events/stream`): on every stored
 * batch it reads the new events from the store and sends them as
 * `event: events` with `data: [ … ]` (and `id:` the last event id).
 *
 * A page of at most 1,000 events is read only for a watcher that can take
 * it now (see {@link SseConnection}'s backpressure); a replay from far back
 * goes on page by page as the client drains, yields to the event loop
 * between pages, and stops when its client leaves.
 */
export class AdminEventHub {
  private readonly _streams: SseGroups<Watcher, null>;
  private readonly _unsubscribe: () => void;

  constructor(
    feed: ChangeFeed,
    private readonly _store: Store,
    logger: Logger,
    private readonly _sseOptions: SseOptions,
  ) {
    this._streams = new SseGroups((environmentId, group) => this._flush(environmentId, group.members), () => null, logger, 'event stream');
    this._unsubscribe = feed.subscribe((message) => this._onChange(message));
  }

  /** Pages of events read from the store for streams (since start). */
  pagesRead = 0;

  /** Streams dropped because their client stayed behind (since start). */
  get slowDisconnects(): number {
    return this._streams.slowDisconnects;
  }

  /** How many streams are open (all environments). */
  get size(): number {
    return this._streams.size;
  }

  /** Bytes written to the streams and not yet taken by the kernel. */
  get queuedBytes(): number {
    return this._streams.queuedBytes;
  }

  /** Streams the environment's events with an id above `after`, then new ones as they arrive. */
  open(res: ServerResponse, environmentId: EnvironmentId, after: number): void {
    const watcher: Watcher = { sse: new SseConnection(res, this._sseOptions), lastId: after };
    this._streams.join(environmentId, watcher);
    watcher.sse.comment('connected');
    this._streams.schedule(environmentId);
  }

  /** Ends every stream and stops listening. */
  close(): void {
    this._unsubscribe();
    this._streams.close();
  }

  private _onChange(message: ChangeMessage): void {
    if (message.type === 'events') this._streams.schedule(message.environmentId);
    else if (message.type === 'environment-deleted') this._streams.closeWhere(message.environmentId);
  }

  private async _flush(environmentId: EnvironmentId, watchers: ReadonlySet<Watcher>): Promise<void> {
    // watchers at the same point share a page, only within this round: nothing outlives it
    const pages = new Map<number, Page | null>();
    let pending = true;
    while (pending) {
      pending = false;
      for (const watcher of [...watchers]) {
        if (!watcher.sse.writable) continue;
        let page = pages.get(watcher.lastId);
        if (page === undefined) {
          page = await this._readPage(environmentId, watcher.lastId);
          pages.set(watcher.lastId, page);
        }
        if (page === null || !watcher.sse.writable) continue;
        watcher.sse.send('events', page.data, page.lastId);
        watcher.lastId = page.lastId;
        if (page.full) pending = true;
      }
      pages.clear();
      // a long replay must not hold the event loop: other requests run between pages
      if (pending) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async _readPage(environmentId: EnvironmentId, after: number): Promise<Page | null> {
    const events = await this._store.listEvents(environmentId, after, PAGE);
    this.pagesRead++;
    if (events.length === 0) return null;
    return { data: JSON.stringify(events.map(eventView)), lastId: events[events.length - 1]!.id, full: events.length === PAGE };
  }
}

interface Page {
  readonly data: string;
  readonly lastId: number;
  readonly full: boolean;
}
