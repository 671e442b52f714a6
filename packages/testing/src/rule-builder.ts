import type { ClauseDefinition, JsonValue } from '@avsb/core';
import type { FlagBuilder } from './flag-builder';
import type { RolloutOptions, RolloutWeight, ServeSpec } from './serve';
import { rolloutSpec } from './serve';
import { TestDataError, cloneJson } from './values';

/** Adds the finished rule to its flag and returns the flag builder. */
export type RuleSink = (clauses: ClauseDefinition[], serve: ServeSpec) => FlagBuilder;

/**
 * A targeting rule being built, from `flag.ifMatch(...)`: add clauses (all
 * must match), then say what the rule serves with `thenReturn(value)`.
 *
 * ```ts
 * TestData.flag('checkout-v2').booleanFlag()
 *   .ifMatch('plan', 'pro', 'team').andNotMatch('country', 'fr').thenReturn(true)
 * ```
 */
export class RuleBuilder {
  private readonly _clauses: ClauseDefinition[] = [];

  constructor(
    private readonly _flagKey: string,
    private readonly _sink: RuleSink,
  ) {}

  /** The context's `attribute` (of kind `user`) equals one of `values`. */
  andMatch(attribute: string, ...values: JsonValue[]): this {
    return this.andMatchContext('user', attribute, ...values);
  }

  /** The context's `attribute` (of kind `user`) equals none of `values` (a missing attribute does not match). */
  andNotMatch(attribute: string, ...values: JsonValue[]): this {
    return this.andNotMatchContext('user', attribute, ...values);
  }

  /** The attribute of the context kind `contextKind` (`'org'`, `'device'`…) equals one of `values`. */
  andMatchContext(contextKind: string, attribute: string, ...values: JsonValue[]): this {
    return this._in(contextKind, attribute, values, false);
  }

  /** The attribute of the context kind `contextKind` equals none of `values`. */
  andNotMatchContext(contextKind: string, attribute: string, ...values: JsonValue[]): this {
    return this._in(contextKind, attribute, values, true);
  }

  /** The context is in the segment `segmentKey` (give the segment to `TestData`/`MockAvsbServer`). */
  andInSegment(segmentKey: string): this {
    return this.andClause({ op: 'segmentMatch', values: [segmentKey] });
  }

  /**
   * Any clause of the datafile format (SPEC.md §1), for the other operators:
   * `{ attribute: 'version', op: 'semVerGreaterThan', values: ['2.0.0'] }`.
   */
  andClause(clause: ClauseDefinition): this {
    if (clause === null || typeof clause !== 'object' || typeof clause.op !== 'string') {
      throw new TestDataError(`flag "${this._flagKey}": a clause needs at least { op, values }`);
    }
    if (!Array.isArray(clause.values) || clause.values.length === 0) {
      throw new TestDataError(`flag "${this._flagKey}": the clause on "${clause.attribute ?? clause.op}" needs at least one value`);
    }
    this._clauses.push(cloneJson(clause, `flag "${this._flagKey}": clause`));
    return this;
  }

  /** Finishes the rule: contexts it matches get `value`. Returns the flag builder. */
  thenReturn(value: JsonValue): FlagBuilder {
    return this._sink(this._clauses.slice(), { value: cloneJson(value, `flag "${this._flagKey}": thenReturn`) });
  }

  /** Finishes the rule with a percentage rollout (or an experiment) among `weights`. Returns the flag builder. */
  thenRollout(weights: RolloutWeight[], options: RolloutOptions = {}): FlagBuilder {
    return this._sink(this._clauses.slice(), { rollout: rolloutSpec(weights, options, `flag "${this._flagKey}": thenRollout`) });
  }

  private _in(contextKind: string, attribute: string, values: JsonValue[], negate: boolean): this {
    if (typeof attribute !== 'string' || attribute === '') {
      throw new TestDataError(`flag "${this._flagKey}": a rule needs an attribute name such as 'plan'`);
    }
    if (values.length === 0) {
      throw new TestDataError(`flag "${this._flagKey}": the rule on "${attribute}" needs at least one value to match`);
    }
    const clause: ClauseDefinition = { contextKind, attribute, op: 'in', values };
    if (negate) clause.negate = true;
    return this.andClause(clause);
  }
}
