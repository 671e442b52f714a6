// What cold-load.ts, cold-load-evaluator.ts and cold-load-node.ts print: one `COLDLOAD {json}` line per fresh process, read by run.ts and fresh-paired.ts.

/** Rows of the report: a fresh process's `create` + first `load`, and a later `load` of the same text. */
export interface ColdLoadRow {
  readonly flags: number;
  readonly bytes: number;
  readonly firstLoadMs: number;
  readonly importMs: number;
  readonly reloadMs: number;
  /** CPU time of `createSync` + the first `load`, and of the second `load`. */
  readonly firstLoadCpuMs: number;
  readonly reloadCpuMs: number;
}

/** The clock readings of one process: before and after `import()` (t0, t1), around the first load (t1, t2) and the second (t3, t4). */
export interface ColdLoadClock {
  readonly t0: bigint;
  readonly t1: bigint;
  readonly t2: bigint;
  readonly t3: bigint;
  readonly t4: bigint;
  readonly firstCpu: NodeJS.CpuUsage;
  readonly reloadCpu: NodeJS.CpuUsage;
}

/** Prints the process's row for run.ts. */
export function printColdLoadRow(flags: number, text: string, c: ColdLoadClock): void {
  const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e3;
  const row: ColdLoadRow = {
    flags,
    bytes: Buffer.byteLength(text),
    importMs: ms(c.t0, c.t1),
    firstLoadMs: ms(c.t1, c.t2),
    reloadMs: ms(c.t3, c.t4),
    firstLoadCpuMs: cpuMs(c.firstCpu),
    reloadCpuMs: cpuMs(c.reloadCpu),
  };
  process.stdout.write(`COLDLOAD ${JSON.stringify(row)}\n`);
}
