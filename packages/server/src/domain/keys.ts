import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SdkKeyKind } from '../storage/records';

/**
 * The rule for the keys of projects, environments, flags and segments
 * (`@avsb/protocol`, shared with `avsb validate`/`import` through
 * `@avsb/validator`). The dashboard's forms use {@link KEY_INPUT_PATTERN};
 * the API, imports and the CLI use {@link KEY_PATTERN}.
 */
export { KEY_INPUT_PATTERN, KEY_PATTERN, KEY_RULE, isValidKey } from '@avsb/protocol';

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
