import { initialSchema } from './001-initial';
import { experimentUnits } from './002-experiment-units';
import { purgeDetails } from './003-purge-details';
import { eventsWithoutKeyIndex } from './004-events-without-key-index';
import { eventIds } from './005-event-ids';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration, in order. Append new ones; never edit an applied one. */
export const migrations: readonly Migration[] = [initialSchema, experimentUnits, purgeDetails, eventsWithoutKeyIndex, eventIds];
