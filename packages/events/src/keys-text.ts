import type { ContextKeys } from './wire';

/** Kinds whose piece is kept; past it the cache starts again (kinds come from the application's contexts). */
const MAX_KINDS = 256;

const prefixes = new Map<string, string>();

/**
 * Appends an exposure's members from `,"contextKeys":` up to its tail to a
 * batch's pieces, and says which end of the tail follows. A single kind
 * whose key needs no escaping (most) goes as two pieces, `,"contextKeys":{"<kind>":"`
 * (kept per kind) and the key itself, and is closed by the tail's
 * `afterPlainKey`; any other keys as `,"contextKeys":` and `JSON.stringify` of
 * them, closed by the tail's `text`.
 */
export function pushKeysText(parts: string[], kinds: readonly string[], keys: ContextKeys): 'plain' | 'json' {
  if (kinds.length === 1) {
    const kind = kinds[0]!;
    const key = keys[kind];
    if (typeof key === 'string' && plain(key)) {
      let prefix = prefixes.get(kind);
      if (prefix === undefined) {
        if (prefixes.size >= MAX_KINDS) prefixes.clear();
        // a kind name is letters, digits, `.`, `_` and `-` (engine SPEC.md §2): written as it is
        prefixes.set(kind, (prefix = [',"contextKeys":{"', kind, '":"'].join('')));
      }
      parts.push(prefix, key);
      return 'plain';
    }
  }
  parts.push(',"contextKeys":', JSON.stringify(keys));
  return 'json';
}

/** Whether `JSON.stringify` writes a string as it is between quotes: no quote, backslash, control character or surrogate. */
function plain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
