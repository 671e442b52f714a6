import { MAX_DELAY_MS } from '@avsb/common';
import type { EventPipelineBaseOptions } from './event-pipeline-base';
import { DEFAULTS, EVENTS_VERSION, MAX_BATCH_EVENTS } from './options';
import type { SdkInfo } from './wire';

/** The numeric options with a limit (the rest have none). */
const LIMITS: Partial<Record<string, number>> = {
  batchSize: MAX_BATCH_EVENTS,
  retryInitialDelayMs: MAX_DELAY_MS,
  retryMaxDelayMs: MAX_DELAY_MS,
  maxRetryAfterMs: MAX_DELAY_MS,
};

type Numeric = Exclude<keyof typeof DEFAULTS, 'exposures'>;

/** The options of {@link PageEventPipeline} with their defaults applied (`resolveOptions` without what a page leaves out). */
export type PageOptions = { -readonly [K in Numeric]: number } & {
  dedupeWindowMs: number;
  sdk: SdkInfo;
};

/**
 * Applies the defaults of `EventPipeline` (README, "Options") as
 * `resolveOptions` does, by one rule for every number: a value that is not a
 * number ≥ 1 takes its default, and a value over its limit the limit; counts
 * and delays alike are whole numbers. Private attributes are the redactor's
 * to read, straight from `options`.
 */
export function pageOptions(options: EventPipelineBaseOptions): PageOptions {
  const given = Object(options) as Record<string, unknown> & EventPipelineBaseOptions;
  const out = {} as PageOptions;
  for (const name in DEFAULTS) if (name !== 'exposures') out[name as Numeric] = whole(given[name], DEFAULTS[name as Numeric], LIMITS[name]);
  out.dedupeWindowMs = whole(given.dedupeWindowMs, out.flushIntervalMs);
  out.retryMaxDelayMs = Math.max(out.retryMaxDelayMs, out.retryInitialDelayMs);
  const sdk = given.sdk;
  out.sdk =
    typeof sdk?.name === 'string' && typeof sdk.version === 'string'
      ? { name: sdk.name, version: sdk.version }
      : { name: '@avsb/events', version: EVENTS_VERSION };
  return out;
}

function whole(value: unknown, fallback: number, max = Infinity): number {
  return Math.floor(Math.min(max, typeof value === 'number' && value >= 1 && value < Infinity ? value : fallback));
}
