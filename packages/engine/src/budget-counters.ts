import type { EngineExports } from './exports';

/** The engine's work-budget counters (ABI.md, "Work budget"; SPEC.md §10). */
export interface BudgetCounters {
  /** Evaluations that ran out of their work budget and answered `ERROR`/`EVALUATION_BUDGET`. */
  readonly evaluations: number;
  /** `matches` clauses that ran out of their own regex step budget and did not match. */
  readonly regexClauses: number;
}

/**
 * Sums the counters over every instance an engine has used: an instance
 * built after a trap counts from 0, so the replaced one's counts are kept.
 */
export class BudgetCounterTotals {
  private _evaluations = 0;
  private _regexClauses = 0;

  /** Keeps the counts of an instance about to be replaced (none before the first). */
  _retire(x: EngineExports | undefined): void {
    if (x === undefined) return;
    try {
      this._evaluations += x.avsb_budget_exhaustions() >>> 0;
      this._regexClauses += x.avsb_regex_budget_exhaustions() >>> 0;
    } catch {
      // a trapped instance that cannot answer even this: its counts are lost
    }
  }

  /** The totals, with the live instance's counts (u32 in the engine, hence `>>> 0`). */
  _read(x: EngineExports): BudgetCounters {
    return {
      evaluations: this._evaluations + (x.avsb_budget_exhaustions() >>> 0),
      regexClauses: this._regexClauses + (x.avsb_regex_budget_exhaustions() >>> 0),
    };
  }
}
