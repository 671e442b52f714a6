import type { AvsbContext, ValidatedContext } from './context';

/** Places in the table: as many as the engine's table of shared contexts. */
const SIZE = 1024;

/** What a single-kind context's validation gave, and the members it was worked out from. */
interface Entry {
  readonly handle: number;
  /** The context's `kind` member as given (`undefined` when it had none: kind `user`). */
  readonly kind: unknown;
  readonly key: string;
  readonly kinds: readonly string[];
  readonly keys: ValidatedContext['keys'];
  readonly canonicalKey: string;
}

/**
 * The validations of contexts a server's scoped clients registered lately,
 * by engine handle, for the next scoped client that gets the same handle: a
 * returning user's request (the engine shares one handle among equal
 * contexts) then spares validating its context again for its exposures
 * (≈ 90 ns: its frozen keys and canonical key are made anew), and the event
 * pipeline looks the same canonical key string up again, whose hash V8 has
 * kept.
 *
 * The handle only finds the entry; what makes it right is that a
 * single-kind context's kinds, keys and canonical key follow from its
 * `kind` and `key` members alone (`@avsb/common`'s rules), which must equal
 * the entry's, and that the engine accepted the context (a handle > 0), so
 * it is valid. A multi-kind context is not kept. Bounded: one entry per
 * place, the newest taking it.
 */
export class IdentityCache {
  private readonly _entries: (Entry | undefined)[] = new Array<Entry | undefined>(SIZE).fill(undefined);

  /** The validation of `context`, registered as `handle` (> 0), when the entry in its place gives it; else `undefined`. */
  get(handle: number, context: AvsbContext): ValidatedContext | undefined {
    const entry = this._entries[handle & (SIZE - 1)];
    if (entry === undefined || entry.handle !== handle) return undefined;
    const given = context as { readonly kind?: unknown; readonly key?: unknown };
    if (given.key !== entry.key || given.kind !== entry.kind) return undefined;
    // the members of @avsb/common's validation, in its order
    return { valid: true, context, kinds: entry.kinds, keys: entry.keys, canonicalKey: entry.canonicalKey };
  }

  /** Keeps `validated`, the validation of the context registered as `handle` (> 0), if it has a single kind. */
  put(handle: number, validated: ValidatedContext): void {
    const kinds = validated.kinds;
    const kind = (validated.context as { readonly kind?: unknown }).kind;
    // a single kind given as `kind` or left out (`user`); not a multi-kind context of one kind
    if (kinds.length !== 1 || (kind === undefined ? kinds[0] !== 'user' : kind !== kinds[0])) return;
    const key = validated.keys[kinds[0]!]!;
    this._entries[handle & (SIZE - 1)] = { handle, kind, key, kinds, keys: validated.keys, canonicalKey: validated.canonicalKey };
  }
}
