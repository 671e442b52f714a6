import type { EvaluationDetail, EvaluationReason } from './evaluation';
import type { SharedDetails } from './evaluation-map';
import { ENGINE_FAULT_RESULT, ERROR_KINDS, packedDetail, packedInExperiment, packedReason, packedVariation } from './evaluation';

/**
 * What the host keeps of one flag: decoded variations and reason objects.
 * Members other than `key` are `_`-named, like the table's own, so that the
 * build shortens them (only this package's host reads them).
 */
export interface FlagView {
  readonly key: string;
  readonly _variations: readonly unknown[];
  readonly _ruleReasons: readonly EvaluationReason[];
  readonly _prerequisiteReasons: readonly EvaluationReason[];
}

/** A JSON object. @internal Also for `LazyFlags`. */
export type Json = Record<string, unknown>;

/** A member that should be a list: anything else reads as an empty one. */
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
/** A string member of a list item that may not be an object (a datafile with warnings), or undefined. */
const text = (item: unknown, name: string): string | undefined => {
  const v: unknown = typeof item === 'object' && item !== null ? (item as Json)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const OFF: EvaluationReason = Object.freeze({ kind: 'OFF' });
const TARGET_MATCH: EvaluationReason = Object.freeze({ kind: 'TARGET_MATCH' });
const FALLTHROUGH: EvaluationReason = Object.freeze({ kind: 'FALLTHROUGH' });
const ERRORS: readonly EvaluationReason[] = ERROR_KINDS.map((errorKind) =>
  Object.freeze({ kind: 'ERROR', errorKind } as const),
);

/**
 * The host's table of the loaded datafile's flags, by flag index: key,
 * variation values (frozen in place, not copied) and prebuilt reasons, so
 * decoding a result allocates nothing. The engine holds the rules; this
 * holds what the host answers with.
 */
export class FlagTable {
  readonly _flags: readonly FlagView[];
  readonly _revision: number | null;
  /** @internal Also read by `OrderedFlagTable`. */
  protected readonly _indexByKey: Map<string, number>;
  /**
   * What every `evaluateAll` map over this table shares: its details, made
   * once each (frozen). @internal Made and read by evaluation-map.ts, so that
   * a page that does not call `evaluateAll` bundles none of it.
   */
  _details?: SharedDetails;

  /**
   * `doc` has been accepted by the engine: its flags have unique string keys,
   * but a flag with warnings may have any other shape, so each member is
   * read in the shape this table needs (a malformed flag never serves a
   * variation). Variation arrays are frozen and kept as they are (the
   * datafile is parsed once, by whoever owns it). `view` makes each flag's
   * view from the flag and its index (`LazyFlags` makes views that read
   * their JSON on first use).
   */
  constructor(doc: { revision?: unknown; flags: Json[] }, view: (flag: Json, index: number) => FlagView = viewOf) {
    this._revision = typeof doc.revision === 'number' ? doc.revision : null;
    this._indexByKey = new Map();
    this._flags = doc.flags.map((f, i) => {
      this._indexByKey.set(f.key as string, i);
      return view(f, i);
    });
  }

  /** The index of the flag keyed `key`, or -1. */
  _indexOf(key: string): number {
    return this._indexByKey.get(key) ?? -1;
  }

  /** The reason of a packed result of flag `flag` (a prebuilt object). */
  _reason(flag: number, packed: number): EvaluationReason {
    const detail = packedDetail(packed);
    switch (packedReason(packed)) {
      case 0:
        return OFF;
      case 1:
        return TARGET_MATCH;
      case 2:
        return this._flags[flag]?._ruleReasons[detail] ?? ERRORS[2]!;
      case 3:
        return this._flags[flag]?._prerequisiteReasons[detail] ?? ERRORS[2]!;
      case 4:
        return FALLTHROUGH;
      default:
        return errorReason(detail);
    }
  }
}

/** What the host answers with for `f`, a flag of a datafile's JSON. @internal Also for `LazyFlags`. */
export function viewOf(f: Json): FlagView {
  return {
    key: f.key as string,
    _variations: deepFreeze(list(f.variations)),
    _ruleReasons: list(f.rules).map((r, ruleIndex) => Object.freeze({ kind: 'RULE_MATCH', ruleIndex, ruleId: text(r, 'id') ?? null } as const)),
    _prerequisiteReasons: list(f.prerequisites).map((p, prerequisiteIndex) =>
      Object.freeze({ kind: 'PREREQUISITE_FAILED', prerequisiteIndex, prerequisiteKey: text(p, 'key') ?? '' } as const),
    ),
  };
}

/**
 * `keys` as V8 keeps property names: one string per text, which it compares
 * with another such string (a literal) by address. Array-index keys stay
 * strings of their own (compared by their text). @internal For
 * `evaluateAll`'s map and `OrderedFlagTable`.
 */
export function interned(keys: readonly string[]): string[] {
  const byName: Record<string, number> = Object.create(null) as Record<string, number>;
  keys.forEach((key, i) => (byName[key] = i));
  const out = keys.slice();
  for (const name in byName) out[byName[name]!] = name;
  return out;
}

/** Reason for an error that happens before the engine is asked (unknown flag key…). */
export function errorReason(code: number): EvaluationReason {
  return ERRORS[code] ?? ERRORS[0]!;
}

/** A packed result of flag `index` as a detail with value and reason (`table`: the loaded flags, or `null`). */
export function decodeResult<T>(table: FlagTable | null, index: number, packed: number): EvaluationDetail<T> {
  const variation = packedVariation(packed);
  return {
    value: variation < 0 ? null : ((table?._flags[index]?._variations[variation] ?? null) as T | null),
    variationIndex: variation < 0 ? null : variation,
    // without a datafile (none yet, or dropped by a rebuild) the fault of this very evaluation still says ENGINE_FAULT
    reason: table !== null ? table._reason(index, packed) : errorReason(packed === ENGINE_FAULT_RESULT ? 5 : 4),
    inExperiment: packedInExperiment(packed),
  };
}
