import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SdkKeyKind } from '../storage/records';

/**
 * The rule for the keys of projects, environments, flags and segments, as
 * an HTML `pattern` (valid in the `v` mode browsers use, hence the escaped
 * `-`): a letter or digit, then letters, digits, `.`, `_` or `-`; at most 64.
 * Keys sit in URL paths, so `.` and `..` (which URLs resolve away) and
 * characters that need escaping are out. The dashboard's forms use this
 * pattern; the API, imports and the CLI use {@link KEY_PATTERN}.
 */
export const KEY_INPUT_PATTERN = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}';

/** {@link KEY_INPUT_PATTERN} as a regular expression over a whole key. */
export const KEY_PATTERN = new RegExp(`^(?:${KEY_INPUT_PATTERN})$`);

/** The rule in words, for error messages and hints. */
export const KEY_RULE = 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** Whether `key` follows the key rule ({@link KEY_PATTERN}). */
export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` characters of base62 from crypto.randomBytes, without modulo bias. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62]; // 248 = 4 × 62: uniform
      if (out.length === length) break;
    }
  }
  return out;
}

/** A fresh SDK key: `srv-` or `cli-` and 40 random base62 characters (~238 bits). */
export function generateSdkKey(kind: SdkKeyKind): string {
  return `${kind === 'server' ? 'srv' : 'cli'}-${randomBase62(40)}`;
}

/** Both keys of a new environment. */
export function generateEnvironmentKeys(): { serverKey: string; clientKey: string } {
  return { serverKey: generateSdkKey('server'), clientKey: generateSdkKey('client') };
}

/** A fresh admin token (`adm-` and 40 random base62 characters). */
export function generateAdminToken(): string {
  return `adm-${randomBase62(40)}`;
}

/** `srv-…a1b2`: the prefix and the last four characters. */
export function maskKey(key: string): string {
  const dash = key.indexOf('-');
  return `${key.slice(0, dash + 1)}…${key.slice(-4)}`;
}

/** Compares two secrets in constant time (hashes first, so lengths leak nothing either). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
