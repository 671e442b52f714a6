const CHUNK = 8192;

/**
 * Decodes UTF-8 bytes (invalid sequences become U+FFFD). Core code has no
 * `TextDecoder` (it is not an ECMAScript global), and stream lines are always
 * whole, so no streaming state is needed.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const parts: string[] = [];
  const units: number[] = [];
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    let cp = 0xfffd;
    let need = 0;
    let min = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    i++;
    if (need > 0) {
      let ok = i + need <= n;
      for (let k = 0; ok && k < need; k++) {
        const b = bytes[i + k]!;
        if ((b & 0xc0) !== 0x80) ok = false;
        else cp = (cp << 6) | (b & 0x3f);
      }
      if (ok && cp >= min && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)) {
        i += need;
      } else {
        cp = 0xfffd;
        // skip the continuation bytes that belong to this broken sequence
        while (i < n && (bytes[i]! & 0xc0) === 0x80 && need-- > 0) i++;
      }
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      units.push(0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
    } else {
      units.push(cp);
    }
    if (units.length >= CHUNK) {
      parts.push(String.fromCharCode.apply(null, units));
      units.length = 0;
    }
  }
  if (units.length > 0) parts.push(String.fromCharCode.apply(null, units));
  return parts.length === 1 ? parts[0]! : parts.join('');
}
