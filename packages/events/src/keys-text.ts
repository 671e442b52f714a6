import { isPlainJsonString } from './json-plain';
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
    if (typeof key === 'string' && isPlainJsonString(key)) return void parts.push('{"', kind, '":"', key, '"}');
  }
  parts.push(JSON.stringify(keys));
}
