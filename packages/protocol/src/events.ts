/**
 * The wire format of `POST /sdk/v1/events` (PROTOCOL.md, "Events"): what
 * leaves an SDK and what the service stores. Every value here is plain JSON.
 * Limits: `MAX_EVENTS_PER_BATCH`, `MAX_BATCH_BYTES`, `MAX_BATCH_ID_LENGTH`.
 */
import type { ContextKeys, JsonObject } from '@avsb/common';

/** Which SDK sent a batch. */
export interface SdkInfo {
  readonly name: string;
  readonly version: string;
}

/** A context saw a variation of a flag. */
export interface ExposureEvent {
  readonly kind: 'exposure';
  /** Epoch milliseconds. */
  readonly time: number;
  readonly contextKeys: ContextKeys;
  readonly flag: string;
  /** The variation index served, or `null` when the caller's default was served. */
  readonly variation: number | null;
  /** The evaluation reason (`RULE_MATCH`, `FALLTHROUGH`, … see the engine's SPEC.md). */
  readonly reason?: string;
  /** Whether this exposure counts for an experiment's results. */
  readonly inExperiment: boolean;
  /** The datafile revision the evaluation used. */
  readonly revision?: number;
}

/** A custom event from `track`. */
export interface CustomEvent {
  readonly kind: 'custom';
  readonly time: number;
  readonly contextKeys: ContextKeys;
  readonly key: string;
  readonly value?: number;
  readonly properties?: JsonObject;
}

/** A context's attributes (private attributes removed), once per context per flush window. */
export interface ContextEvent {
  readonly kind: 'context';
  readonly time: number;
  readonly context: JsonObject;
}

/** Evaluation counts of one flag by variation (`null`: the caller's default was served). */
export interface FlagSummary {
  readonly counters: ReadonlyArray<{ readonly variation: number | null; readonly count: number }>;
}

/** Evaluation counts of every flag read in a window. */
export interface SummaryEvent {
  readonly kind: 'summary';
  readonly startTime: number;
  readonly endTime: number;
  readonly flags: Readonly<Record<string, FlagSummary>>;
}

/** Any event of a batch. */
export type WireEvent = ExposureEvent | CustomEvent | ContextEvent | SummaryEvent;

/** The kinds of event a batch may hold, in the order PROTOCOL.md lists them. */
export const EVENT_KINDS = ['exposure', 'custom', 'context', 'summary'] as const satisfies readonly WireEvent['kind'][];

/** The body of `POST /sdk/v1/events`. A retried batch keeps its `batchId`, so the service stores it once. */
export interface EventBatch {
  /** 1–64 characters; unique per batch. */
  readonly batchId: string;
  readonly sdk: SdkInfo;
  readonly events: readonly WireEvent[];
}
