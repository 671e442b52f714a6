// Test support: experiment events as the SDK protocol stores them, generated
// from a seed, and today's attribution of them (experimentResults over the
// rows the store used to read) to compare the store's aggregates with.
import type { EnvironmentId, EventInput, ExperimentUnit } from '../../src/storage/records';
import type { Store } from '../../src/storage/store';
import type { ConversionRow, ExposureRow } from '../../src/stats';

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exposure event as the event schema stores it. */
export function exposureInput(contextKeys: Record<string, string>, flag: string, variation: number, time: number, inExperiment = true): EventInput {
  const event = { kind: 'exposure', time, contextKeys, flag, variation, inExperiment };
  return { kind: 'exposure', time, key: flag, variation, inExperiment, value: null, contextKeys, json: JSON.stringify(event) };
}

/** A custom event as the event schema stores it. */
export function customInput(contextKeys: Record<string, string>, key: string, time: number, value: number | null): EventInput {
  const event = value === null ? { kind: 'custom', time, contextKeys, key } : { kind: 'custom', time, contextKeys, key, value };
  return { kind: 'custom', time, key, variation: null, inExperiment: false, value, contextKeys, json: JSON.stringify(event) };
}

/** Shape of a generated workload. */
export interface WorkloadShape {
  readonly users: number;
  readonly events: number;
  /** Share of users with an org (multi-kind contexts). */
  readonly orgShare?: number;
}

/**
 * Events of flags `exp-a` / `exp-b` and metrics `purchase` / `signup` with
 * everything attribution has to get right: repeated and out-of-order
 * exposures, crossovers, conversions before the first exposure, events
 * without values, exposures outside the experiment, multi-kind contexts.
 */
export function experimentWorkload(seed: number, shape: WorkloadShape): EventInput[] {
  const random = prng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const events: EventInput[] = [];
  const T0 = 1_764_072_000_000;
  for (let i = 0; i < shape.events; i++) {
    const u = pick(shape.users);
    const keys: Record<string, string> = { user: `u${u}` };
    if (random() < (shape.orgShare ?? 0.2)) keys.org = `o${u % 37}`;
    const time = T0 + pick(100_000);
    const r = random();
    if (r < 0.55) {
      const flag = random() < 0.7 ? 'exp-a' : 'exp-b';
      // mostly the user's own variation, sometimes another (a crossover), sometimes a third one missing from the rollout
      const own = u % 2;
      const variation = random() < 0.95 ? own : random() < 0.8 ? 1 - own : 2;
      events.push(exposureInput(keys, flag, variation, time, random() < 0.9));
    } else {
      const metric = random() < 0.8 ? 'purchase' : 'signup';
      const value = random() < 0.7 ? pick(20_000) / 100 : null; // cents: sums depend on their order
      events.push(customInput(keys, metric, time, value));
    }
  }
  return events;
}

/** The rows `flagResults` read from the events before the aggregates, in stored order. */
export function attributionRows(
  events: readonly EventInput[],
  flag: string,
  kind: string,
  metric: string,
): { exposures: ExposureRow[]; conversions: ConversionRow[] } {
  const exposures: ExposureRow[] = [];
  const conversions: ConversionRow[] = [];
  for (const e of events) {
    const contextKey = e.contextKeys?.[kind];
    if (contextKey === undefined || e.time === null) continue;
    if (e.kind === 'exposure' && e.key === flag && e.inExperiment && e.variation !== null) {
      exposures.push({ contextKey, variation: e.variation, time: e.time });
    } else if (e.kind === 'custom' && e.key === metric) {
      conversions.push({ contextKey, time: e.time, value: e.value });
    }
  }
  return { exposures, conversions };
}

/** Every unit the store gives for an experiment, in its order. */
export async function allUnits(store: Store, env: EnvironmentId, flag: string, kind: string, metric: string): Promise<ExperimentUnit[]> {
  const all: ExperimentUnit[] = [];
  for await (const units of store.experimentUnits(env, flag, kind, metric)) all.push(...units);
  return all;
}
