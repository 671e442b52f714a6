import type { ClauseDefinition, FlagDefinition, JsonValue, RuleDefinition } from '@avsb/core';
import { RuleBuilder } from './rule-builder';
import type { RolloutOptions, RolloutWeight, ServeSpec } from './serve';
import { VariationIndex, rolloutSpec, serveSpecOf } from './serve';
import { validateFlag } from './validate';
import { TestDataError, canonical, checkJson, cloneJson } from './values';

interface RuleSpec {
  readonly id: string | undefined;
  readonly clauses: ClauseDefinition[];
  readonly serve: ServeSpec;
}

const KNOWN = new Set(['key', 'on', 'variations', 'offVariation', 'salt', 'clientSide', 'prerequisites', 'targets', 'rules', 'fallthrough']);

function isBooleanPair(variations: readonly JsonValue[]): boolean {
  return variations.length === 2 && variations[0] === false && variations[1] === true;
}

/**
 * Builds one flag of the datafile format (`@avsb/engine` SPEC.md) by value:
 * you say which *values* are served and `build()` turns them into variation
 * indexes. Get one from `TestData.flag(key)` (or `td.flag(key)` to edit a
 * flag a `TestData` already holds).
 *
 * A new builder is a boolean flag that is on and serves `true` to everyone
 * (`false` when off). Methods change the builder and return it, so they chain:
 *
 * ```ts
 * TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false).build()
 * ```
 */
export class FlagBuilder {
  private readonly _key: string;
  private _on = true;
  private _variations: JsonValue[] = [false, true];
  /** `undefined`: the default (false for a boolean flag, else the first variation); `null`: the caller's default. */
  private _off: JsonValue | null | undefined = undefined;
  /** `undefined`: the default (true for a boolean flag, else the first variation). */
  private _fallthrough: ServeSpec | undefined = undefined;
  private _clientSide = false;
  private _salt: string | undefined = undefined;
  private _targets = new Map<string, Map<string, JsonValue>>();
  private _rules: RuleSpec[] = [];
  private _prerequisites: { key: string; variation: number }[] = [];
  /** Unknown members of a flag given as JSON, kept as they were (no prototype: their names are data). */
  private _extra: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

  constructor(key: string) {
    if (typeof key !== 'string' || key === '') throw new TestDataError('a flag needs a non-empty key such as "checkout-v2"');
    this._key = key;
  }

  /** A builder holding a flag given as datafile JSON (variation indexes turned back into values). */
  static from(definition: FlagDefinition): FlagBuilder {
    validateFlag(definition, `flag "${definition?.key}"`);
    const def = cloneJson(definition, `flag "${definition.key}"`);
    const b = new FlagBuilder(def.key);
    const variations = def.variations as JsonValue[];
    const value = (i: number): JsonValue => variations[i] as JsonValue;
    b._on = def.on;
    b._variations = variations;
    b._off = def.offVariation === undefined || def.offVariation === null ? null : value(def.offVariation);
    b._fallthrough = serveSpecOf(def.fallthrough, variations);
    b._clientSide = def.clientSide === true;
    b._salt = def.salt;
    for (const t of def.targets ?? []) {
      for (const key of t.values) b._target(t.contextKind ?? 'user', key, value(t.variation));
    }
    b._rules = (def.rules ?? []).map((r) => ({ id: r.id, clauses: r.clauses, serve: serveSpecOf(r.serve, variations) }));
    b._prerequisites = def.prerequisites ?? [];
    for (const [member, v] of Object.entries(def)) if (!KNOWN.has(member)) b._extra[member] = v;
    return b;
  }

  /** The flag's key. */
  get key(): string {
    return this._key;
  }

  /** A boolean flag: variations `[false, true]` (serving `true`, and `false` when off, unless said otherwise). */
  booleanFlag(): this {
    if (isBooleanPair(this._variations)) return this;
    this._variations = [false, true];
    this._off = undefined;
    this._fallthrough = undefined;
    return this;
  }

  /** The values the flag can serve: strings, numbers, booleans or any JSON. Every value used elsewhere must be one of them. */
  variations(...values: JsonValue[]): this {
    if (values.length === 0) throw new TestDataError(`flag "${this._key}": .variations() needs at least one value`);
    const seen = new Set<string>();
    values.forEach((v, i) => {
      checkJson(v, `flag "${this._key}": variations[${i}]`);
      const text = canonical(v);
      if (seen.has(text)) throw new TestDataError(`flag "${this._key}": the value ${text} is listed twice in .variations()`);
      seen.add(text);
    });
    this._variations = cloneJson(values, `flag "${this._key}": variations`);
    return this;
  }

  /** Whether the flag is on (`false` serves the off variation to everyone). */
  on(on: boolean): this {
    this._on = on === true;
    return this;
  }

  /** Whether client-side (browser) keys receive the flag. Default `false`. */
  clientSide(clientSide = true): this {
    this._clientSide = clientSide === true;
    return this;
  }

  /** The salt of the flag's rollouts (default: its key). */
  salt(salt: string): this {
    this._salt = salt;
    return this;
  }

  /** Served to everyone when the flag is off; `null` serves the caller's default. */
  offVariation(value: JsonValue | null): this {
    this._off = value === null ? null : cloneJson(value, `flag "${this._key}": offVariation`);
    return this;
  }

  /** Served when no target or rule matched. */
  fallthroughVariation(value: JsonValue): this {
    this._fallthrough = { value: cloneJson(value, `flag "${this._key}": fallthroughVariation`) };
    return this;
  }

  /**
   * Serves a percentage rollout (or, with `{ kind: 'experiment' }`, an
   * experiment) when no target or rule matched:
   * `.fallthroughRollout([{ value: false, weight: 50 }, { value: true, weight: 50 }], { kind: 'experiment' })`.
   */
  fallthroughRollout(weights: RolloutWeight[], options: RolloutOptions = {}): this {
    this._fallthrough = { rollout: rolloutSpec(weights, options, `flag "${this._key}": fallthroughRollout`) };
    return this;
  }

  /** Serves `value` to everyone: turns the flag on and removes its targets and rules. */
  variationForAll(value: JsonValue): this {
    this._on = true;
    this._targets.clear();
    this._rules = [];
    return this.fallthroughVariation(value);
  }

  /** The user with key `userKey` gets `value` (a target of context kind `user`). */
  variationForUser(userKey: string, value: JsonValue): this {
    return this.variationForContext('user', userKey, value);
  }

  /** The context of kind `contextKind` with key `key` gets `value`: `.variationForContext('org', 'acme', true)`. */
  variationForContext(contextKind: string, key: string, value: JsonValue): this {
    if (typeof contextKind !== 'string' || contextKind === '') throw new TestDataError(`flag "${this._key}": a target needs a context kind such as 'user'`);
    if (typeof key !== 'string' || key === '') throw new TestDataError(`flag "${this._key}": a target needs a non-empty context key`);
    this._target(contextKind, key, cloneJson(value, `flag "${this._key}": target value`));
    return this;
  }

  /** Removes every individual target. */
  clearTargets(): this {
    this._targets.clear();
    return this;
  }

  /** Starts a rule: the `user` attribute `attribute` equals one of `values`. Finish it with `.thenReturn(value)`. */
  ifMatch(attribute: string, ...values: JsonValue[]): RuleBuilder {
    return this._rule().andMatch(attribute, ...values);
  }

  /** Starts a rule: the `user` attribute `attribute` equals none of `values`. */
  ifNotMatch(attribute: string, ...values: JsonValue[]): RuleBuilder {
    return this._rule().andNotMatch(attribute, ...values);
  }

  /** Starts a rule on another context kind: `.ifMatchContext('org', 'tier', 'enterprise').thenReturn(true)`. */
  ifMatchContext(contextKind: string, attribute: string, ...values: JsonValue[]): RuleBuilder {
    return this._rule().andMatchContext(contextKind, attribute, ...values);
  }

  /** Starts a rule on another context kind whose attribute equals none of `values`. */
  ifNotMatchContext(contextKind: string, attribute: string, ...values: JsonValue[]): RuleBuilder {
    return this._rule().andNotMatchContext(contextKind, attribute, ...values);
  }

  /** Starts a rule matching the members of a segment. */
  ifInSegment(segmentKey: string): RuleBuilder {
    return this._rule().andInSegment(segmentKey);
  }

  /** Starts a rule with any clause of the datafile format (other operators: `startsWith`, `semVerGreaterThan`…). */
  ifClause(clause: ClauseDefinition): RuleBuilder {
    return this._rule().andClause(clause);
  }

  /** Removes every rule. */
  clearRules(): this {
    this._rules = [];
    return this;
  }

  /** An independent copy of this builder. */
  copy(): FlagBuilder {
    return FlagBuilder._copyOf(this);
  }

  /**
   * The flag as datafile JSON (a new object each time), checked by the real
   * engine. Throws `TestDataError` when a value served is not one of the
   * variations, or when the engine refuses the flag (its message gives the path).
   */
  build(): FlagDefinition {
    const key = this._key;
    const variations = this._variations;
    const index = new VariationIndex(key, variations);
    const boolean = isBooleanPair(variations);
    const off = this._off === undefined ? (boolean ? false : variations[0]!) : this._off;
    const fallthrough: ServeSpec = this._fallthrough ?? { value: boolean ? true : variations[0]! };
    const targets: NonNullable<FlagDefinition['targets']> = [];
    for (const [contextKind, keys] of this._targets) {
      const byVariation = new Map<number, string[]>();
      for (const [contextKey, value] of keys) {
        const i = index.of(value, `the target ${contextKind} "${contextKey}" gets`);
        byVariation.set(i, [...(byVariation.get(i) ?? []), contextKey]);
      }
      for (const [variation, values] of [...byVariation].sort((a, b) => a[0] - b[0])) {
        targets.push({ contextKind, values, variation });
      }
    }
    const rules: RuleDefinition[] = this._rules.map((r, i) => {
      const rule: RuleDefinition = { clauses: cloneJson(r.clauses, 'clauses'), serve: index.serve(r.serve, `rule ${i} serves`) };
      return r.id === undefined ? rule : { id: r.id, ...rule };
    });
    const flag: FlagDefinition = {
      ...cloneJson(this._extra, `flag "${key}"`),
      key,
      on: this._on,
      variations: cloneJson(variations, `flag "${key}": variations`),
      offVariation: off === null ? null : index.of(off, 'the off variation'),
      clientSide: this._clientSide,
      targets,
      rules,
      fallthrough: index.serve(fallthrough, 'the fallthrough'),
    };
    if (this._salt !== undefined) flag.salt = this._salt;
    if (this._prerequisites.length > 0) flag.prerequisites = cloneJson(this._prerequisites, 'prerequisites');
    validateFlag(flag, `flag "${key}"`);
    return flag;
  }

  private _target(contextKind: string, key: string, value: JsonValue): void {
    // a context is targeted once: a later call gives it the new value
    let keys = this._targets.get(contextKind);
    if (keys === undefined) this._targets.set(contextKind, (keys = new Map()));
    keys.set(key, value);
  }

  private _rule(): RuleBuilder {
    return new RuleBuilder(this._key, (clauses, serve) => {
      this._rules.push({ id: `rule-${this._rules.length}`, clauses, serve });
      return this;
    });
  }

  private static _copyOf(source: FlagBuilder): FlagBuilder {
    const b = new FlagBuilder(source._key);
    b._on = source._on;
    b._variations = source._variations.slice();
    b._off = source._off;
    b._fallthrough = source._fallthrough;
    b._clientSide = source._clientSide;
    b._salt = source._salt;
    b._targets = new Map([...source._targets].map(([kind, keys]) => [kind, new Map(keys)]));
    b._rules = source._rules.slice();
    b._prerequisites = source._prerequisites.slice();
    b._extra = Object.assign(Object.create(null) as Record<string, unknown>, source._extra);
    return b;
  }
}
