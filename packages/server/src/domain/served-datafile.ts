import { createHash } from 'node:crypto';
import { isObject } from '@avsb/common';
import type { EnvironmentSnapshot, JsonObject, SdkKeyKind, StoredItem } from '../storage/records';

/** A datafile as served to one kind of key at one revision, serialised once. */
export interface ServedDatafile {
  readonly revision: number;
  readonly kind: SdkKeyKind;
  /** The whole datafile as JSON. */
  readonly json: string;
  readonly body: Buffer;
  /** Strong validator: kind, revision and a content hash. */
  readonly etag: string;
  /** Each item's JSON by `flag:key` / `segment:key`, in datafile order (for stream diffs). */
  readonly items: ReadonlyMap<string, string>;
}

/** The datafile object (schemaVersion 1) of an environment as a key of `kind` sees it. */
export function datafileObject(snapshot: EnvironmentSnapshot, kind: SdkKeyKind): JsonObject {
  const { flags, segments } = kind === 'server' ? snapshot : clientItems(snapshot.flags, snapshot.segments);
  return {
    schemaVersion: 1,
    revision: snapshot.environment.revision,
    flags: flags.map((f) => f.data),
    segments: segments.map((s) => s.data),
  };
}

/** Serialises an environment's datafile for one kind of key. */
export function serveDatafile(snapshot: EnvironmentSnapshot, kind: SdkKeyKind): ServedDatafile {
  const { flags, segments } = kind === 'server' ? snapshot : clientItems(snapshot.flags, snapshot.segments);
  const items = new Map<string, string>();
  const flagJson = flags.map((f) => remember(items, f));
  const segmentJson = segments.map((s) => remember(items, s));
  const revision = snapshot.environment.revision;
  const json = `{"schemaVersion":1,"revision":${revision},"flags":[${flagJson.join(',')}],"segments":[${segmentJson.join(',')}]}`;
  const hash = createHash('sha256').update(json).digest('base64url').slice(0, 16);
  return { revision, kind, json, body: Buffer.from(json), etag: `"${kind}-${revision}-${hash}"`, items };
}

function remember(items: Map<string, string>, item: StoredItem): string {
  const json = JSON.stringify(item.data);
  items.set(`${item.kind}:${item.key}`, json);
  return json;
}

/**
 * What a client key gets: the flags with `clientSide: true`, and the
 * segments they use through `segmentMatch`, directly or through other
 * segments. Both in datafile order.
 */
export function clientItems(
  flags: readonly StoredItem[],
  segments: readonly StoredItem[],
): { flags: StoredItem[]; segments: StoredItem[] } {
  const clientFlags = flags.filter((f) => f.data.clientSide === true);
  const byKey = new Map(segments.map((s) => [s.key, s]));
  const needed = new Set<string>();
  const pending: string[] = [];
  const visit = (data: JsonObject) => {
    for (const key of segmentReferences(data)) {
      if (!needed.has(key) && byKey.has(key)) {
        needed.add(key);
        pending.push(key);
      }
    }
  };
  for (const flag of clientFlags) visit(flag.data);
  while (pending.length > 0) visit(byKey.get(pending.pop()!)!.data);
  return { flags: clientFlags, segments: segments.filter((s) => needed.has(s.key)) };
}

/** Keys named by `segmentMatch` clauses in an item's rules. */
function segmentReferences(data: JsonObject): string[] {
  const keys: string[] = [];
  const rules = Array.isArray(data.rules) ? data.rules : [];
  for (const rule of rules) {
    const clauses = isObject(rule) && Array.isArray(rule.clauses) ? rule.clauses : [];
    for (const clause of clauses) {
      if (!isObject(clause) || clause.op !== 'segmentMatch' || !Array.isArray(clause.values)) continue;
      for (const value of clause.values) if (typeof value === 'string') keys.push(value);
    }
  }
  return keys;
}
