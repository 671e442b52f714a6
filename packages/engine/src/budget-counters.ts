/** The engine's work-budget counters (ABI.md, "Work budget"; SPEC.md §10). */
export interface BudgetCounters {
  /** Evaluations that ran out of their work budget and answered `ERROR`/`EVALUATION_BUDGET`. */
  readonly evaluations: number;
  /** `matches` clauses that ran out of their own regex step budget and did not match. */
  readonly regexClauses: number;
}
