import { KEY_RULE, isValidKey } from '@avsb/protocol';
import type { Found } from './problem';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): [Json, number][] =>
  Array.isArray(v) ? v.flatMap((x, i): [Json, number][] => (isObject(x) ? [[x, i]] : [])) : [];

/**
 * A client key's datafile holds only client-side flags, so a client-side
 * flag whose prerequisite is server-only would fail that prerequisite in
 * browsers while passing on servers: users would see different variations.
 */
export function clientPrerequisiteProblems(flags: unknown, prefix: string): Found[] {
  const list = objects(flags);
  const clientSide = new Map<unknown, boolean>(list.map(([f]) => [f.key, f.clientSide === true]));
  const found: Found[] = [];
  for (const [flag, i] of list) {
    if (flag.clientSide !== true) continue;
    for (const [prerequisite, j] of objects(flag.prerequisites)) {
      if (clientSide.get(prerequisite.key) !== false) continue;
      found.push({
        path: `${prefix}flags[${i}].prerequisites[${j}].key`,
        message:
          `"${String(prerequisite.key)}" is not client-side, so browsers could not evaluate this flag as servers do: ` +
          'mark it clientSide, or remove the prerequisite',
        source: 'rules',
      });
    }
  }
  return found;
}

/** The key rule (`KEY_PATTERN`) for the flags and segments of a datafile-shaped object. */
export function itemKeyProblems(doc: Json, prefix: string): Found[] {
  const found: Found[] = [];
  for (const array of ['flags', 'segments'] as const) {
    for (const [item, i] of objects(doc[array])) {
      if (typeof item.key !== 'string' || isValidKey(item.key)) continue; // a missing key is the schema's
      found.push({ path: `${prefix}${array}[${i}].key`, message: `${KEY_RULE}, not ${JSON.stringify(item.key)}`, source: 'rules' });
    }
  }
  return found;
}

/** Project and environment keys (the key rule) and duplicate environments of a project document. */
export function projectProblems(doc: Json): Found[] {
  const found: Found[] = [];
  const key = (path: string, value: unknown) => {
    if (value === undefined) found.push({ path, message: `is required (${KEY_RULE.replace(/^must be /, '')})`, source: 'rules' });
    else if (!isValidKey(value)) found.push({ path, message: KEY_RULE, source: 'rules' });
  };
  key('key', doc.key);
  const seen = new Map<string, number>();
  for (const [env, i] of objects(doc.environments)) {
    key(`environments[${i}].key`, env.key);
    if (typeof env.key !== 'string') continue;
    const first = seen.get(env.key);
    if (first === undefined) seen.set(env.key, i);
    else {
      found.push({
        path: `environments[${i}].key`,
        message: `duplicate environment "${env.key}" (also at environments[${first}])`,
        source: 'rules',
      });
    }
  }
  return found;
}
