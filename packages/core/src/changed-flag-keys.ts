import type { ClauseDefinition, Datafile, FlagDefinition, SegmentDefinition } from './datafile-format';

type Keyed = { key: string };

function changedKeys<T extends Keyed>(before: readonly T[], after: readonly T[]): Set<string> {
  const old = new Map<string, T>();
  for (const item of before) old.set(item.key, item);
  const changed = new Set<string>();
  for (const item of after) {
    const prev = old.get(item.key);
    old.delete(item.key);
    if (prev === item) continue;
    if (prev === undefined || JSON.stringify(prev) !== JSON.stringify(item)) changed.add(item.key);
  }
  for (const key of old.keys()) changed.add(key);
  return changed;
}

function segmentRefs(clauses: readonly ClauseDefinition[] | undefined, out: string[]): void {
  for (const clause of clauses ?? []) {
    if (clause.op === 'segmentMatch') for (const v of clause.values) if (typeof v === 'string') out.push(v);
  }
}

function flagDeps(flag: FlagDefinition): { segments: string[]; flags: string[] } {
  const segments: string[] = [];
  for (const rule of flag.rules ?? []) segmentRefs(rule.clauses, segments);
  return { segments, flags: (flag.prerequisites ?? []).map((p) => p.key) };
}

function segmentDeps(segment: SegmentDefinition): string[] {
  const out: string[] = [];
  for (const rule of segment.rules ?? []) segmentRefs(rule.clauses, out);
  return out;
}

/**
 * The keys of the flags whose evaluation may differ between two datafiles:
 * flags added, removed or edited, and flags that depend on one of those
 * (through a prerequisite) or on a segment that changed (directly or through
 * another segment). Items kept by identity are not serialised.
 */
export function changedFlagKeys(before: Datafile | null, after: Datafile): string[] {
  if (before === null) return after.flags.map((f) => f.key);
  const segments = changedKeys(before.segments ?? [], after.segments ?? []);
  const flags = changedKeys(before.flags, after.flags);
  if (segments.size > 0) {
    const all = after.segments ?? [];
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of all) {
        if (!segments.has(s.key) && segmentDeps(s).some((d) => segments.has(d))) {
          segments.add(s.key);
          grew = true;
        }
      }
    }
  }
  const deps = after.flags.map((f) => ({ key: f.key, ...flagDeps(f) }));
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of deps) {
      if (flags.has(d.key)) continue;
      if (d.segments.some((s) => segments.has(s)) || d.flags.some((f) => flags.has(f))) {
        flags.add(d.key);
        grew = true;
      }
    }
  }
  return [...flags];
}
