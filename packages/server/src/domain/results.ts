import { isObject } from '@avsb/common';
import { AvsbError, notFound } from '../errors';
import type { EnvironmentSnapshot, JsonObject } from '../storage/records';
import type { Store } from '../storage/store';
import type { ExperimentResults, VariationInfo } from '../stats';
import { ResultsTally } from '../stats';

/** The experiment of a flag: the context kind it buckets and its variations (control first). */
export interface FlagExperiment {
  readonly contextKind: string;
  readonly variations: VariationInfo[];
}

/**
 * Finds a flag's experiment rollout — the fallthrough's if it is one, else
 * the first rule whose serve is an experiment rollout — or null.
 */
export function flagExperiment(flag: JsonObject): FlagExperiment | null {
  const serves: unknown[] = [flag.fallthrough];
  if (Array.isArray(flag.rules)) for (const rule of flag.rules) if (isObject(rule)) serves.push(rule.serve);
  const variations = Array.isArray(flag.variations) ? flag.variations : [];
  for (const serve of serves) {
    const rollout = isObject(serve) && isObject(serve.rollout) ? serve.rollout : null;
    if (!rollout || rollout.kind !== 'experiment' || !Array.isArray(rollout.variations)) continue;
    return {
      contextKind: typeof rollout.contextKind === 'string' ? rollout.contextKind : 'user',
      variations: rollout.variations.filter(isObject).map((v) => ({
        variation: Number(v.variation),
        value: variations[Number(v.variation)],
        weight: Number(v.weight),
      })),
    };
  }
  return null;
}

/**
 * Results of a flag's experiment for a metric: its units (context keys of
 * the rollout's context kind, from in-experiment exposures of the flag) and
 * their custom events named `metric`, as the store's aggregates attribute
 * them, through the statistics module.
 */
export async function flagResults(
  store: Store,
  snapshot: EnvironmentSnapshot,
  flagKey: string,
  metric: string,
): Promise<ExperimentResults> {
  const flag = snapshot.flags.find((f) => f.key === flagKey);
  if (!flag) throw notFound(`flag "${flagKey}" not found`);
  const experiment = flagExperiment(flag.data);
  if (!experiment) {
    throw new AvsbError('invalid_request', `flag "${flagKey}" has no experiment rollout (a serve with "kind": "experiment")`);
  }
  const tally = new ResultsTally(experiment.variations);
  for await (const units of store.experimentUnits(snapshot.environment.id, flagKey, experiment.contextKind, metric)) {
    for (const unit of units) tally.add(unit);
  }
  return tally.results(flagKey, metric);
}
