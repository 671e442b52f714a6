// Test support: reading what the real A vs B server (`@avsb/server`) stored.
import type { SandboxServer } from '@avsb/server';

/** A stored event as the admin API returns it (`kind`, `key`, `value`, `properties`, `contextKeys`, `flags`…). */
export type StoredEvent = Record<string, any>;

/** Events stored for the sandbox's `shop`/`production`, oldest first. */
export function storedEvents(real: SandboxServer): Promise<StoredEvent[]> {
  return real.admin<StoredEvent[]>('/events?limit=1000');
}
