import { AvsbError } from '../errors';

/**
 * The storage failures a client can do nothing about but wait or tell the
 * operator, as 503 `unavailable` with the cause, instead of a bare 500:
 * a database that cannot be written (opened read-only, a read-only volume,
 * a file made read-only under a running server), a full disk, a file locked
 * by another process for longer than the busy timeout. Null for anything else.
 */
export function storageUnavailable(error: unknown): AvsbError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_READONLY')) {
    return new AvsbError(
      'unavailable',
      'the database is read-only: reads are served but nothing can be stored (make the database file and its folder writable and restart the server)',
    );
  }
  if (code === 'SQLITE_FULL') return new AvsbError('unavailable', 'the disk holding the database is full: nothing can be stored');
  if (code.startsWith('SQLITE_BUSY')) return new AvsbError('unavailable', 'the database is locked by another process: retry shortly');
  return null;
}
