import { clampDelay } from './delay';
import { standardNow, standardRandom } from './global-platform';

/** The defaults of {@link Backoff}, shared by streaming, polling and event delivery. */
export const BACKOFF_DEFAULTS = {
  /** The first delay (before jitter). */
  initialMs: 1_000,
  /** The longest delay. */
  maxMs: 30_000,
  /** A connection up at least this long starts the next failure's backoff from `initialMs` again. */
  resetAfterMs: 60_000,
} as const;

/**
 * The delay before retry number `attempt` (0 for the first): exponential,
 * `d = min(maxMs, initialMs × 2^attempt)`, with jitter that keeps it in
 * `(d/2, d]` so that clients failing together spread out without any of
 * them retrying early. Clamped by `clampDelay`.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.min(Math.max(Math.floor(attempt) || 0, 0), 30);
  const base = clampDelay(Math.min(maxMs, initialMs * 2 ** exponent));
  let r = random();
  if (!(r >= 0 && r < 1)) r = 0.5; // a broken random source must not make the delay 0 or negative
  return base - (base / 2) * r;
}

/** Options of {@link Backoff}; every one has a default ({@link BACKOFF_DEFAULTS}). */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  resetAfterMs?: number;
  /** Jitter source in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /** Epoch milliseconds, for `resetAfterMs`. Default `Date.now`. */
  now?: () => number;
}

/**
 * The first and the longest delay of `options` as {@link Backoff} takes them: a value that is not a positive number
 * takes its default, both are clamped by `clampDelay`, and the longest is never shorter than the first. For a
 * sequence kept elsewhere (a server's stream: `PageDataSource`'s reconnects).
 */
export function backoffFigures(options: Pick<BackoffOptions, 'initialMs' | 'maxMs'>): { initialMs: number; maxMs: number } {
  const initialMs = clampDelay(positive(options.initialMs, BACKOFF_DEFAULTS.initialMs));
  return { initialMs, maxMs: Math.max(initialMs, clampDelay(positive(options.maxMs, BACKOFF_DEFAULTS.maxMs))) };
}

/**
 * Exponential backoff with jitter for reconnecting: `next()` gives each delay
 * ({@link backoffDelay}); `connected()` marks a connection as working. The
 * sequence starts over only when the connection that worked stayed up
 * `resetAfterMs` (60 s), so a server that accepts and drops connections at
 * once is not retried at the initial rate forever.
 */
export class Backoff {
  private _attempt = 0;
  private _upSince: number | null = null;
  private readonly _initialMs: number;
  private readonly _maxMs: number;
  private readonly _resetAfterMs: number;
  private readonly _random: () => number;
  private readonly _now: () => number;

  constructor(options: BackoffOptions = {}) {
    ({ initialMs: this._initialMs, maxMs: this._maxMs } = backoffFigures(options));
    this._resetAfterMs = positive(options.resetAfterMs, BACKOFF_DEFAULTS.resetAfterMs);
    this._random = options.random ?? standardRandom;
    this._now = options.now ?? standardNow;
  }

  /** The delay before the next attempt; each call doubles it up to the cap. */
  next(): number {
    if (this._upSince !== null && this._now() - this._upSince >= this._resetAfterMs) this._attempt = 0;
    this._upSince = null;
    return backoffDelay(this._attempt++, this._initialMs, this._maxMs, this._random);
  }

  /** The connection works (from now on, unless it already did): see `resetAfterMs`. */
  connected(): void {
    this._upSince ??= this._now();
  }

  /** How many delays were handed out since the sequence last started over. */
  get attempts(): number {
    return this._attempt;
  }

  /** Starts over at once (after a success that needs no proof of stability, such as a good poll). */
  reset(): void {
    this._attempt = 0;
    this._upSince = null;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
