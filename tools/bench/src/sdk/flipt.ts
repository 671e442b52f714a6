// @flipt-io/flipt-client-js: Flipt's Rust engine compiled to WASM (Node build,
// `.wasm` inlined), offline: `FliptClient.init({ fetcher })` with a fetcher
// that answers the namespace snapshot translated below from memory (no
// server, no `updateInterval`). Flipt's client has no events of any kind.
//
// Translation: boolean flags are Flipt BOOLEAN flags (segment rollouts, a
// threshold rollout, the flag's `enabled` as the default value); the others
// VARIANT flags (ranked rules with segments and distributions, `defaultVariant`
// for a fixed fallthrough). Flipt has no semver operator, so `appVersion` is
// also passed as a number (major·10⁶ + minor·10³ + patch, built per request)
// and `semVerGreaterThan` becomes a NUMBER `gt` on it.
import type { FliptClient } from '@flipt-io/flipt-client-js';
import { FLAGS, FLAG_META, type BenchContext, type Clause, type Flag, type Serve, type Value } from '../workload.js';
import type { SdkPeer } from './types.js';

const versionNumber = (v: string): number => {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return a * 1e6 + b * 1e3 + c;
};

function constraint(c: Clause): object {
  const one = (): string => {
    if (c.values.length !== 1) throw new Error(`flipt: ${c.op} with ${c.values.length} values is not translated`);
    return String(c.values[0]);
  };
  switch (c.op) {
    case 'in':
      return c.attribute === 'key'
        ? { type: 'ENTITY_ID_CONSTRAINT_COMPARISON_TYPE', property: 'entityId', operator: 'isoneof', value: JSON.stringify(c.values) }
        : { type: 'STRING_CONSTRAINT_COMPARISON_TYPE', property: c.attribute, operator: 'isoneof', value: JSON.stringify(c.values.map(String)) };
    case 'startsWith':
      return { type: 'STRING_CONSTRAINT_COMPARISON_TYPE', property: c.attribute, operator: 'prefix', value: one() };
    case 'greaterThan':
      return { type: 'NUMBER_CONSTRAINT_COMPARISON_TYPE', property: c.attribute, operator: 'gt', value: one() };
    case 'semVerGreaterThan':
      return { type: 'NUMBER_CONSTRAINT_COMPARISON_TYPE', property: `${c.attribute}Number`, operator: 'gt', value: String(versionNumber(one())) };
  }
}

/** One segment per rule (or target): ALL of its constraints must match; no constraints matches everyone. */
const segment = (key: string, clauses: Clause[]): object => ({ key, matchType: 'ALL_SEGMENT_MATCH_TYPE', constraints: clauses.map(constraint) });
const targetClause = (values: string[]): Clause => ({ attribute: 'key', op: 'in', values });
const variantKey = (i: number): string => `v${i}`;

function distributions(s: Serve): object[] {
  if ('variation' in s) return [{ variantKey: variantKey(s.variation), rollout: 100 }];
  return s.rollout.variations.map((w) => ({ variantKey: variantKey(w.variation), rollout: w.weight / 1000 }));
}

function variantFlag(f: Flag): object {
  const base = { key: f.key, name: f.key, type: 'VARIANT_FLAG_TYPE', rollouts: [] };
  const variant = (i: number): object => ({ id: variantKey(i), key: variantKey(i) });
  // Flipt's disabled variant flag serves no variant (the caller's default), so an off flag that
  // serves a variation becomes an enabled one whose default variant is that variation.
  if (!f.on) return f.offVariation === null ? { ...base, enabled: false, rules: [] } : { ...base, enabled: true, rules: [], defaultVariant: variant(f.offVariation) };
  const rules: object[] = [];
  const rule = (id: string, clauses: Clause[], s: Serve): void =>
    void rules.push({ segments: [segment(`${f.key}-${id}`, clauses)], segmentOperator: 'AND_SEGMENT_OPERATOR', distributions: distributions(s) });
  f.targets.forEach((t, i) => rule(`t${i}`, [targetClause(t.values)], t));
  for (const r of f.rules) rule(r.id, r.clauses, r.serve);
  if ('variation' in f.fallthrough) return { ...base, enabled: true, rules, defaultVariant: variant(f.fallthrough.variation) };
  rule('fallthrough', [], f.fallthrough);
  return { ...base, enabled: true, rules };
}

function booleanFlag(f: Flag): object {
  const value = (i: number): boolean => f.variations[i] as boolean;
  const base = { key: f.key, name: f.key, type: 'BOOLEAN_FLAG_TYPE', rules: [] };
  // a boolean flag's `enabled` is its default value; an off flag serves its off value
  if (!f.on) return { ...base, enabled: f.offVariation === null ? false : value(f.offVariation), rollouts: [] };
  const rollouts: object[] = [];
  const fixed = (id: string, clauses: Clause[], s: Serve): void => {
    if (!('variation' in s)) throw new Error(`flipt: ${f.key}/${id}: a rollout behind a rule is not translated for boolean flags`);
    rollouts.push({ segment: { value: value(s.variation), segmentOperator: 'AND_SEGMENT_OPERATOR', segments: [segment(`${f.key}-${id}`, clauses)] } });
  };
  f.targets.forEach((t, i) => fixed(`t${i}`, [targetClause(t.values)], t));
  for (const r of f.rules) fixed(r.id, r.clauses, r.serve);
  const ft = f.fallthrough;
  if ('variation' in ft) return { ...base, enabled: value(ft.variation), rollouts };
  const [first, second] = ft.rollout.variations;
  if (!first || !second || ft.rollout.variations.length !== 2) throw new Error(`flipt: ${f.key}: only 2-way boolean rollouts are translated`);
  rollouts.push({ threshold: { percentage: first.weight / 1000, value: value(first.variation) } });
  return { ...base, enabled: value(second.variation), rollouts };
}

export function translate(): string {
  const flags = FLAGS.map((f) => (typeof f.variations[0] === 'boolean' ? booleanFlag(f) : variantFlag(f)));
  return JSON.stringify({ namespace: { key: 'default' }, flags });
}

interface Req {
  entityId: string;
  context: Record<string, string>;
}

export function createSdk(): SdkPeer<Req> {
  let client: FliptClient;
  const readers = FLAG_META.map(({ key, type, defaultValue }, i): ((r: Req) => Value) => {
    if (type === 'boolean') return (r) => client.evaluateBoolean({ flagKey: key, entityId: r.entityId, context: r.context }).enabled;
    const values = FLAGS[i]!.variations;
    return (r) => {
      const v = client.evaluateVariant({ flagKey: key, entityId: r.entityId, context: r.context });
      const k = v.variantKey;
      return k ? values[Number(k.slice(1))]! : defaultValue;
    };
  });
  return {
    label: '@flipt-io/flipt-client-js 0.5.1',
    readApi: '`client.evaluateBoolean(req).enabled` (booleans), `client.evaluateVariant(req).variantKey` → value (strings, numbers)',
    requestApi: 'build `{ entityId, context }` (string values only: `age` and the numeric `appVersionNumber` stringified) + 20 reads (nothing to close)',
    events: '– (the client records nothing: no exposures, no metrics)',
    trackApi: '– (no custom-event API)',
    async: false,
    async load() {
      const { FliptClient } = await import('@flipt-io/flipt-client-js');
      const snapshot = JSON.parse(translate()) as unknown;
      client = await FliptClient.init({
        namespace: 'default',
        fetcher: async () => ({ ok: true, status: 200, statusText: 'OK', headers: { get: () => null }, json: async () => snapshot }),
      });
    },
    scope: (c: BenchContext): Req => ({
      entityId: c.key,
      context: { email: c.email, country: c.country, plan: c.plan, age: String(c.age), appVersion: c.appVersion, appVersionNumber: String(versionNumber(c.appVersion)) },
    }),
    get: (r, flag) => readers[flag]!(r),
    async eventStats() {
      return 'none recorded (no event API)';
    },
    async shutdown() {
      (client as { close?: () => void }).close?.();
    },
  };
}
