import type { EvaluationReason } from './evaluation';
import { ERROR_KINDS, packedDetail, packedReason } from './evaluation';

/** What the host keeps of one flag: decoded variations and reason objects. */
export interface FlagView {
  readonly key: string;
  readonly variations: readonly unknown[];
  readonly clientSide: boolean;
  readonly ruleReasons: readonly EvaluationReason[];
  readonly prerequisiteReasons: readonly EvaluationReason[];
}

type RawFlag = {
  key: string;
  variations: unknown[];
  clientSide?: boolean;
  rules?: { id?: string }[];
  prerequisites?: { key: string }[];
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
 * The host side of a loaded datafile. Variation values are decoded and frozen
 * once per datafile; reasons are prebuilt, so decoding a result allocates
 * nothing.
 */
export class DatafileView {
  readonly flags: readonly FlagView[];
  readonly revision: number | null;
  private readonly _indexByKey: Map<string, number>;

  /** `doc` has already been validated by the engine. */
  constructor(doc: { revision?: number; flags: RawFlag[] }) {
    this.revision = typeof doc.revision === 'number' ? doc.revision : null;
    this._indexByKey = new Map();
    this.flags = doc.flags.map((f, i) => {
      this._indexByKey.set(f.key, i);
      return {
        key: f.key,
        variations: deepFreeze(f.variations),
        clientSide: f.clientSide === true,
        ruleReasons: (f.rules ?? []).map((r, ruleIndex) =>
          Object.freeze({ kind: 'RULE_MATCH', ruleIndex, ruleId: typeof r.id === 'string' ? r.id : null } as const),
        ),
        prerequisiteReasons: (f.prerequisites ?? []).map((p, prerequisiteIndex) =>
          Object.freeze({ kind: 'PREREQUISITE_FAILED', prerequisiteIndex, prerequisiteKey: p.key } as const),
        ),
      };
    });
  }

  indexOf(key: string): number {
    return this._indexByKey.get(key) ?? -1;
  }

  reason(flag: number, packed: number): EvaluationReason {
    const detail = packedDetail(packed);
    switch (packedReason(packed)) {
      case 0:
        return OFF;
      case 1:
        return TARGET_MATCH;
      case 2:
        return this.flags[flag]?.ruleReasons[detail] ?? ERRORS[2]!;
      case 3:
        return this.flags[flag]?.prerequisiteReasons[detail] ?? ERRORS[2]!;
      case 4:
        return FALLTHROUGH;
      default:
        return ERRORS[detail] ?? ERRORS[0]!;
    }
  }
}

/** Reason for an error that happens before the engine is asked (unknown flag key…). */
export function errorReason(code: number): EvaluationReason {
  return ERRORS[code] ?? ERRORS[0]!;
}
