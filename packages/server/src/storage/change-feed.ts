import { EventEmitter } from 'node:events';
import type { EnvironmentId, ItemKind, SdkKeyKind } from './records';

/**
 * A change committed to the store, as announced to the datafile streams and
 * the dashboard's live event view. Messages are small (ids and revisions,
 * never whole flags), so a PostgreSQL `NOTIFY` payload or a Redis pub/sub
 * message can carry them; readers fetch what they need from the store.
 */
export type ChangeMessage =
  /** Flags or segments of an environment changed; `revision` is the new revision. */
  | {
      readonly type: 'items';
      readonly environmentId: EnvironmentId;
      readonly revision: number;
      readonly items: readonly { readonly kind: ItemKind; readonly key: string }[];
    }
  /** An environment's content was replaced wholesale (a project import). */
  | { readonly type: 'reset'; readonly environmentId: EnvironmentId; readonly revision: number }
  /** A key was rotated: streams opened with the old key must end. */
  | { readonly type: 'key-rotated'; readonly environmentId: EnvironmentId; readonly kind: SdkKeyKind }
  /** The environment is gone (its project was deleted or replaced without it). */
  | { readonly type: 'environment-deleted'; readonly environmentId: EnvironmentId }
  /** Events with ids in [firstId, lastId] were stored for the environment. */
  | { readonly type: 'events'; readonly environmentId: EnvironmentId; readonly firstId: number; readonly lastId: number };

/** A listener of the change feed. */
export type ChangeListener = (message: ChangeMessage) => void;

/**
 * How committed changes fan out to everything that serves them. The store
 * publishes after each commit; the SDK streams and the admin event stream
 * subscribe. One process: {@link LocalChangeFeed}. Several server instances
 * would implement this over PostgreSQL LISTEN/NOTIFY or Redis pub/sub.
 */
export interface ChangeFeed {
  /** Announces a committed change to every subscriber (of every instance). */
  publish(message: ChangeMessage): void;
  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: ChangeListener): () => void;
  /** Releases resources (connections); subscribers hear nothing more. */
  close(): void;
}

/** The in-process change feed: an EventEmitter. A throwing listener never breaks the publisher. */
export class LocalChangeFeed implements ChangeFeed {
  private readonly _emitter = new EventEmitter();

  constructor(private readonly _onListenerError: (error: unknown) => void = () => {}) {
    this._emitter.setMaxListeners(0);
  }

  publish(message: ChangeMessage): void {
    for (const listener of this._emitter.listeners('change') as ChangeListener[]) {
      try {
        listener(message);
      } catch (error) {
        this._onListenerError(error);
      }
    }
  }

  subscribe(listener: ChangeListener): () => void {
    this._emitter.on('change', listener);
    return () => this._emitter.off('change', listener);
  }

  close(): void {
    this._emitter.removeAllListeners();
  }
}
