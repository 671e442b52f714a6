import type { JsonValue, ServeDefinition } from '@avsb/core';
import { TestDataError, canonical, checkJson, cloneJson, show } from './values';

/** One variation of a rollout: the value served and its share in percent (`50` is half). */
export interface RolloutWeight {
  value: JsonValue;
  /** Percent, up to three decimals; the weights of a rollout add up to 100. */
  weight: number;
}

/** How a rollout buckets contexts (SPEC.md §1 "Serve"). */
export interface RolloutOptions {
  /** `'experiment'` makes the evaluations count for an experiment (`inExperiment`). Default `'rollout'`. */
  kind?: 'rollout' | 'experiment';
  /** The kind of context bucketed. Default `'user'`. */
  contextKind?: string;
  /** The attribute bucketed by. Default `'key'`. */
  bucketBy?: string;
  /** The salt of the buckets. Default the flag's salt (its key). */
  salt?: string;
  /** Experiments only: the percent of contexts in the experiment. Default 100. */
  trafficAllocation?: number;
  /** Experiments only: what contexts outside the traffic allocation get (required below 100 %). */
  untrackedValue?: JsonValue;
}

/** A rollout by value, weights in the datafile's units (1/100000). */
export interface RolloutSpec {
  readonly kind: 'rollout' | 'experiment';
  readonly contextKind?: string;
  readonly bucketBy?: string;
  readonly salt?: string;
  readonly variations: readonly { readonly value: JsonValue; readonly weight: number }[];
  readonly trafficAllocation?: number;
  readonly untrackedValue?: JsonValue;
}

/** What a rule or the fallthrough serves, by value; turned into variation indexes by `build()`. */
export type ServeSpec = { readonly value: JsonValue } | { readonly rollout: RolloutSpec };

const UNITS = 100_000;

function units(percent: number, what: string): number {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new TestDataError(`${what}: must be a percentage from 0 to 100, not ${show(percent)}`);
  }
  return Math.round(percent * 1000);
}

/** A rollout from the builder's arguments (percent), checked. */
export function rolloutSpec(weights: readonly RolloutWeight[], options: RolloutOptions, what: string): RolloutSpec {
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new TestDataError(`${what}: give at least one { value, weight } (weights in percent, adding up to 100)`);
  }
  const variations = weights.map((w, i) => ({
    value: cloneJson(w?.value, `${what}[${i}].value`),
    weight: units(w?.weight, `${what}[${i}].weight`),
  }));
  const total = variations.reduce((sum, v) => sum + v.weight, 0);
  if (total !== UNITS) {
    throw new TestDataError(`${what}: the weights add up to ${total / 1000} %, not 100 %`);
  }
  const kind = options.kind ?? 'rollout';
  if (kind !== 'rollout' && kind !== 'experiment') throw new TestDataError(`${what}: kind must be 'rollout' or 'experiment'`);
  const spec: { -readonly [K in keyof RolloutSpec]: RolloutSpec[K] } = { kind, variations };
  if (options.contextKind !== undefined) spec.contextKind = options.contextKind;
  if (options.bucketBy !== undefined) spec.bucketBy = options.bucketBy;
  if (options.salt !== undefined) spec.salt = options.salt;
  if (options.trafficAllocation !== undefined) spec.trafficAllocation = units(options.trafficAllocation, `${what}: trafficAllocation`);
  if (options.untrackedValue !== undefined) spec.untrackedValue = cloneJson(options.untrackedValue, `${what}: untrackedValue`);
  return spec;
}

/** Maps values to the indexes of a flag's variations. */
export class VariationIndex {
  private readonly _byValue = new Map<string, number>();

  constructor(
    private readonly _flagKey: string,
    private readonly _variations: readonly JsonValue[],
  ) {
    _variations.forEach((v, i) => {
      if (!this._byValue.has(canonical(v))) this._byValue.set(canonical(v), i);
    });
  }

  of(value: JsonValue, where: string): number {
    checkJson(value, `flag "${this._flagKey}": ${where}`);
    const index = this._byValue.get(canonical(value));
    if (index === undefined) {
      throw new TestDataError(
        `flag "${this._flagKey}": ${where} ${show(value)} is not one of its variations ${show(this._variations)}; ` +
          'list every value the flag serves with .variations(...) (or use .booleanFlag())',
      );
    }
    return index;
  }

  serve(spec: ServeSpec, where: string): ServeDefinition {
    if ('value' in spec) return { variation: this.of(spec.value, where) };
    const r = spec.rollout;
    const rollout: Extract<ServeDefinition, { rollout: unknown }>['rollout'] = {
      kind: r.kind,
      variations: r.variations.map((v) => ({ variation: this.of(v.value, `${where} rollout value`), weight: v.weight })),
    };
    if (r.contextKind !== undefined) rollout.contextKind = r.contextKind;
    if (r.bucketBy !== undefined) rollout.bucketBy = r.bucketBy;
    if (r.salt !== undefined) rollout.salt = r.salt;
    if (r.trafficAllocation !== undefined) rollout.trafficAllocation = r.trafficAllocation;
    if (r.untrackedValue !== undefined) rollout.untrackedVariation = this.of(r.untrackedValue, `${where} untracked value`);
    return { rollout };
  }
}

/** The inverse of `VariationIndex.serve`, for flags given as datafile JSON. */
export function serveSpecOf(serve: ServeDefinition, variations: readonly JsonValue[]): ServeSpec {
  const value = (index: number): JsonValue => variations[index] as JsonValue;
  if ('variation' in serve) return { value: value(serve.variation) };
  const r = serve.rollout;
  const spec: { -readonly [K in keyof RolloutSpec]: RolloutSpec[K] } = {
    kind: r.kind ?? 'rollout',
    variations: r.variations.map((v) => ({ value: value(v.variation), weight: v.weight })),
  };
  if (r.contextKind !== undefined) spec.contextKind = r.contextKind;
  if (r.bucketBy !== undefined) spec.bucketBy = r.bucketBy;
  if (r.salt !== undefined) spec.salt = r.salt;
  if (r.trafficAllocation !== undefined) spec.trafficAllocation = r.trafficAllocation;
  if (r.untrackedVariation !== undefined) spec.untrackedValue = value(r.untrackedVariation);
  return { rollout: spec };
}
