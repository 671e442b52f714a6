/** One problem of a document: where (a JSON path such as `flags[3].rules[0].op`) and what. */
export interface Problem {
  /** The JSON path of the offending value or missing member; `(document)` for the document as a whole. */
  readonly path: string;
  /** What is wrong with it, e.g. `unknown operator "greather"`. */
  readonly message: string;
}

/** The path of a problem about the whole document. */
export const DOCUMENT = '(document)';

/**
 * Who found a problem. When two finders report the same path, the more
 * specific one wins: the engine's wording (its messages are the ones the
 * SDKs log) over the cross-item rules over the schema's.
 */
export type Source = 'engine' | 'rules' | 'schema';
const RANK: Record<Source, number> = { engine: 0, rules: 1, schema: 2 };

/** A problem and who found it, before deduplication. */
export interface Found extends Problem {
  readonly source: Source;
}

/**
 * One problem per path (the best source's), in document order. Two
 * problems at the same path are nearly always one mistake seen twice: the
 * schema's `must be boolean` and the engine's `must be a boolean, not a string`.
 * Different messages from the same source at one path are all kept.
 */
export function finish(found: readonly Found[]): Problem[] {
  const best = new Map<string, number>();
  for (const f of found) best.set(f.path, Math.min(best.get(f.path) ?? 9, RANK[f.source]));
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const f of found) {
    if (RANK[f.source] !== best.get(f.path)) continue;
    const id = `${f.path}\u0000${f.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path: f.path, message: f.message });
  }
  return out.sort(comparePaths);
}

/**
 * Members in the order the format lists them (SPEC.md, ADMIN-API.md), so
 * that `flags[0].key` comes before `flags[0].fallthrough`; unknown members
 * follow, alphabetically.
 */
const MEMBER_ORDER = [
  'schemaVersion', 'revision', 'key', 'name', 'description', 'environments', 'on', 'variations', 'offVariation',
  'salt', 'clientSide', 'prerequisites', 'targets', 'rules', 'fallthrough', 'flags', 'segments', 'included',
  'excluded', 'includedContexts', 'excludedContexts', 'id', 'clauses', 'serve', 'contextKind', 'attribute', 'op',
  'values', 'negate', 'variation', 'rollout', 'kind', 'bucketBy', 'weight', 'trafficAllocation', 'untrackedVariation',
];
const RANKS = new Map(MEMBER_ORDER.map((m, i) => [m, i]));

/** `flags[3].rules[0].op` → `['flags', 3, 'rules', 0, 'op']`. */
function tokens(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else out.push(m[2] ?? m[3]!);
  }
  return out;
}

/** Document order: member by member, array indexes numerically, members as {@link MEMBER_ORDER}. */
export function comparePaths(a: Problem, b: Problem): number {
  if (a.path === b.path) return 0;
  if (a.path === DOCUMENT || b.path === DOCUMENT) return a.path === DOCUMENT ? -1 : 1;
  const ta = tokens(a.path);
  const tb = tokens(b.path);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number' || typeof y === 'number') return typeof x === 'number' ? -1 : 1;
    const rx = RANKS.get(x) ?? MEMBER_ORDER.length;
    const ry = RANKS.get(y) ?? MEMBER_ORDER.length;
    if (rx !== ry) return rx - ry;
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

/** Splits an engine error `path: message` (a path never contains ": "). */
export function splitPathMessage(text: string): Problem {
  const at = text.indexOf(': ');
  return at < 0 ? { path: DOCUMENT, message: text } : { path: text.slice(0, at), message: text.slice(at + 2) };
}

/** Appends `member` (a name or an index) to a JSON path. */
export function child(path: string, member: string | number): string {
  if (typeof member === 'number') return `${path}[${member}]`;
  const name = /^[A-Za-z_$][\w$]*$/.test(member) ? member : null;
  if (name === null) return `${path}[${JSON.stringify(member)}]`;
  return path === '' ? name : `${path}.${name}`;
}
