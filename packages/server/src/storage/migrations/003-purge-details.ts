import type { Migration } from './migration';

/**
 * What a pending purge was (see `Purger`): the project and environment keys
 * and when it was deleted, so that `GET /api/v1/purges` can name what is
 * still being purged after the rows that named it are gone. Rows recorded by
 * an older version keep nulls there.
 */
export const purgeDetails: Migration = {
  version: 3,
  name: 'purge-details',
  sql: `
    ALTER TABLE purges ADD COLUMN project_key TEXT;
    ALTER TABLE purges ADD COLUMN environment_key TEXT;
    ALTER TABLE purges ADD COLUMN deleted_at INTEGER;
  `,
};
