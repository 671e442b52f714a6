// What the paired passes share: the in-process ones' (sdk/paired.ts, bulk-paired.ts, worst-paired.ts) measure, CPU
// time per operation (sdk/paired.ts says why: on a shared machine CPU time, which a descheduled process does not
// accumulate, moves by a few per cent where wall time moves by 2–10×), and the command line of those and of the
// fresh-process runner (fresh-paired.ts).

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

/** A paired pass's command line: `[--rounds N] [--rows a,b] [--<option> value]… label=/path/to/tree …`. */
export interface PairedArgs<R extends string> {
  rounds: number;
  rows: R[];
  trees: { label: string; root: string }[];
  /** The values of the pass's own options (`--binaries engine,evaluator`), by name without the dashes. */
  options: Map<string, string>;
}

/** Parses a paired pass's command line; `usage` is the pass's own line, thrown with what was wrong. */
export function parsePairedArgs<R extends string>(
  argv: readonly string[],
  pass: { rows: readonly R[]; defaultRows: R[]; options?: readonly string[]; defaultRounds?: number; usage: string },
): PairedArgs<R> {
  const args: PairedArgs<R> = { rounds: pass.defaultRounds ?? 6, rows: pass.defaultRows, trees: [], options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--rounds') args.rounds = Number(argv[++i]);
    else if (arg === '--rows') {
      args.rows = (argv[++i] ?? '').split(',') as R[];
      for (const row of args.rows) if (!pass.rows.includes(row)) throw new Error(`--rows: unknown row ${row} (one of ${pass.rows.join(', ')})`);
    } else if (arg.startsWith('--') && pass.options?.includes(arg.slice(2))) args.options.set(arg.slice(2), argv[++i] ?? '');
    else {
      const at = arg.indexOf('=');
      if (at <= 0) throw new Error(`expected label=/path/to/tree, got ${arg}`);
      args.trees.push({ label: arg.slice(0, at), root: arg.slice(at + 1) });
    }
  }
  if (!(args.rounds >= 1) || args.trees.length === 0) throw new Error(`usage: ${pass.usage}`);
  return args;
}
