import type { Logger } from '../logger';
import type { EnvironmentId } from '../storage/records';
import type { SseConnection } from './sse';

/** The streams of one environment and what their owner keeps for them. */
export interface SseGroup<M extends { readonly sse: SseConnection }, S> {
  readonly members: Set<M>;
  readonly state: S;
}

interface Running<M extends { readonly sse: SseConnection }, S> extends SseGroup<M, S> {
  running: boolean;
  again: boolean;
}

/**
 * Open server-sent-event streams grouped by environment, for a hub that
 * pushes the same kind of update to all of an environment's streams (SDK
 * datafile updates, the dashboard's live events).
 *
 * One flush runs per environment at a time: a {@link schedule} while it runs
 * makes it run once more when it ends, so bursts coalesce instead of
 * queueing, and a stream that drains asks for a flush of its own
 * environment. A group is dropped when its last stream has closed and no
 * flush holds it.
 */
export class SseGroups<M extends { readonly sse: SseConnection }, S> {
  private readonly _groups = new Map<EnvironmentId, Running<M, S>>();

  /** Streams dropped because their client stayed behind (since start). */
  slowDisconnects = 0;

  /**
   * @param _flush - sends what the group's streams lack; called for one environment at a time
   * @param _newState - the owner's state of a new group
   * @param _what - names the streams in the error logged when a flush fails
   */
  constructor(
    private readonly _flush: (environmentId: EnvironmentId, group: SseGroup<M, S>) => Promise<void>,
    private readonly _newState: () => S,
    private readonly _logger: Logger,
    private readonly _what: string,
  ) {}

  /** How many streams are open (all environments). */
  get size(): number {
    let n = 0;
    for (const group of this._groups.values()) n += group.members.size;
    return n;
  }

  /** Bytes written to the streams and not yet taken by the kernel (all environments). */
  get queuedBytes(): number {
    let n = 0;
    for (const group of this._groups.values()) for (const member of group.members) n += member.sse.queuedBytes;
    return n;
  }

  /** The environment's group, if a stream of it is open. */
  get(environmentId: EnvironmentId): SseGroup<M, S> | undefined {
    return this._groups.get(environmentId);
  }

  /** Adds a stream to its environment's group; it leaves the group when it closes. */
  join(environmentId: EnvironmentId, member: M): SseGroup<M, S> {
    let group = this._groups.get(environmentId);
    if (!group) {
      group = { members: new Set(), state: this._newState(), running: false, again: false };
      this._groups.set(environmentId, group);
    }
    group.members.add(member);
    const joined = group;
    member.sse.onDrain(() => this.schedule(environmentId));
    member.sse.onClose((reason) => {
      if (reason === 'slow') this.slowDisconnects++;
      joined.members.delete(member);
      if (joined.members.size === 0 && !joined.running) this._groups.delete(environmentId);
    });
    return group;
  }

  /** Flushes the environment's streams now, or once more after the flush that is running. */
  schedule(environmentId: EnvironmentId): void {
    const group = this._groups.get(environmentId);
    if (!group) return;
    if (group.running) {
      group.again = true;
      return;
    }
    group.running = true;
    void (async () => {
      try {
        do {
          group.again = false;
          await this._flush(environmentId, group);
        } while (group.again);
      } catch (error) {
        this._logger.error(`${this._what} update failed: ${(error as Error).message}`);
      } finally {
        group.running = false;
        if (group.members.size === 0) this._groups.delete(environmentId);
      }
    })();
  }

  /** Closes the environment's streams that `which` picks (all by default). */
  closeWhere(environmentId: EnvironmentId, which: (member: M) => boolean = () => true): void {
    for (const member of [...(this._groups.get(environmentId)?.members ?? [])]) if (which(member)) member.sse.close();
  }

  /** Ends every stream. */
  close(): void {
    for (const group of this._groups.values()) for (const member of group.members) member.sse.close();
    this._groups.clear();
  }
}
