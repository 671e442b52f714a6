import type { ClauseDefinition, Datafile } from './datafile-format';

type Keyed = { key: string };

/**
 * The JSON text of each flag of both datafiles, by index (`flagTexts` of `@avsb/engine`): flags whose texts are
 * equal are equal, so only flags whose texts differ are serialised to be compared.
 */
export interface FlagTextPair {
  readonly before: readonly string[];
  readonly after: readonly string[];
}

function changedKeys<T extends Keyed>(before: readonly T[], after: readonly T[], texts?: FlagTextPair): Set<string> {
  const old = new Map<string, number>();
  before.forEach((item, i) => old.set(item.key, i));
  const changed = new Set<string>();
  after.forEach((item, i) => {
    const at = old.get(item.key);
    old.delete(item.key);
    const prev = at === undefined ? undefined : before[at];
    if (prev === item || (texts !== undefined && at !== undefined && texts.before[at] === texts.after[i])) return;
    if (prev === undefined || JSON.stringify(prev) !== JSON.stringify(item)) changed.add(item.key);
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
 * another segment). Items kept by identity, and flags whose `texts` are
 * equal, are not serialised.
 */
export function changedFlagKeys(before: Datafile | null, after: Datafile, texts?: FlagTextPair): string[] {
  if (before === null) return after.flags.map((f) => f.key);
  const segments = changedKeys(before.segments ?? [], after.segments ?? []);
  // texts of other flags than these (another count) are not used
  const aligned = texts !== undefined && texts.before.length === before.flags.length && texts.after.length === after.flags.length;
  const flags = changedKeys(before.flags, after.flags, aligned ? texts : undefined);
  const usesChangedSegment = (rules: readonly { clauses?: readonly ClauseDefinition[] }[] | undefined): boolean =>
    segments.size > 0 &&
    (rules ?? []).some((rule) => (rule.clauses ?? []).some((c) => c.op === 'segmentMatch' && c.values.some((v) => typeof v === 'string' && segments.has(v))));
  spread(segments, after.segments ?? [], (s) => usesChangedSegment(s.rules));
  spread(flags, after.flags, (f) => usesChangedSegment(f.rules) || (f.prerequisites ?? []).some((p) => flags.has(p.key)));
  return [...flags];
}
