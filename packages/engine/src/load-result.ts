import { readUtf8 } from './utf8';

/**
 * A problem inside a datafile that loaded anyway (ABI.md, "Warnings"): a
 * clause with an invalid value never matches, a flag with a broken structure
 * evaluates to the caller's default with reason `ERROR`/`MALFORMED_FLAG`.
 * Authoring tools refuse datafiles that have any.
 */
export interface LoadWarning {
  /** JSON path of the offending value or missing member, e.g. `flags[3].rules[0].clauses[1].values[0]`. */
  readonly path: string;
  /** What is wrong with it, e.g. `"02.0.0" is not a semantic version`. */
  readonly message: string;
}

/**
 * What `load` answers. On failure the previously loaded datafile stays
 * active. A loaded datafile may carry `warnings`: problems inside flags or
 * segments that the engine works around (the clause never matches, the flag
 * answers `ERROR`/`MALFORMED_FLAG`); `warningCount` counts them all, while
 * `warnings` lists them in document order, up to what the engine's 32 KiB
 * warning buffer holds.
 */
export type LoadResult =
  | {
      readonly ok: true;
      readonly revision: number | null;
      readonly flagCount: number;
      readonly warnings: readonly LoadWarning[];
      readonly warningCount: number;
    }
  | { readonly ok: false; readonly error: string };

/** No warnings (shared, frozen). */
export const NO_WARNINGS: readonly LoadWarning[] = Object.freeze([]);

/** Decodes the engine's warning records: u32 LE length + UTF-8 path, u32 LE length + UTF-8 message. */
export function readWarnings(bytes: Uint8Array, ptr: number, len: number): readonly LoadWarning[] {
  if (len === 0) return NO_WARNINGS;
  const view = new DataView(bytes.buffer, bytes.byteOffset + ptr, len);
  const out: LoadWarning[] = [];
  let at = 0;
  const field = (): string => {
    const n = view.getUint32(at, true);
    at += 4 + n;
    return readUtf8(bytes, ptr + at - n, n);
  };
  while (at + 8 <= len) out.push(Object.freeze({ path: field(), message: field() }));
  return Object.freeze(out);
}
