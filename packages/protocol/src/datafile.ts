/**
 * TypeScript shapes of the datafile format v1 (`@avsb/engine` SPEC.md §1;
 * JSON Schema: `@avsb/protocol/datafile.schema.json`). Engines validate
 * every datafile; these types only help build and read them. Unknown
 * members are allowed, as in the format.
 */
export interface Datafile {
  schemaVersion: 1;
  revision?: number;
  flags: FlagDefinition[];
  segments?: SegmentDefinition[];
  [member: string]: unknown;
}

/** One flag of a datafile. */
export interface FlagDefinition {
  key: string;
  on: boolean;
  variations: unknown[];
  offVariation?: number | null;
  salt?: string;
  clientSide?: boolean;
  prerequisites?: { key: string; variation: number }[];
  targets?: { contextKind?: string; values: string[]; variation: number }[];
  rules?: RuleDefinition[];
  fallthrough: ServeDefinition;
  [member: string]: unknown;
}

/** One condition of a rule (SPEC.md §4 lists the operators). */
export interface ClauseDefinition {
  contextKind?: string;
  attribute?: string;
  op: string;
  values: unknown[];
  negate?: boolean;
}

/** A rule of a flag: its clauses are AND-ed; the first rule that matches serves. */
export interface RuleDefinition {
  id?: string;
  clauses: ClauseDefinition[];
  serve: ServeDefinition;
}

/** A variation served directly, or by a percentage rollout out of 100000. */
export type ServeDefinition =
  | { variation: number }
  | {
      rollout: {
        kind?: 'rollout' | 'experiment';
        contextKind?: string;
        bucketBy?: string;
        salt?: string;
        variations: { variation: number; weight: number }[];
        trafficAllocation?: number;
        untrackedVariation?: number;
      };
    };

/** A named set of contexts that clauses refer to with `segmentMatch`. */
export interface SegmentDefinition {
  key: string;
  included?: string[];
  excluded?: string[];
  includedContexts?: { contextKind: string; values: string[] }[];
  excludedContexts?: { contextKind: string; values: string[] }[];
  rules?: { id?: string; clauses: ClauseDefinition[] }[];
  [member: string]: unknown;
}

/**
 * A whole project as the admin API exports and imports it (ADMIN-API.md):
 * environments with flags and segments in datafile form, each item with an
 * optional `name` and `description`. SDK keys are never part of it.
 * JSON Schema: `@avsb/protocol/project.schema.json`.
 */
export interface ProjectDocument {
  key: string;
  name?: string;
  environments?: {
    key: string;
    name?: string;
    flags?: (FlagDefinition & { name?: string; description?: string })[];
    segments?: (SegmentDefinition & { name?: string; description?: string })[];
  }[];
}
