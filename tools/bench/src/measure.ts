// Plain process.hrtime.bigint() timing: a warm-up, a calibration, then RUNS
// timed runs of at least RUN_MS each (so ≥ 1 s per row); the median is reported.

/** Runs `count` blocks starting at block `start`; returns how many operations that was. */
export type Body = (start: number, count: number) => number | Promise<number>;

export interface Timing {
  /** Median ns per operation over the runs. */
  ns: number;
  /** ns per operation of every run. */
  runs: number[];
  /** Operations per run. */
  opsPerRun: number;
}

export const RUNS = 5;
export const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 250);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 300);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

export async function time(body: Body): Promise<Timing> {
  let block = 0;
  // Warm-up, which also calibrates how many blocks make RUN_MS.
  let blocks = 0;
  let elapsed = 0n;
  let step = 1;
  const warmupNs = BigInt(WARMUP_MS) * 1_000_000n;
  while (elapsed < warmupNs) {
    const t0 = process.hrtime.bigint();
    await body(block, step);
    elapsed += process.hrtime.bigint() - t0;
    block += step;
    blocks += step;
    step = Math.min(step * 2, 4096);
  }
  const perRun = Math.max(1, Math.ceil((blocks * RUN_MS * 1e6) / Number(elapsed)));
  const runs: number[] = [];
  let opsPerRun = 0;
  for (let r = 0; r < RUNS; r++) {
    gc();
    const t0 = process.hrtime.bigint();
    opsPerRun = await body(block, perRun);
    const ns = Number(process.hrtime.bigint() - t0);
    runs.push(ns / opsPerRun);
    block += perRun;
  }
  return { ns: median(runs), runs, opsPerRun };
}

/** Folds a result into a number so that no evaluation can be optimised away. */
export function sinkOf(v: unknown): number {
  switch (typeof v) {
    case 'boolean':
      return v ? 1 : 2;
    case 'number':
      return v | 0;
    case 'string':
      return v.length;
    default:
      return v == null ? 0 : 3;
  }
}
