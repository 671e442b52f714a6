import type { ContextKeys } from './wire';

/** Kinds whose piece is kept; past it the cache starts again (kinds come from the application's contexts). */
const MAX_KINDS = 256;

const prefixes = new Map<string, string>();

/** The last head a single kind's piece was joined to, that kind, and the two joined (keysHead). */
let lastHead = '';
let lastKind = '';
let lastJoined = '';

/**
 * Appends an exposure's head (`head`: its separator, kind and time) and its
 * members from `,"contextKeys":` up to its tail to a batch's pieces, and says
 * which end of the tail follows. A single kind whose key needs no escaping
 * (most) goes as two pieces, the head joined to `,"contextKeys":{"<kind>":"`
 * (made when the head or the kind changes: a batch's exposures share a few
 * heads, one per millisecond, and mostly one kind) and the key itself, and
 * is closed by the tail's `afterPlainKey`; any other keys as the head,
 * `,"contextKeys":` and `JSON.stringify` of them, closed by the tail's `text`.
 */
export function pushKeysText(parts: string[], head: string, kinds: readonly string[], keys: ContextKeys): 'plain' | 'json' {
  if (kinds.length === 1) {
    const kind = kinds[0]!;
    const key = keys[kind];
    if (typeof key === 'string' && plainJsonString(key)) {
      parts.push(head === lastHead && kind === lastKind ? lastJoined : keysHead(head, kind), key);
      return 'plain';
    }
  }
  parts.push(head, ',"contextKeys":', JSON.stringify(keys));
  return 'json';
}

/** `head` and a kind's `,"contextKeys":{"<kind>":"` as one flat string, kept as the last joined. */
function keysHead(head: string, kind: string): string {
  let prefix = prefixes.get(kind);
  if (prefix === undefined) {
    if (prefixes.size >= MAX_KINDS) prefixes.clear();
    // a kind name is letters, digits, `.`, `_` and `-` (engine SPEC.md §2): written as it is
    prefixes.set(kind, (prefix = [',"contextKeys":{"', kind, '":"'].join('')));
  }
  lastHead = head;
  lastKind = kind;
  return (lastJoined = [head, prefix].join(''));
}

/** Whether `JSON.stringify` writes a string as it is between quotes: no quote, backslash, control character or surrogate. */
export function plainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
