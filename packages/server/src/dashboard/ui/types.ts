/**
 * The admin API's JSON as the dashboard reads it (ADMIN-API.md). Members the
 * dashboard does not touch are left out; the editor keeps them because it
 * edits a copy of the whole flag.
 */

/** Any JSON value: a variation value or a clause value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface WeightedVariation {
  variation: number;
  weight: number;
}

export interface Rollout {
  kind?: string;
  variations: WeightedVariation[];
  bucketBy?: string;
  contextKind?: string;
  trafficAllocation?: number;
  untrackedVariation?: number;
}

/** What a rule or the fallthrough serves: one variation or a rollout. */
export interface Serve {
  variation?: number;
  rollout?: Rollout;
}

export interface Clause {
  contextKind?: string;
  attribute?: string;
  op: string;
  values: Json[];
  negate?: boolean;
}

export interface Rule {
  id?: string;
  clauses: Clause[];
  serve: Serve;
}

export interface Target {
  contextKind?: string;
  values: string[];
  variation: number;
}

export interface Prerequisite {
  key: string;
  variation: number;
}

export interface Flag {
  key: string;
  name?: string;
  description?: string;
  on: boolean;
  variations: Json[];
  offVariation?: number | null;
  prerequisites?: Prerequisite[];
  targets?: Target[];
  rules?: Rule[];
  fallthrough: Serve;
  clientSide?: boolean;
  salt?: string;
}

export interface Segment {
  key: string;
}

export interface Project {
  key: string;
  name?: string;
  environments?: string[];
}

export interface Environment {
  key: string;
  name?: string;
  revision: number;
  /** Masked unless asked for with `?reveal=true`. */
  serverKey?: string;
  clientKey?: string;
}

export interface HistoryEntry {
  revision: number;
  time: number | string;
  kind: string;
  key: string;
  action: string;
  before: unknown;
  after: unknown;
}

/** A stored SDK event as `/events` lists it: the event's own members plus `id` and `receivedAt`. */
export interface SdkEvent {
  id?: number;
  receivedAt?: number;
  kind?: string;
  time?: number;
  endTime?: number;
  key?: string;
  flag?: string;
  variation?: number;
  reason?: string;
  inExperiment?: boolean;
  value?: unknown;
  contextKeys?: Record<string, string>;
  context?: { kind?: string; key?: string; [attribute: string]: unknown };
  flags?: Record<string, unknown>;
}

export interface Comparison {
  lift: number;
  liftCI95?: [number, number];
  pValue?: number;
}

export interface ResultsVariation {
  variation: number;
  value: Json;
  weight?: number;
  exposed?: number;
  conversions?: number;
  conversionRate?: number;
  valueMean?: number;
  isControl?: boolean;
  conversion?: Comparison;
  valueStats?: Comparison;
}

export interface Results {
  flag: string;
  metric: string;
  variations?: ResultsVariation[];
  srm?: { chiSquare: number; pValue: number; mismatch: boolean };
}

/** One custom event key seen in an environment (`GET …/metrics`). */
export interface MetricSeen {
  key: string;
  count: number;
  lastSeen: number;
}
