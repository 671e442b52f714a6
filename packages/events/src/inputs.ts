import { isObject } from '@avsb/common';
import type { ValidatedContext } from '@avsb/common';
import { MAX_VARIATIONS } from '@avsb/protocol';
import type { PendingCustom } from './queued-event';
import type { ContextKeys } from './wire';

/**
 * A context as the engine takes it (SPEC.md §2): `{ kind?, key, …attributes }`
 * or `{ kind: "multi", <kind>: { key, … }, … }`. `_meta.privateAttributes`
 * lists references never to send. Typed as any object so that application
 * interfaces fit; the shape is checked when recording.
 */
export type EventContext = object;

/** A flag evaluation, as given to {@link EventPipeline.recordExposure}. */
export interface ExposureInput {
  /** The flag key (1–256 characters). */
  readonly flag: string;
  /** The variation index served (0–4093), or `null` when the caller's default was served. */
  readonly variation: number | null;
  /** The evaluation reason's name (`RULE_MATCH`, `FALLTHROUGH`, … see the engine's SPEC.md). */
  readonly reason?: string;
  /** Whether the evaluation counts for an experiment (its exposures are what results count). */
  readonly inExperiment?: boolean;
  readonly context: EventContext;
  /**
   * `validateContext(context)` of `@avsb/common`, when the caller has it (a
   * scoped client validates its context once): not validated again. Ignored
   * unless its `context` is this `context`.
   */
  readonly identity?: ValidatedContext;
  /** The datafile revision the evaluation used. */
  readonly revision?: number;
}

/** A `track` call, as given to {@link EventPipeline.recordCustom}. */
export interface CustomEventInput {
  /** The event key (1–256 characters), e.g. `purchase`. */
  readonly key: string;
  /** A finite number, e.g. an amount (results sum it). */
  readonly value?: number | null;
  /** Any JSON object; copied when the batch is sent, so do not mutate it after the call. */
  readonly properties?: object | null;
  readonly context: EventContext;
  /** As {@link ExposureInput.identity}. */
  readonly identity?: ValidatedContext;
}

/** Flag and event keys: 1–256 characters (the server's limit). */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

/** A revision: an integer ≥ 0. */
export function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The largest variation index: a flag has at most `MAX_VARIATIONS` (4094) variations (the engine's SPEC.md, "Limits"). */
export const MAX_VARIATION_INDEX = MAX_VARIATIONS - 1;

/** A variation index: an integer in [0, 4093]. */
export function isVariationIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_VARIATION_INDEX;
}

/** What is wrong with a custom event's `key`, `value` and `properties`, or `undefined`. */
export function customProblem(input: CustomEventInput): string | undefined {
  const { value, properties } = input;
  if (!isName(input.key)) return 'key must be a string of 1–256 characters';
  if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
    return 'value: must be a finite number';
  }
  if (properties != null && !isObject(properties)) {
    return 'properties: must be an object';
  }
  return undefined;
}

/** The `custom` event of a checked `track` input as queued (both pipelines queue the same one). */
export function customEvent(input: CustomEventInput, contextKeys: ContextKeys, time: number): PendingCustom {
  return {
    kind: 'custom',
    time,
    contextKeys,
    key: input.key,
    value: input.value ?? undefined,
    properties: input.properties ?? undefined,
  };
}
