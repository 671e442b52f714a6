import { DedupeCache } from './dedupe-cache';
import type { Seen, SeenContext } from './dedupe-cache';

/**
 * The server pipeline's {@link DedupeCache}: a context's first two flags
 * and their codes are kept in fields of its entry, and only further flags in
 * a `Map`. A server sees thousands of new contexts, most read in one or two
 * experiments, and a `Map` per context was a third of the dedupe work of a
 * new one (≈ 900 → ≈ 600 ns for 10,000 users in turn). A page keeps the
 * plain cache: one context, not worth the bytes.
 */
export class FieldDedupeCache extends DedupeCache {
  override hasExposure(seen: SeenContext, flag: string, code: number): boolean {
    if (seen.flag0 === flag) return has(seen.codes0, code);
    if (seen.flag1 === flag) return has(seen.codes1, code);
    return super.hasExposure(seen, flag, code);
  }

  override addExposure(seen: SeenContext, flag: string, code: number): void {
    if (seen.flag0 === undefined || seen.flag0 === flag) {
      seen.codes0 = withCode(seen.codes0, code);
      seen.flag0 = flag;
    } else if (seen.flag1 === undefined || seen.flag1 === flag) {
      seen.codes1 = withCode(seen.codes1, code);
      seen.flag1 = flag;
    } else return super.addExposure(seen, flag, code);
    // as the base class counts one
    seen.entries++;
    this._entries++;
    this._evict(seen);
  }
}

function has(codes: Seen | undefined, code: number): boolean {
  return codes === code || (typeof codes === 'object' && codes.has(code));
}

/** `codes` with `code` added: a number becomes a set of both. */
function withCode(codes: Seen | undefined, code: number): Seen {
  return codes === undefined ? code : typeof codes === 'number' ? new Set([codes, code]) : codes.add(code);
}
