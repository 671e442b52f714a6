import type { PageEngine } from './engine';
import type { EvaluationDetail } from './evaluation';
import { ENGINE_FAULT_RESULT } from './evaluation';
import type { FlagTable } from './flag-table';
import { decodeResult } from './flag-table';

/**
 * Evaluates every flag for one registered context in one engine call:
 * details by flag key, in flag index order. A read-only map over its own
 * copy of the results that decodes a detail when it is read, handing out one
 * shared, frozen detail per distinct result of a flag; a later call, load or
 * release never changes it. Reading every flag through it is quicker than one
 * `engine.evaluate` per flag. (A function rather than a method of the
 * engine, so that a page that does not use it does not bundle it.)
 */
export function evaluateAll(engine: PageEngine, handle: number): ReadonlyMap<string, EvaluationDetail> {
  const table = engine._view;
  const n = table === null ? 0 : table._flags.length;
  const results = engine._evaluateAll(handle, n);
  // a plain array: allocating an Int32Array costs V8 about 20 times more
  const packed = new Array<number>(n);
  for (let i = 0; i < n; i++) packed[i] = results === null ? ENGINE_FAULT_RESULT : results[i]!;
  return new EvaluationMap(table, packed);
}

/**
 * What `evaluateAll` answers: every flag's detail by key, in flag index
 * order, read-only, over the packed results of one engine call. A `Map` of
 * 20 fresh details costs V8 more to build than the 19 engine calls it saves,
 * so this keeps the results as integers and, when one is read, hands out the
 * datafile's shared (frozen) detail for it. It holds its own copy of the
 * results and the datafile of its call: a later call, load or release never
 * changes what it answers.
 */
export class EvaluationMap implements ReadonlyMap<string, EvaluationDetail> {
  /** `table` is null only without a datafile, and then `packed` is empty. */
  constructor(
    private readonly _table: FlagTable | null,
    private readonly _packed: readonly number[],
  ) {}

  get size(): number {
    return this._packed.length;
  }

  has(key: string): boolean {
    return this._table !== null && this._table._indexOf(key) >= 0;
  }

  get(key: string): EvaluationDetail | undefined {
    const i = this._table === null ? -1 : this._table._indexOf(key);
    return i < 0 ? undefined : this._at(i);
  }

  forEach(fn: (detail: EvaluationDetail, key: string, map: ReadonlyMap<string, EvaluationDetail>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this._packed.length; i++) fn.call(thisArg, this._at(i), this._key(i), this);
  }

  // Array iterators, not generators: V8 runs a for…of over an array's iterator several times faster.
  entries(): MapIterator<[string, EvaluationDetail]> {
    const out = new Array<[string, EvaluationDetail]>(this._packed.length);
    for (let i = 0; i < out.length; i++) out[i] = [this._key(i), this._at(i)];
    return out.values();
  }

  keys(): MapIterator<string> {
    const out = new Array<string>(this._packed.length);
    for (let i = 0; i < out.length; i++) out[i] = this._key(i);
    return out.values();
  }

  values(): MapIterator<EvaluationDetail> {
    const out = new Array<EvaluationDetail>(this._packed.length);
    for (let i = 0; i < out.length; i++) out[i] = this._at(i);
    return out.values();
  }

  [Symbol.iterator](): MapIterator<[string, EvaluationDetail]> {
    return this.entries();
  }

  private _key(i: number): string {
    return this._table!._flags[i]!.key;
  }

  private _at(i: number): EvaluationDetail {
    return sharedDetail(this._table!, i, this._packed[i]!);
  }
}

/**
 * The detail of a packed result of flag `flag`, built the first time the
 * flag gives that result and shared from then on (frozen). A flag gives few
 * distinct results (they differ in variation, reason and rule only), and
 * this lookup costs V8 less than a new detail per read.
 */
function sharedDetail(table: FlagTable, flag: number, packed: number): EvaluationDetail {
  const cache = ((table._details ??= [])[flag] ??= new Map());
  let detail = cache.get(packed);
  if (detail === undefined) cache.set(packed, (detail = Object.freeze(decodeResult(table, flag, packed))));
  return detail;
}
