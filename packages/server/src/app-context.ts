import type { DatafileCache } from './domain/served-datafile-cache';
import type { DatafileValidator } from './domain/validator';
import type { Logger } from './logger';
import type { AdminEventHub } from './admin/event-hub';
import type { StreamHub } from './sdk/stream-hub';
import type { Store } from './storage/store';

/** Everything the HTTP handlers share within one running server. */
export interface AppContext {
  readonly store: Store;
  readonly cache: DatafileCache;
  readonly validator: DatafileValidator;
  readonly streams: StreamHub;
  readonly adminEvents: AdminEventHub;
  readonly logger: Logger;
  readonly adminToken: string;
}
