type Item = { key?: unknown; rules?: unknown };

const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** The segment keys a flag's or a segment's rules name in `segmentMatch` clauses. */
function segmentsNamed(item: Item): string[] {
  const out: string[] = [];
  for (const rule of list(item.rules)) {
    for (const clause of list((rule as { clauses?: unknown } | null)?.clauses)) {
      const c = clause as { op?: unknown; values?: unknown } | null;
      if (c?.op === 'segmentMatch') for (const v of list(c.values)) if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}

/**
 * 32 bits of a text (FNV-1a), in base 36: a changed definition goes
 * unnoticed once in 4 billion. Random, so incompressible: 6-7 bytes a flag on
 * the wire (53 bits cost the 1,000-flag document 4 KB more gzipped).
 */
function hash32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * One hash per flag of a datafile (in flag order) that changes when the
 * flag's definition does or a segment it uses, directly or through other
 * segments: what a compiled datafile's host part carries instead of the
 * rules, so that comparing two of them tells which definitions changed.
 * (Prerequisites need no hashing: the host part lists their keys.)
 */
export function definitionHashes(datafile: { flags?: unknown; segments?: unknown }): string[] {
  const segments = new Map<string, Item>();
  for (const s of list(datafile.segments)) {
    const key = (s as Item | null)?.key;
    if (typeof key === 'string' && !segments.has(key)) segments.set(key, s as Item);
  }
  const texts = new Map<string, string>();
  return list(datafile.flags).map((flag) => {
    const used = new Set<string>();
    const pending = segmentsNamed(flag as Item);
    for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
      const segment = segments.get(key);
      if (used.has(key) || segment === undefined) continue;
      used.add(key);
      pending.push(...segmentsNamed(segment));
    }
    let text = JSON.stringify(flag);
    for (const key of [...used].sort()) {
      let t = texts.get(key);
      if (t === undefined) texts.set(key, (t = JSON.stringify(segments.get(key))));
      text += `\n${t}`;
    }
    return hash32(text);
  });
}
