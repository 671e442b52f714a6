/**
 * Datafiles in the engine's format (packages/engine/SPEC.md §1), built here
 * so every scenario states the flags it serves.
 */

/** A flag in the datafile format. */
export type FlagJson = Record<string, unknown> & { readonly key: string };

/** A datafile at `revision` holding `flags`. */
export function datafile(revision: number, flags: readonly FlagJson[] = [boolFlag('contract-flag', true)]): Record<string, unknown> {
  return { schemaVersion: 1, revision, flags, segments: [] };
}

/** An on flag with variations `[value, !value]` serving `value` to everyone. */
export function boolFlag(key: string, value: boolean): FlagJson {
  return { key, on: true, variations: [value, !value], offVariation: 1, fallthrough: { variation: 0 } };
}

/**
 * A flag in an experiment for everyone (all traffic, all weight on variation
 * 0): each read is an exposure that counts, so it is sent as an event.
 */
export function experimentFlag(key: string): FlagJson {
  return {
    key,
    on: true,
    variations: ['treatment', 'control'],
    fallthrough: {
      rollout: {
        kind: 'experiment',
        variations: [
          { variation: 0, weight: 100_000 },
          { variation: 1, weight: 0 },
        ],
      },
    },
  };
}

/**
 * Valid JSON that the engine refuses as a whole: a schema version it does
 * not know. (A broken flag inside a good datafile is not enough: the engine
 * loads the rest and serves that flag's reads as `MALFORMED_FLAG`.)
 */
export function schemaInvalidDatafile(revision: number): Record<string, unknown> {
  return { schemaVersion: 99, revision, flags: [boolFlag('contract-flag', false)] };
}
