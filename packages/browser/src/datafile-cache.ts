import type { Logger } from '@avsb/core/page';
import { describeError } from '@avsb/core/page';

/** The part of `Storage` (`localStorage`) the cache uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The largest cache entry written, in UTF-16 units (browsers allow about 5 million per origin, shared with the app). */
export const MAX_CACHE_CHARS = 1_000_000;

const FORMAT = 1;

/**
 * The last datafile of one client key, kept in `localStorage` with its
 * revision so that a returning visitor evaluates before the network answers
 * (and offline). One entry per key and service, named by a hash (the key
 * itself is not written). An entry that is not JSON, of another format or
 * key, or whose revision disagrees with its datafile is ignored and removed;
 * a datafile larger than {@link MAX_CACHE_CHARS} is not cached. Storage that
 * is missing, full or forbidden (private modes, sandboxed frames) only
 * disables the cache.
 */
export class DatafileCache {
  private readonly _id: string;
  private readonly _name: string;
  private _written: number | null = null;

  constructor(
    private readonly _storage: StorageLike | null,
    clientKey: string,
    baseUrl: string,
    private readonly _logger: Logger,
  ) {
    this._id = fnv1a(`${baseUrl}\n${clientKey}`);
    this._name = `avsb:datafile:${this._id}`;
  }

  /** The cached datafile (parsed from the entry; the caller may keep it), or `null`. */
  read(): object | null {
    let text: string | null | undefined;
    try {
      text = this._storage?.getItem(this._name);
      if (text == null) return null;
      const entry = JSON.parse(text) as { format?: unknown; id?: unknown; revision?: unknown; datafile?: { revision?: unknown } };
      const datafile = entry?.datafile;
      // a datafile that is not an object has no revision of its own: JSON makes objects, arrays (whose members have no
      // names) and primitives only, so the revision check refuses every one but an object with its entry's revision
      if (entry?.format === FORMAT && entry.id === this._id && typeof entry.revision === 'number' && datafile?.revision === entry.revision) {
        this._written = entry.revision;
        return datafile;
      }
    } catch {
      // storage that throws, or not JSON
    }
    if (text != null) this._logger.debug('ignored an unreadable datafile cache entry');
    this._remove();
    return null;
  }

  /** Saves `datafile` (skipped when its revision is already saved); one that cannot be saved removes the older entry. */
  write(datafile: object, revision: number | null): void {
    if (this._storage === null || revision === null || revision === this._written) return;
    try {
      const text = JSON.stringify({ format: FORMAT, id: this._id, revision, datafile });
      if (text.length > MAX_CACHE_CHARS) throw new Error(`${text.length} characters is too large`);
      this._storage.setItem(this._name, text);
      this._written = revision;
    } catch (e) {
      // the older entry would serve the next visit a stale datafile
      this._logger.debug(`could not cache the datafile: ${describeError(e)}`);
      this._remove();
    }
  }

  private _remove(): void {
    try {
      this._storage?.removeItem(this._name);
    } catch {
      // nothing to do
    }
  }
}

/** `localStorage`, or `null` where it is missing or access throws (blocked storage). */
export function pageStorage(): StorageLike | null {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? null;
  } catch {
    return null;
  }
}

/** 32-bit FNV-1a as 8 hex digits: names the entry without writing the key. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
