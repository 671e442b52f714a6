import type { StreamEventName } from '@avsb/protocol';
import type { ServedDatafile } from '../domain/served-datafile';
import type { DatafileCache } from '../domain/served-datafile-cache';
import type { SseOptions } from '../http/sse';
import { SseConnection } from '../http/sse';
import type { SseGroup } from '../http/sse-groups';
import { SseGroups } from '../http/sse-groups';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { ChangeFeed, ChangeMessage } from '../storage/change-feed';
import type { EnvironmentId, SdkKeyKind, SdkKeyMatch } from '../storage/records';

interface StreamClient {
  readonly sse: SseConnection;
  readonly kind: SdkKeyKind;
  /** The datafile this client's state corresponds to (content baseline for diffs). */
  baseline: ServedDatafile;
  /** The revision the client believes it has (the last one sent to it). */
  sentRevision: number;
}

interface EnvironmentState {
  /** The newest revision announced by the change feed. */
  target: number;
  /** Items the feed said were written since the last flush (`flag:key`), even if their datafile form did not change. */
  hints: Set<string>;
}

/**
 * The SDK streams (`GET /sdk/v1/stream`) of every environment. On each
 * change from the feed it diffs the new datafile against what each stream
 * has: one changed item at the next revision is a `patch` or `delete`,
 * several (an import) or a skipped revision is a `put`, and a change a key
 * cannot see (a server-only flag, for client keys) sends nothing: that
 * client's next event is then a `put`.
 *
 * A client that is behind (its last message not yet drained, see
 * {@link SseConnection}) is skipped; when it drains it gets what brings it
 * from its last message to the latest datafile, which after more than one
 * change is one `put`: pending updates coalesce to the latest datafile
 * instead of queueing in memory.
 */
export class StreamHub {
  private readonly _streams: SseGroups<StreamClient, EnvironmentState>;
  private readonly _unsubscribe: () => void;

  constructor(
    feed: ChangeFeed,
    private readonly _cache: DatafileCache,
    logger: Logger,
    private readonly _sseOptions: SseOptions,
  ) {
    this._streams = new SseGroups((environmentId, group) => this._flush(environmentId, group), () => ({ target: 0, hints: new Set<string>() }), logger, 'stream');
    this._unsubscribe = feed.subscribe((message) => this._onChange(message));
  }

  /** Streams dropped because their client stayed behind (since start). */
  get slowDisconnects(): number {
    return this._streams.slowDisconnects;
  }

  /** Starts a stream for an authenticated key: `put` first, then changes as they happen. */
  async open(res: ServerResponse, match: SdkKeyMatch): Promise<void> {
    const datafile = await this._cache.get(match.environmentId, match.kind, match.revision);
    const sse = new SseConnection(res, this._sseOptions);
    const client: StreamClient = { sse, kind: match.kind, baseline: datafile, sentRevision: datafile.revision };
    sse.send('put', `{"datafile":${datafile.json}}`);
    this._streams.join(match.environmentId, client);
    // a change committed while the put was prepared must not be missed
    this._schedule(match.environmentId, datafile.revision);
  }

  /** How many streams are open (all environments). */
  get size(): number {
    return this._streams.size;
  }

  /** Bytes written to the streams and not yet taken by the kernel (all environments). */
  get queuedBytes(): number {
    return this._streams.queuedBytes;
  }

  /** Ends every stream and stops listening to the feed. */
  close(): void {
    this._unsubscribe();
    this._streams.close();
  }

  private _onChange(message: ChangeMessage): void {
    switch (message.type) {
      case 'items': {
        const group = this._streams.get(message.environmentId);
        if (group) for (const item of message.items) group.state.hints.add(`${item.kind}:${item.key}`);
        this._schedule(message.environmentId, message.revision);
        break;
      }
      case 'reset':
        this._schedule(message.environmentId, message.revision);
        break;
      case 'key-rotated':
        this._streams.closeWhere(message.environmentId, (c) => c.kind === message.kind);
        break;
      case 'environment-deleted':
        this._cache.forget(message.environmentId);
        this._streams.closeWhere(message.environmentId);
        break;
      default:
        break;
    }
  }

  /** Flushes toward `revision` (the newest announced wins); changes arriving meanwhile trigger another flush. */
  private _schedule(environmentId: EnvironmentId, revision: number): void {
    const group = this._streams.get(environmentId);
    if (!group) return;
    group.state.target = Math.max(group.state.target, revision);
    this._streams.schedule(environmentId);
  }

  private async _flush(environmentId: EnvironmentId, { members, state }: SseGroup<StreamClient, EnvironmentState>): Promise<void> {
    const hints = state.hints;
    state.hints = new Set();
    const latest = new Map<SdkKeyKind, ServedDatafile>();
    for (const client of members) {
      if (client.sse.writable && !latest.has(client.kind)) latest.set(client.kind, await this._cache.get(environmentId, client.kind, state.target));
    }
    const memo = new Map<string, Frame[]>();
    for (const client of members) {
      // a client still behind keeps its baseline: it catches up from there when it drains
      if (!client.sse.writable) continue;
      const next = latest.get(client.kind);
      if (!next || next.revision <= client.baseline.revision) continue;
      const memoKey = `${client.kind}:${client.baseline.revision}:${client.sentRevision}`;
      let frames = memo.get(memoKey);
      if (!frames) {
        frames = framesFor(client.baseline, client.sentRevision, next, hints);
        memo.set(memoKey, frames);
      }
      for (const frame of frames) client.sse.send(frame.event, frame.data);
      client.baseline = next;
      if (frames.length > 0) client.sentRevision = next.revision;
    }
  }
}

interface Frame {
  /** Its data is the protocol's `PutMessage`, `PatchMessage` or `DeleteMessage` (`@avsb/protocol`), as JSON text. */
  readonly event: StreamEventName;
  readonly data: string;
}

/** The events that bring a client from `baseline` (believing it has `sentRevision`) to `next`. */
function framesFor(baseline: ServedDatafile, sentRevision: number, next: ServedDatafile, hints: ReadonlySet<string>): Frame[] {
  const changed = new Set<string>();
  for (const [ref, json] of next.items) if (baseline.items.get(ref) !== json) changed.add(ref);
  for (const ref of baseline.items.keys()) if (!next.items.has(ref)) changed.add(ref);
  // an item written without a datafile change (its name, say) is still this revision's patch
  for (const ref of hints) if (next.items.has(ref) || baseline.items.has(ref)) changed.add(ref);
  if (changed.size === 0) return [];
  if (changed.size > 1 || next.revision !== sentRevision + 1) return [{ event: 'put', data: `{"datafile":${next.json}}` }];
  const ref = [...changed][0]!;
  const colon = ref.indexOf(':');
  const head = `{"revision":${next.revision},"kind":"${ref.slice(0, colon)}","key":${JSON.stringify(ref.slice(colon + 1))}`;
  const value = next.items.get(ref);
  return value === undefined ? [{ event: 'delete', data: `${head}}` }] : [{ event: 'patch', data: `${head},"value":${value}}` }];
}
