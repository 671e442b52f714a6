/**
 * Exponential backoff with full jitter: the n-th delay is uniform in
 * [0, min(max, initial × 2^n)).
 */
export class Backoff {
  private _attempt = 0;

  constructor(
    private readonly _initialMs: number,
    private readonly _maxMs: number,
    private readonly _random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the ceiling up to the cap. */
  next(): number {
    const ceiling = Math.min(this._maxMs, this._initialMs * 2 ** Math.min(this._attempt, 30));
    this._attempt++;
    return Math.floor(this._random() * ceiling);
  }

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this._attempt;
  }

  reset(): void {
    this._attempt = 0;
  }
}
