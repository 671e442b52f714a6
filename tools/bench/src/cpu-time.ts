// CPU time per operation, the measure of the paired passes (sdk/paired.ts says why: on a shared machine CPU time,
// which a descheduled process does not accumulate, moves by a few per cent where wall time moves by 2–10×).

/** The process's CPU time (user + system) in ns. */
export const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

/** A full collection when the process runs with `--expose-gc`, else nothing. */
export const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs operations `start` … `start + count - 1` and returns how many ran. */
export type TimedBody = (start: number, count: number) => number | Promise<number>;

/** How long {@link cpuTime} warms up and runs, in ms of CPU, and how many runs it takes the best of. */
export interface CpuTimePlan {
  warmupMs: number;
  runMs: number;
  runs: number;
}

/**
 * CPU ns per operation: the best of `plan.runs` runs of ≈ `plan.runMs` after a warm-up that calibrates them;
 * `after` (e.g. a flush) runs after each call of `body`, inside the timing.
 */
export async function cpuTime(body: TimedBody, plan: CpuTimePlan, after?: () => Promise<void>): Promise<number> {
  let block = 0;
  let step = 1;
  let spent = 0;
  while (spent < plan.warmupMs * 1e6) {
    const t0 = cpuNs();
    await body(block, step);
    await after?.();
    spent += cpuNs() - t0;
    block += step;
    step = Math.min(step * 2, 4096);
  }
  const perRun = Math.max(1, Math.ceil((block * plan.runMs * 1e6) / spent));
  let best = Infinity;
  for (let r = 0; r < plan.runs; r++) {
    gc();
    const t0 = cpuNs();
    const ops = await body(block, perRun);
    await after?.();
    best = Math.min(best, (cpuNs() - t0) / ops);
    block += perRun;
  }
  return best;
}
