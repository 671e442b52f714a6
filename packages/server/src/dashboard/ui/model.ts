/**
 * The pure logic behind the pages (no DOM): the key rule, rollout weights and
 * percentages, clause values as text, descriptions of serves and events, and
 * the Wilson interval for the results chart. `assets.test.ts` runs it in Node.
 */
import type { Flag, Json, Rollout, Serve, SdkEvent, WeightedVariation } from './types';

// The key rule of domain/keys.ts (the one the API applies), put in at build time:
// keys.ts itself uses node:crypto, which a browser bundle cannot take.
declare const __AVSB_KEY_INPUT_PATTERN__: string;
declare const __AVSB_KEY_RULE__: string;

/** The HTML `pattern` of a project, environment, flag or segment key. */
export const KEY_INPUT_PATTERN: string = __AVSB_KEY_INPUT_PATTERN__;
/** The key rule in words. */
export const KEY_HINT = 'A key ' + __AVSB_KEY_RULE__ + '.';

const KEY_RE = new RegExp('^(?:' + KEY_INPUT_PATTERN + ')$', 'v');

/** Whether a project, environment, flag or segment key follows the server's rule. */
export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_RE.test(key);
}

/** Every clause operator of SPEC.md §4, in the order the editor lists them. */
export const OPERATORS: readonly string[] = [
  'in', 'startsWith', 'endsWith', 'contains', 'matches',
  'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual',
  'before', 'after',
  'semVerEqual', 'semVerLessThan', 'semVerGreaterThan',
  'segmentMatch',
];

const STRING_OPS = new Set(['startsWith', 'endsWith', 'contains', 'matches', 'semVerEqual', 'semVerLessThan', 'semVerGreaterThan', 'segmentMatch']);
const NUMBER_OPS = new Set(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual']);
const TIME_OPS = new Set(['before', 'after']);
const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Rollout weights are out of 100000; the editor shows percentages. */
export const TOTAL_WEIGHT = 100000;

/** 33333 → 33.333 */
export function weightToPercent(weight: unknown): number {
  return Math.round(Number(weight) || 0) / 1000;
}

/** "33.333" → 33333; anything not a number → NaN. */
export function percentToWeight(percent: unknown): number {
  const text = String(percent).trim();
  if (text === '' || !NUMERIC.test(text)) return NaN;
  return Math.round(Number(text) * 1000);
}

export function sumWeights(variations: readonly WeightedVariation[] | undefined): number {
  let total = 0;
  for (const v of variations || []) total += Number(v.weight) || 0;
  return total;
}

/** A rollout over every variation in equal parts (the remainder to the first). */
export function equalRollout(variationCount: number): WeightedVariation[] {
  const n = Math.max(1, variationCount);
  const each = Math.floor(TOTAL_WEIGHT / n);
  const out: WeightedVariation[] = [];
  for (let i = 0; i < n; i++) out.push({ variation: i, weight: each });
  out[0]!.weight += TOTAL_WEIGHT - each * n;
  return out;
}

/**
 * The weights of a rollout for every variation of the flag, in variation
 * order (variations the rollout does not name get 0).
 */
export function rolloutWeights(rollout: Partial<Rollout> | undefined, variationCount: number): number[] {
  const weights = new Array<number>(variationCount).fill(0);
  for (const item of rollout?.variations || []) {
    if (item.variation >= 0 && item.variation < variationCount) weights[item.variation]! += Number(item.weight) || 0;
  }
  return weights;
}

interface Token {
  text: string;
  quoted: boolean;
}

/** Splits `pro, team, "a,b"` on commas outside double quotes. */
export function splitList(text: string): Token[] {
  const tokens: Token[] = [];
  let current = '';
  let quoted = false;
  let inQuotes = false;
  const flush = (): void => {
    const trimmed = current.trim();
    if (quoted) {
      try {
        tokens.push({ text: String(JSON.parse(trimmed)), quoted: true });
      } catch {
        tokens.push({ text: trimmed, quoted: false });
      }
    } else if (trimmed !== '') {
      tokens.push({ text: trimmed, quoted: false });
    }
    current = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      current += ch;
      if (ch === '\\' && i + 1 < text.length) {
        current += text[i + 1];
        i++;
      } else if (ch === '"') inQuotes = false;
    } else if (ch === '"' && current.trim() === '') {
      current = '"';
      inQuotes = true;
      quoted = true;
    } else if (ch === ',') {
      flush();
    } else {
      current += ch;
    }
  }
  flush();
  return tokens;
}

/**
 * Clause values from the text of the Values input, typed for the operator:
 * numbers for numeric operators, booleans and numbers for "in" unless quoted,
 * strings otherwise. Text that does not fit the operator stays a string so the
 * server answers with the path of the bad value.
 */
export function parseValues(text: string, op: string): Json[] {
  return splitList(String(text || '')).map(({ text: token, quoted }): Json => {
    if (quoted || STRING_OPS.has(op)) return token;
    if (NUMBER_OPS.has(op) || TIME_OPS.has(op)) return NUMERIC.test(token) ? Number(token) : token;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (NUMERIC.test(token)) return Number(token);
    return token;
  });
}

/** The inverse of parseValues: quotes a string wherever it would read back otherwise. */
export function formatValues(values: readonly unknown[] | undefined, op: string): string {
  return (values || []).map((v) => {
    if (typeof v === 'string') {
      const ambiguous = !STRING_OPS.has(op) && (NUMERIC.test(v.trim()) || v === 'true' || v === 'false');
      const needsQuotes = v === '' || v.trim() !== v || v.includes(',') || v.startsWith('"') || ambiguous;
      return needsQuotes ? JSON.stringify(v) : v;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  }).join(', ');
}

/** "a, b ,c" → ["a", "b", "c"] (target keys: always strings). */
export function parseKeys(text: string): string[] {
  return splitList(String(text || '')).map((t) => t.text);
}

export function formatKeys(keys: readonly string[] | undefined): string {
  return formatValues(keys || [], 'startsWith');
}

/** A variation value from its JSON text; text that is not JSON is a string. */
export function parseVariationValue(text: string): Json {
  try {
    return JSON.parse(String(text).trim()) as Json;
  } catch {
    return String(text);
  }
}

export function variationText(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  } catch {
    return String(value);
  }
}

/** "1 (true)" */
export function variationLabel(flag: { variations?: readonly unknown[] } | undefined, index: number | null | undefined): string {
  if (index === null || index === undefined) return 'none';
  const values = flag?.variations || [];
  if (index < 0 || index >= values.length) return String(index) + ' (missing)';
  let text = variationText(values[index]);
  if (text.length > 40) text = text.slice(0, 39) + '…';
  return String(index) + ' (' + text + ')';
}

/** "variation 1 (true)", "rollout 50% / 50%", "experiment 50% / 50% (80% traffic)" */
export function describeServe(serve: Serve | undefined, flag: { variations?: readonly unknown[] }): string {
  if (!serve) return '–';
  if (typeof serve.variation === 'number') return 'variation ' + variationLabel(flag, serve.variation);
  const r = serve.rollout;
  if (!r) return '–';
  const parts = (r.variations || []).map((v) => weightToPercent(v.weight) + '%');
  let text = (r.kind === 'experiment' ? 'experiment ' : 'rollout ') + parts.join(' / ');
  if (r.kind === 'experiment' && typeof r.trafficAllocation === 'number' && r.trafficAllocation < TOTAL_WEIGHT) {
    text += ' (' + weightToPercent(r.trafficAllocation) + '% traffic)';
  }
  return text;
}

/** Whether the flag's fallthrough or a rule serves an experiment rollout (what results need). */
export function isExperiment(flag: Pick<Flag, 'fallthrough' | 'rules'>): boolean {
  const serves = [flag.fallthrough, ...(flag.rules || []).map((r) => r.serve)];
  return serves.some((sv) => sv?.rollout?.kind === 'experiment');
}

/** "user=u_1, org=acme" */
export function describeContextKeys(keys: unknown): string {
  if (!keys || typeof keys !== 'object') return '';
  return Object.entries(keys).map(([kind, key]) => kind + '=' + String(key)).join(', ');
}

/** One line for the live event view. */
export function describeEvent(e: SdkEvent): string {
  switch (e.kind) {
    case 'exposure':
      return String(e.flag) + ' → variation ' + String(e.variation) + (e.reason ? ' (' + e.reason + (e.inExperiment ? ', in experiment' : '') + ')' : '');
    case 'custom':
      return String(e.key) + (e.value !== undefined && e.value !== null ? ' = ' + String(e.value) : '');
    case 'context': {
      // spread, not Object.assign: a "__proto__" attribute stays an attribute
      const attributes: Record<string, unknown> = { ...(e.context || {}) };
      delete attributes.kind;
      delete attributes.key;
      return Object.keys(attributes).length ? JSON.stringify(attributes) : '(no attributes)';
    }
    case 'summary': {
      const flags = e.flags ? Object.keys(e.flags) : [];
      return flags.length + ' flag' + (flags.length === 1 ? '' : 's') + ': ' + flags.join(', ');
    }
    default:
      return JSON.stringify(e);
  }
}

/** The 95% Wilson score interval of k successes in n trials, as [low, high]. */
export function wilson(k: number, n: number, z = 1.959963984540054): [number, number] {
  if (!n || n <= 0) return [0, 0];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Copies the members of source onto target as Object.assign does, but
 * defining them: a "__proto__" member from JSON (data, keyed by users) stays
 * a member instead of replacing the prototype of target.
 */
export function copyMembers<T extends object>(target: T, source: object): T {
  for (const k of Object.keys(source)) {
    Object.defineProperty(target, k, { value: (source as Record<string, unknown>)[k], writable: true, enumerable: true, configurable: true });
  }
  return target;
}

/** A new boolean flag as the "New flag" form creates it. */
export function newBooleanFlag(key: string, name: string): Flag {
  const flag: Flag = {
    key,
    on: false,
    variations: [false, true],
    offVariation: 0,
    targets: [],
    rules: [],
    fallthrough: { variation: 0 },
  };
  if (name) flag.name = name;
  return flag;
}

/** The environment whose changes reach real users: the one keyed `production` (environments carry no other mark). */
export function isProductionEnvironment(envKey: string): boolean {
  return envKey === 'production';
}
