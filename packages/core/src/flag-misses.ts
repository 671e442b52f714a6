import { developmentOnly } from './development-only';
import type { PageStore } from './page-store';
import type { LogOnce } from './logger';

// Reads of a flag key the datafile does not have: usually a misspelling, which
// would otherwise return the default silently. Everything here runs on the miss
// path only; a read of an existing flag never gets here.

/** How many distinct unknown keys are logged, and how many messages are kept per datafile. */
export const MAX_REMEMBERED_MISSES = 1000;
/** Keys longer than this get no suggestion (bounds the cost of one miss), and are remembered and shown cut. */
const MAX_SUGGESTED_LENGTH = 200;

/**
 * Logs, per client, each unknown flag key read once (at most
 * `MAX_REMEMBERED_MISSES` of them, so a stream of made-up keys cannot grow
 * memory), and gives each read a message that the `…Details` reads return as
 * `errorMessage`: in development builds and on servers it names the nearest
 * existing key.
 */
export class FlagMisses {
  private readonly _logOnce: LogOnce;
  // a page's production build names no nearest key (its search is ≈ 0.28 KB of gzipped JS), so it has no search to
  // remember either: its message is two lookups, made again at each miss (48 B of gzipped JS less than a memory of them)
  private readonly _suggestions = developmentOnly(new Suggestions());

  constructor(logOnce: LogOnce) {
    this._logOnce = logOnce;
  }

  /** The message for a read of `key`, which `store`'s datafile lacks; logged at `warn` the first time. */
  miss(key: string, store: PageStore): string {
    // a long key is shown by its start only, so memory stays bounded by length too
    const shown = key.length > MAX_SUGGESTED_LENGTH ? `${key.slice(0, MAX_SUGGESTED_LENGTH)}…` : key;
    const text = this._suggestions?.message(key, shown, store) ?? notFoundMessage(shown, store);
    this._logOnce.log('warn', shown, `${text}; returning the default (ERROR/FLAG_NOT_FOUND; logged once per key)`);
    return text;
  }
}

/** The messages naming the nearest key, remembered per datafile: a search is worth doing once per key. */
class Suggestions {
  private readonly _messages = new Map<string, string>();
  private _generation = -1;

  /** `key`'s message (`shown`: the key as shown), naming the nearest key of `store`'s datafile. */
  message(key: string, shown: string, store: PageStore): string {
    if (store.generation !== this._generation) {
      // another datafile: the nearest key may have changed
      this._generation = store.generation;
      this._messages.clear();
    }
    let text = this._messages.get(shown);
    if (text === undefined) {
      const room = this._messages.size < MAX_REMEMBERED_MISSES;
      text = notFoundMessage(shown, store);
      // a long key gets no suggestion (bounds the cost of one miss), nor does one past the limit
      if (room && shown === key) text = withNearestKey(text, key, store.datafile?.flags ?? []);
      if (room && shown === key && !text.endsWith('?')) text += clientSideNote(key, store.datafile?.flags ?? []);
      if (room) this._messages.set(shown, text);
    }
    return text;
  }
}

/** The message for `shown` (the key read, cut when long), without a suggestion. */
function notFoundMessage(shown: string, store: PageStore): string {
  const flags = store.datafile?.flags ?? [];
  const revision = store.revision;
  return `flag ${JSON.stringify(shown)} is not in the datafile${revision === null ? '' : ` (revision ${revision}, ${flags.length} flag${flags.length === 1 ? '' : 's'})`}`;
}

/**
 * Why a flag the dashboard shows can be missing, when every flag of the datafile is client-side, as in a client-side
 * key's datafile (a page's): the key is most likely a server-only flag. Development builds and servers only (a page's
 * production build has no `Suggestions`); true of a server whose flags are all client-side too.
 */
function clientSideNote(key: string, flags: readonly { key: string; clientSide?: boolean }[]): string {
  if (flags.length === 0 || !flags.every((f) => f.clientSide === true)) return '';
  return ` (every flag of this datafile is marked client-side, and a client-side key receives no other: if ${JSON.stringify(key)} is a server-only flag, read it on the server or mark it client-side)`;
}

/** `text` naming the key of `flags` nearest to `key`, or saying there is none. */
function withNearestKey(text: string, key: string, flags: readonly { key: string }[]): string {
  const nearest = nearestKey(
    key,
    flags.map((f) => f.key),
  );
  return nearest === null ? `${text}, nor any key close to it` : `${text}; did you mean ${JSON.stringify(nearest)}?`;
}

/** Work one suggestion may do (cells of the distance tables), so a miss costs at most a few milliseconds however many flags. */
const SUGGESTION_BUDGET = 4_000_000;

/**
 * The key of `keys` closest to `key`: equal but for case, else the smallest
 * edit distance (insertions, deletions, substitutions) within a third of the
 * key's length (at least 2); `null` when none is that close. Ties go to the
 * first key. The distance is worked out by dynamic programming, cut short
 * once a row cannot beat the best so far: a miss is rare and its message
 * remembered, so the smallest code beats a bit-parallel one here.
 */
export function nearestKey(key: string, keys: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  let budget = SUGGESTION_BUDGET;
  for (const candidate of keys) {
    if (typeof candidate !== 'string' || candidate === key) continue;
    if (Math.abs(candidate.length - key.length) >= bestDistance) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    budget -= key.length * candidate.length;
    if (budget < 0) break;
    const d = editDistance(key, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance of `a` and `b`, or `limit` once it is known to be `limit` or more. */
export function editDistance(a: string, b: string, limit: number): number {
  // one row of the table, updated in place: `diagonal` holds the cell the row overwrote last
  const row: number[] = [];
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    let rowMin = (row[0] = i);
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const d = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      row[j] = d;
      diagonal = above;
      if (d < rowMin) rowMin = d;
    }
    // every later row is at least this row's minimum
    if (rowMin >= limit) return limit;
  }
  return Math.min(row[b.length]!, limit);
}
