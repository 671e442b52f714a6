import { MAX_DELAY_MS } from '@avsb/common';
import { MAX_EVENTS_PER_BATCH } from '@avsb/protocol';
import type { SdkInfo } from './wire';

/** Options of {@link EventPipeline}. Every one has a default. */
export interface EventPipelineOptions {
  /** Sent with every batch; default `{ name: "@avsb/events", version: <this package's version> }`. */
  readonly sdk?: SdkInfo;
  /** How often queued events are sent, and the length of a summary window. Default 5 000 ms. */
  readonly flushIntervalMs?: number;
  /** Events per batch; a full batch is sent without waiting for the interval. Default 500, at most 10 000. */
  readonly batchSize?: number;
  /** Events held in memory (queued or awaiting retry); beyond it new events are dropped and counted. Default 10 000. */
  readonly capacity?: number;
  /** How long an exposure (context, flag, variation) or a context is remembered as sent. Default: `flushIntervalMs`. */
  readonly dedupeWindowMs?: number;
  /**
   * Entries the deduplication cache remembers at most: a context (its
   * `context` event) and each (flag, variation) exposure of it each count one.
   * Beyond it the least recently used contexts are forgotten (and sent again).
   * Default 10 000.
   */
  readonly dedupeCapacity?: number;
  /**
   * Which reads send an `exposure` event (deduplicated per context, flag and
   * variation): `"experiments"` (the default) only those that put the
   * context in an experiment, which is what experiment results count;
   * `"all"` every read, for debugging in the live event view. Every read is
   * counted in the per-flag summary either way.
   */
  readonly exposures?: ExposureMode;
  /** Attributes (names or `/a/b` references) never sent for any context kind. Default none. */
  readonly privateAttributes?: readonly string[];
  /** Send no attributes but `kind`, `key` and `anonymous`. Default `false`. */
  readonly allAttributesPrivate?: boolean;
  /** First retry delay; it doubles per failure, and jitter keeps at least half of each delay. Default 1 000 ms. */
  readonly retryInitialDelayMs?: number;
  /** Longest retry delay. Default 30 000 ms; at most `MAX_DELAY_MS` (one hour). */
  readonly retryMaxDelayMs?: number;
  /**
   * Attempts of one batch the server answers with an error (500 and the
   * other 5xx but 502/503/504) before it is dropped and counted. Default 5.
   * Network errors, timeouts, 429 and 502/503/504 mean "unavailable": they
   * are retried until the server is back or `close()`, within `capacity`.
   */
  readonly maxAttempts?: number;
  /** The longest `Retry-After` honoured. Default 300 000 ms; at most `MAX_DELAY_MS` (one hour). */
  readonly maxRetryAfterMs?: number;
}

/** Which reads send an `exposure` event: see {@link EventPipelineOptions.exposures}. */
export type ExposureMode = 'experiments' | 'all';

/** The options with every default applied. */
export interface ResolvedOptions {
  readonly sdk: SdkInfo;
  readonly flushIntervalMs: number;
  readonly batchSize: number;
  readonly capacity: number;
  readonly dedupeWindowMs: number;
  readonly dedupeCapacity: number;
  readonly exposures: ExposureMode;
  readonly privateAttributes: readonly string[];
  readonly allAttributesPrivate: boolean;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly maxAttempts: number;
  readonly maxRetryAfterMs: number;
}

declare const __AVSB_EVENTS_VERSION__: string | undefined;

/** This package's version (sent as the default `sdk.version`); set by the build from package.json. */
export const EVENTS_VERSION: string =
  typeof __AVSB_EVENTS_VERSION__ === 'string' ? __AVSB_EVENTS_VERSION__ : '0.0.0-dev';

/** The most events the protocol allows in one batch (`@avsb/protocol`'s `MAX_EVENTS_PER_BATCH`). */
export const MAX_BATCH_EVENTS = MAX_EVENTS_PER_BATCH;

/** The defaults, as documented in README.md. */
export const DEFAULTS = {
  flushIntervalMs: 5_000,
  batchSize: 500,
  capacity: 10_000,
  dedupeCapacity: 10_000,
  exposures: 'experiments',
  retryInitialDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  maxAttempts: 5,
  maxRetryAfterMs: 300_000,
} as const;

/** Applies the defaults; a missing or unusable value (not a positive number) takes its default. */
export function resolveOptions(options: EventPipelineOptions = {}): ResolvedOptions {
  const o = (typeof options === 'object' && options !== null ? options : {}) as EventPipelineOptions;
  const d = DEFAULTS;
  const flushIntervalMs = positive(o.flushIntervalMs, d.flushIntervalMs);
  const retryInitialDelayMs = positive(o.retryInitialDelayMs, d.retryInitialDelayMs, MAX_DELAY_MS);
  const sdk = o.sdk;
  return {
    sdk:
      sdk && typeof sdk.name === 'string' && typeof sdk.version === 'string'
        ? { name: sdk.name, version: sdk.version }
        : { name: '@avsb/events', version: EVENTS_VERSION },
    flushIntervalMs,
    batchSize: count(o.batchSize, d.batchSize, MAX_BATCH_EVENTS),
    capacity: count(o.capacity, d.capacity),
    dedupeWindowMs: positive(o.dedupeWindowMs, flushIntervalMs),
    dedupeCapacity: count(o.dedupeCapacity, d.dedupeCapacity),
    exposures: o.exposures === 'all' ? 'all' : d.exposures,
    // as given: the redactor reads it and fails closed on what is not a list of references (context-redactor.ts)
    privateAttributes: o.privateAttributes ?? [],
    allAttributesPrivate: o.allAttributesPrivate === true,
    retryInitialDelayMs,
    retryMaxDelayMs: Math.max(retryInitialDelayMs, positive(o.retryMaxDelayMs, d.retryMaxDelayMs, MAX_DELAY_MS)),
    maxAttempts: count(o.maxAttempts, d.maxAttempts),
    maxRetryAfterMs: positive(o.maxRetryAfterMs, d.maxRetryAfterMs, MAX_DELAY_MS),
  };
}

/** `value` when it is a number ≥ 1 (at most `max`), else `fallback`. */
function positive(value: unknown, fallback: number, max = Infinity): number {
  return Math.min(max, typeof value === 'number' && Number.isFinite(value) && value >= 1 ? value : fallback);
}

/** {@link positive} as a whole number. */
function count(value: unknown, fallback: number, max?: number): number {
  return Math.floor(positive(value, fallback, max));
}
