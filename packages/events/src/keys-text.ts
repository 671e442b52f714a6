import type { ContextKeys } from './wire';

/**
 * Appends `JSON.stringify(keys)`, an exposure's `contextKeys`, to a batch's
 * pieces. A single kind whose key needs no escaping (most) goes as five
 * pieces, with no string made for it; other keys by `JSON.stringify`.
 */
export function pushKeysText(parts: string[], kinds: readonly string[], keys: ContextKeys): void {
  if (kinds.length === 1) {
    const kind = kinds[0]!;
    const key = keys[kind];
    // a kind name is letters, digits, `.`, `_` and `-` (engine SPEC.md §2): written as it is
    if (typeof key === 'string' && plain(key)) return void parts.push('{"', kind, '":"', key, '"}');
  }
  parts.push(JSON.stringify(keys));
}

/** Whether `JSON.stringify` writes a string as it is between quotes: no quote, backslash, control character or surrogate. */
function plain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
