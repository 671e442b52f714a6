import type { ExperimentUnits } from './experiment-units';

/** How long new events wait before they are folded into the experiment aggregates, ms: one fold for many batches. */
const FOLD_DELAY_MS = 200;

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * When the store folds stored events into the experiment aggregates
 * ({@link ExperimentUnits.fold}): a little after a batch arrives (once for
 * many batches), and before a results request reads them; one pass at a
 * time, a step (a transaction of about 20 ms) at a time, yielding between
 * steps.
 */
export class FoldScheduler {
  private _folding: Promise<void> | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _closed = false;

  constructor(private readonly _units: ExperimentUnits) {}

  /** Folds new events a little later, once for many batches. */
  schedule(): void {
    if (this._timer !== null || this._closed) return;
    this._timer = setTimeout(() => {
      this._timer = null;
      this.catchUp().catch(() => undefined);
    }, FOLD_DELAY_MS);
    this._timer.unref();
  }

  /** Folds every event stored so far; joins the pass under way, if any. */
  catchUp(): Promise<void> {
    if (this._folding) return this._folding;
    const fold = async (): Promise<void> => {
      while (!this._closed && !this._units.fold()) await yieldToIo();
    };
    const folding = fold().finally(() => {
      if (this._folding === folding) this._folding = null;
    });
    this._folding = folding;
    return folding;
  }

  /** Folds every event stored before this call: a pass that starts after it (a pass under way may have begun before). */
  async catchUpFromNow(): Promise<void> {
    if (this._folding) await this._folding.catch(() => undefined);
    await this.catchUp();
  }

  /** Stops between two steps; nothing is scheduled any more. */
  close(): void {
    this._closed = true;
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
  }
}
