/**
 * TypeScript shapes of the datafile format v1 (`@avsb/engine` SPEC.md §1).
 * The engine validates every datafile; these types only help build and read
 * them. Unknown members are allowed, as in the format.
 */
export interface Datafile {
  schemaVersion: 1;
  revision?: number;
  flags: FlagDefinition[];
  segments?: SegmentDefinition[];
  [member: string]: unknown;
}

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

export interface ClauseDefinition {
  contextKind?: string;
  attribute?: string;
  op: string;
  values: unknown[];
  negate?: boolean;
}

export interface RuleDefinition {
  id?: string;
  clauses: ClauseDefinition[];
  serve: ServeDefinition;
}

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

export interface SegmentDefinition {
  key: string;
  included?: string[];
  excluded?: string[];
  includedContexts?: { contextKind: string; values: string[] }[];
  excludedContexts?: { contextKind: string; values: string[] }[];
  rules?: { id?: string; clauses: ClauseDefinition[] }[];
  [member: string]: unknown;
}

/** A `patch` of the stream: one flag or segment replaced or added (PROTOCOL.md). */
export interface PatchUpdate {
  revision: number;
  kind: 'flag' | 'segment';
  key: string;
  value: FlagDefinition | SegmentDefinition;
}

/** A `delete` of the stream: one flag or segment removed. */
export interface DeleteUpdate {
  revision: number;
  kind: 'flag' | 'segment';
  key: string;
}
