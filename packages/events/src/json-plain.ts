/**
 * Whether `JSON.stringify` writes a string as it is between quotes: no
 * quote, backslash, control character or surrogate (a lone one is escaped,
 * and a pair is not worth telling apart). Such a string can be copied into
 * a body without escaping.
 */
export function isPlainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
