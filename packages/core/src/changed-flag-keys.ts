import type { ClauseDefinition, Datafile } from './datafile-format';

type Keyed = { key: string };

/**
 * Whether the flag at index `before` of the previous datafile equals the flag at index `after` of the next one, when
 * the caller can tell without serialising both (a server's store compares the flags' JSON texts, `flagTexts` of
 * `@avsb/engine`, and parses only those that differ). Given, it decides: the flag objects are then read for their
 * keys, prerequisites and rules only, so a store that loaded a datafile from its text passes stand-ins.
 */
export type SameFlag = (before: number, after: number) => boolean;

function changedKeys<T extends Keyed>(before: readonly T[], after: readonly T[], same?: SameFlag): Set<string> {
  const old = new Map<string, number>();
  before.forEach((item, i) => old.set(item.key, i));
  const changed = new Set<string>();
  after.forEach((item, i) => {
    const at = old.get(item.key);
    old.delete(item.key);
    // (an absent key's index is undefined, which no array holds)
    const prev = before[at!];
    if (prev !== item && (prev === undefined || (same ? !same(at!, i) : JSON.stringify(prev) !== JSON.stringify(item)))) changed.add(item.key);
  });
  for (const key of old.keys()) changed.add(key);
  return changed;
}

/** Adds to `changed` the keys of `items` that `affected` says depend on it, until nothing more does. */
function spread<T extends Keyed>(changed: Set<string>, items: readonly T[], affected: (item: T) => boolean): void {
  for (let grew = true; grew; ) {
    grew = false;
    for (const item of items) {
      if (!changed.has(item.key) && affected(item)) {
        changed.add(item.key);
        grew = true;
      }
    }
  }
}

/**
 * The keys of the flags whose evaluation may differ between two datafiles:
 * flags added, removed or edited, and flags that depend on one of those
 * (through a prerequisite) or on a segment that changed (directly or through
 * another segment). Items kept by identity, and flags `same` tells equal,
 * are not serialised.
 */
export function changedFlagKeys(before: Datafile | null, after: Datafile, same?: SameFlag): string[] {
  if (before === null) return after.flags.map((f) => f.key);
  const segments = changedKeys(before.segments ?? [], after.segments ?? []);
  const usesChangedSegment = (rules: readonly { clauses?: readonly ClauseDefinition[] }[] | undefined): boolean =>
    segments.size > 0 &&
    (rules ?? []).some((rule) => (rule.clauses ?? []).some((c) => c.op === 'segmentMatch' && c.values.some((v) => typeof v === 'string' && segments.has(v))));
  spread(segments, after.segments ?? [], (s) => usesChangedSegment(s.rules));
  return changedFlagsOnly(before, after, same, (f) => usesChangedSegment(f.rules));
}

/** The signature of {@link changedFlagKeys}: what a page's store is given to tell a JSON datafile's changed keys. */
export type ChangedKeys = (before: Datafile | null, after: Datafile) => string[];

/**
 * {@link changedFlagKeys} for datafiles without segments: a compiled datafile document's flags, whose `hash` covers
 * the segments each uses (the engine's docs/compiled-datafile.md), so that a page on compiled datafiles alone does not
 * bundle the segment rules (`@avsb/browser`'s JSON opt-in brings {@link changedFlagKeys}). `affected`: a flag that is
 * changed whatever its own definition says.
 */
export function changedFlagsOnly(before: Datafile | null, after: Datafile, same?: SameFlag, affected?: (flag: Datafile['flags'][number]) => boolean): string[] {
  if (before === null) return after.flags.map((f) => f.key);
  const flags = changedKeys(before.flags, after.flags, same);
  spread(flags, after.flags, (f) => affected?.(f) === true || (f.prerequisites ?? []).some((p) => flags.has(p.key)));
  return [...flags];
}
