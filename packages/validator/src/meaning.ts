import type { AvsbEngine } from '@avsb/engine';
import { MAX_DATAFILE_KEY_BYTES, MAX_VARIATIONS } from '@avsb/protocol';
import type { Found } from './problem';
import { DOCUMENT, splitPathMessage } from './problem';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const encoder = new TextEncoder();

/**
 * What the engine finds in one datafile-shaped object (`{ flags, segments }`
 * and, for a datafile, `schemaVersion`/`revision`), with paths under
 * `prefix`. The engine refuses only what cannot be a datafile and stops
 * there, and reports only the first problem of a malformed flag, so:
 * a refused document is loaded again without what it refused (items
 * without a usable key, later duplicates: those are the schema's and this
 * function's problems), and each malformed flag is taken apart into probe
 * flags, one per member or rule, loaded together in one more pass.
 */
export function meaningProblems(engine: AvsbEngine, doc: Json, prefix: string): Found[] {
  const found: Found[] = [];
  const add = (path: string, message: string) => found.push({ path: under(prefix, path), message, source: 'engine' });
  let view: View = { doc, flags: null, segments: null };
  let result = engine.load(doc);
  if (!result.ok) {
    const refused = splitPathMessage(result.error);
    add(refused.path === DOCUMENT ? '' : refused.path, refused.message);
    view = loadable(doc, add);
    result = engine.load(view.doc);
    if (!result.ok) return found; // nothing more can be learnt from the engine
  }
  const flagMap = view.flags;
  const segmentMap = view.segments;
  const malformed = new Set<number>();
  for (const w of result.warnings) {
    const path = remap(w.path, flagMap, segmentMap);
    add(path, w.message);
    const m = /^flags\[(\d+)\](.*)$/.exec(w.path);
    if (m && !m[2]!.includes('.clauses[')) malformed.add(Number(m[1]));
  }
  if (result.warningCount > result.warnings.length) {
    add(DOCUMENT, `and ${result.warningCount - result.warnings.length} more problems the engine did not list`);
  }
  if (malformed.size > 0) probe(engine, view.doc, [...malformed], (path, message) => add(remap(path, flagMap, segmentMap), message));
  return found;
}

/** `path` under `prefix` (`environments[0].`); the document itself is the prefix's own path. */
function under(prefix: string, path: string): string {
  if (path === '' || path === DOCUMENT) return prefix.replace(/\.$/, '') || DOCUMENT;
  return prefix + path;
}

/** A loadable stand-in for a refused document, and where its items came from. */
interface View {
  readonly doc: Json;
  /** Index in the stand-in → index in the document; `null` when the same. */
  readonly flags: number[] | null;
  readonly segments: number[] | null;
}

function loadable(doc: Json, add: (path: string, message: string) => void): View {
  const keep = (array: 'flags' | 'segments') => {
    const items = Array.isArray(doc[array]) ? (doc[array] as unknown[]) : [];
    const first = new Map<string, number>();
    const kept: number[] = [];
    items.forEach((item, i) => {
      if (!isObject(item) || typeof item.key !== 'string') return; // the schema says why
      const bytes = encoder.encode(item.key).length;
      if (bytes === 0 || bytes > MAX_DATAFILE_KEY_BYTES) {
        add(`${array}[${i}].key`, `must be 1 to ${MAX_DATAFILE_KEY_BYTES} bytes of UTF-8, not ${bytes}`);
        return;
      }
      const earlier = first.get(item.key);
      if (earlier !== undefined) {
        add(`${array}[${i}].key`, `duplicate key ${JSON.stringify(item.key)} (also at ${array}[${earlier}])`);
        return;
      }
      first.set(item.key, i);
      kept.push(i);
    });
    return { items: kept.map((i) => items[i]), kept };
  };
  const flags = keep('flags');
  const segments = keep('segments');
  return { doc: { schemaVersion: 1, flags: flags.items, segments: segments.items }, flags: flags.kept, segments: segments.kept };
}

/** Rewrites `flags[k]` / `segments[k]` of the stand-in to the document's indexes. */
function remap(path: string, flags: number[] | null, segments: number[] | null): string {
  if (flags === null && segments === null) return path;
  return path.replace(/^(flags|segments)\[(\d+)\]/, (whole, array: string, n: string) => {
    const table = array === 'flags' ? flags : segments;
    const original = table?.[Number(n)];
    return original === undefined ? whole : `${array}[${original}]`;
  });
}

const SCALARS = ['on', 'variations', 'offVariation', 'salt', 'clientSide', 'fallthrough'] as const;
const LISTS = ['prerequisites', 'targets', 'rules'] as const;

/**
 * Loads, with the document's segments, one probe flag per member and per
 * list entry of each malformed flag: a sound shell with that one part of
 * the original, so each part reports its own first problem.
 */
function probe(engine: AvsbEngine, doc: Json, malformed: number[], add: (path: string, message: string) => void): void {
  const flags = doc.flags as Json[];
  const taken = new Set(flags.map((f) => f.key));
  const probes: Json[] = [];
  const origin: { flag: number; list: string | null; entry: number }[] = [];
  for (const i of malformed) {
    const flag = flags[i]!;
    const variations =
      Array.isArray(flag.variations) && flag.variations.length >= 1 && flag.variations.length <= MAX_VARIATIONS
        ? flag.variations
        : new Array<null>(MAX_VARIATIONS).fill(null);
    const shell = (part: Json): Json => {
      let key = `avsb-validator-probe-${probes.length}`;
      while (taken.has(key)) key += '_';
      return { key, on: true, variations, fallthrough: { variation: 0 }, ...part };
    };
    for (const member of SCALARS) {
      if (!(member in flag)) continue;
      probes.push(shell({ [member]: flag[member] }));
      origin.push({ flag: i, list: null, entry: 0 });
    }
    for (const list of LISTS) {
      const value = flag[list];
      if (value === undefined) continue;
      if (!Array.isArray(value)) {
        probes.push(shell({ [list]: value }));
        origin.push({ flag: i, list: null, entry: 0 });
        continue;
      }
      value.forEach((entry, j) => {
        probes.push(shell({ [list]: [entry] }));
        origin.push({ flag: i, list, entry: j });
      });
    }
  }
  // the probes alone with the segments: an unknown prerequisite or segment is no problem, so the other flags add nothing
  const result = engine.load({ schemaVersion: 1, flags: probes, segments: Array.isArray(doc.segments) ? doc.segments : [] });
  if (!result.ok) return;
  for (const w of result.warnings) {
    const m = /^flags\[(\d+)\](.*)$/.exec(w.path);
    const k = m ? Number(m[1]) : -1;
    const from = origin[k];
    if (!m || from === undefined) continue;
    let rest = m[2]!;
    if (from.list !== null && rest.startsWith(`.${from.list}[0]`)) rest = `.${from.list}[${from.entry}]${rest.slice(from.list.length + 4)}`;
    add(`flags[${from.flag}]${rest}`, w.message);
  }
}
