/** One schema migration of the SQLite store; applied in `version` order, each once. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL statements, run in the migration's transaction. */
  readonly sql: string;
}
