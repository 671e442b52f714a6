/**
 * A small, slow model of packages/engine/SPEC.md, used only to cross-check the
 * hand-written vectors (src/reference.test.ts runs every vector file through
 * it with the same runner the engine uses). It is NOT normative: SPEC.md is,
 * including the readings the vectors once pinned on their own.
 */
import { bucketOf } from './murmur3';
import type { ConformanceHost, EvaluationResult } from './index';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const MAX_DEPTH = 64;
const KIND_RE = /^[A-Za-z0-9._-]+$/;
const OPS = new Set([
  'in', 'startsWith', 'endsWith', 'contains', 'matches',
  'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual',
  'before', 'after', 'semVerEqual', 'semVerLessThan', 'semVerGreaterThan', 'segmentMatch',
]);

class LoadError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** A problem inside a flag or segment of a datafile that loads (SPEC.md §1). */
export interface Warning {
  path: string;
  message: string;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const utf8Len = (s: string) => new TextEncoder().encode(s).length;

function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let max = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) max = Math.max(max, depthOf(x));
  return max + 1;
}

function parseInput(input: unknown, root: string): Json {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new LoadError(root, `invalid JSON (${(e as Error).message})`);
    }
  }
  if (depthOf(value) > MAX_DEPTH) throw new LoadError(root, `JSON nesting deeper than ${MAX_DEPTH}`);
  return value as Json;
}

// ---------------------------------------------------------------- attribute references

/** Components of a reference, or null when it is not a valid reference. */
export function parseRef(ref: string): string[] | null {
  if (ref === '') return null;
  if (!ref.startsWith('/')) return [ref];
  const parts = ref.slice(1).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '') return null;
    if (/~(?![01])/.test(p)) return null;
    out.push(p.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return out;
}

// ---------------------------------------------------------------- semver

interface SemVer { nums: [bigint, bigint, bigint]; pre: string[] }

export function parseSemVer(s: string): SemVer | null {
  const m = /^[vV]?(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?)?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/.exec(s);
  if (!m) return null;
  const pre = m[4] === undefined ? [] : m[4].split('.');
  if (pre.some((id) => /^\d+$/.test(id) && id.length > 1 && id.startsWith('0'))) return null;
  // docs/semver-and-dates.md: components above 2^53 - 1 are invalid
  if ([m[1], m[2], m[3]].some((c) => c !== undefined && BigInt(c) > 9007199254740991n)) return null;
  return { nums: [BigInt(m[1]!), BigInt(m[2] ?? '0'), BigInt(m[3] ?? '0')], pre };
}

function cmpSemVer(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i]! < b.nums[i]! ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return (b.pre.length ? 1 : 0) - (a.pre.length ? 1 : 0);
  for (let i = 0; ; i++) {
    if (i === a.pre.length || i === b.pre.length) return Math.sign(a.pre.length - b.pre.length);
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    let r: number;
    if (xn && yn) r = BigInt(x) === BigInt(y) ? 0 : BigInt(x) < BigInt(y) ? -1 : 1;
    else if (xn !== yn) r = xn ? -1 : 1;
    else r = x === y ? 0 : x < y ? -1 : 1; // code unit order = ASCII order here
    if (r) return r;
  }
}

// ---------------------------------------------------------------- timestamps

export function parseTimestamp(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2})))?$/.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return null;
  const dim = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d < 1 || d > dim) return null;
  const dayMs = utcDays(y, mo, d) * 86400000;
  if (m[4] === undefined) return dayMs;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23 || mi > 59 || s > 60) return null;
  const frac = m[7] === undefined ? 0 : Number((m[7] + '00').slice(0, 3));
  let off = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return null;
    off = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
  }
  return dayMs + (h * 3600 + mi * 60 + s - off * 60) * 1000 + frac;
}

function utcDays(y: number, m: number, d: number): number {
  // days_from_civil (H. Hinnant)
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// ---------------------------------------------------------------- regular expressions

interface CompiledRegex { re: RegExp; foldAscii: boolean }

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f', space: '\\t\\n\\v\\f\\r ', blank: '\\t ',
};

/**
 * Parses the RE2 subset of docs/regex.md that the vectors use, rejects what it
 * rejects (look-around, backreferences, nested quantifiers, programs over
 * 5000 instructions, ...), and translates the pattern into an equivalent
 * JavaScript RegExp with the `u` flag. `(?i)` at the start becomes ASCII-only
 * folding (the subject's ASCII letters are lowercased, and so are the
 * pattern's). Flag groups elsewhere are not modelled.
 */
export function compileRegex(pattern: string): CompiledRegex | string {
  const src = [...pattern]; // code points
  let i = 0;
  let fold = false;
  let dotAll = false;
  let multiline = false;
  const m = /^\(\?([imsU]+)\)/.exec(pattern);
  if (m) {
    fold = m[1]!.includes('i');
    dotAll = m[1]!.includes('s');
    multiline = m[1]!.includes('m');
    i = m[0].length;
  }
  const fail = (msg: string): never => {
    throw new LoadError('', `${msg} at offset ${i}`);
  };
  const peek = (k = 0) => src[i + k];
  const lit = (c: string): string => {
    let cp = c.codePointAt(0)!;
    if (fold && cp >= 0x41 && cp <= 0x5a) cp += 0x20;
    const ch = String.fromCodePoint(cp);
    return /[0-9A-Za-z]/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
  };
  const repeatAt = (k: number) => /^\{(\d+)(,(\d*))?\}/.exec(src.slice(k, k + 16).join(''));
  const isQuant = () => peek() === '*' || peek() === '+' || peek() === '?' || (peek() === '{' && repeatAt(i) !== null);

  // Each returns [JS source, estimated instruction count].
  function alt(): [string, number] {
    let [s, n] = concat();
    while (peek() === '|') {
      i++;
      const [s2, n2] = concat();
      s += `|${s2}`;
      n += 1 + n2;
    }
    return [s, n];
  }
  function concat(): [string, number] {
    let s = '';
    let n = 0;
    while (i < src.length && peek() !== '|' && peek() !== ')') {
      const [s2, n2] = repeat();
      s += s2;
      n += n2;
    }
    return [s, n];
  }
  function repeat(): [string, number] {
    const start = i;
    let [s, n, assertion] = atom();
    if (!isQuant()) return [s, n];
    if (assertion) fail('quantifier after an assertion');
    void start;
    const c = peek()!;
    if (c === '{') {
      const r = repeatAt(i)!;
      i += r[0].length;
      const lo = Number(r[1]);
      const hi = r[2] === undefined ? lo : r[3] === '' ? -1 : Number(r[3]);
      if (lo > 1000 || hi > 1000 || (hi !== -1 && hi < lo)) fail('bad counted repetition');
      s = `(?:${s})${r[0]}`;
      n = n * Math.max(hi === -1 ? lo + 1 : hi, 1) + 1;
    } else {
      i++;
      s = `(?:${s})${c}`;
      n += 1;
    }
    if (peek() === '?') {
      i++;
      s += '?';
    }
    if (isQuant()) fail('nested quantifier');
    return [s, n];
  }
  function escape(inClass: boolean): string {
    const e = src[i++];
    if (e === undefined) fail('trailing backslash');
    switch (e) {
      case 'd': case 'D': case 'w': case 'W': return `\\${e}`;
      case 's': return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      case 'S': if (inClass) fail('unsupported \\S in class'); return '[^\\t\\n\\f\\r ]';
      case 't': case 'n': case 'r': case 'f': case 'v': return `\\${e}`;
      case 'a': return '\\x07';
      case 'x': {
        if (peek() === '{') {
          const close = src.indexOf('}', i);
          const hex = src.slice(i + 1, close).join('');
          if (close < 0 || !/^[0-9A-Fa-f]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) fail('bad \\x{}');
          i = close + 1;
          return lit(String.fromCodePoint(parseInt(hex, 16)));
        }
        const hex = src.slice(i, i + 2).join('');
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail('bad \\x');
        i += 2;
        return lit(String.fromCodePoint(parseInt(hex, 16)));
      }
      default:
        if (/[1-9]/.test(e!) || e === 'k') fail(`unsupported backreference \\${e}`);
        if (/^[!-\/:-@\[-`{-~]$/.test(e!)) return lit(e!); // escaped ASCII punctuation
        return fail(`invalid escape \\${e}`);
    }
  }
  function cls(): string {
    // after '['
    let out = '[';
    if (peek() === '^') {
      i++;
      out += '^';
    }
    let first = true;
    for (;;) {
      const c = peek();
      if (c === undefined) return fail('missing ]');
      if (c === ']' && !first) {
        i++;
        return `${out}]`;
      }
      first = false;
      if (c === '[' && peek(1) === ':') {
        const close = src.indexOf(']', i);
        const name = src.slice(i + 2, close - 1).join('');
        if (src[close - 1] !== ':' || !(name in POSIX)) fail('bad POSIX class');
        i = close + 1;
        out += fold && /^(upper|lower)$/.test(name) ? 'a-z' : POSIX[name];
        continue;
      }
      let from: string;
      let cp: number | null = null;
      if (c === '\\') {
        i++;
        const before = i;
        from = escape(true);
        if (src[before] === 'b') fail('\\b in class');
        if (/^\\u\{[0-9a-f]+\}$/.test(from)) cp = parseInt(from.slice(3, -1), 16);
        else if (from.length === 1) cp = from.codePointAt(0)!;
      } else {
        i++;
        from = lit(c);
        cp = c.codePointAt(0)!;
      }
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== undefined && cp !== null) {
        i++;
        const d = peek()!;
        let to: string;
        let cp2: number;
        if (d === '\\') {
          i++;
          to = escape(true);
          if (!/^\\u\{[0-9a-f]+\}$/.test(to) && to.length !== 1) fail('bad class range');
          cp2 = to.length === 1 ? to.codePointAt(0)! : parseInt(to.slice(3, -1), 16);
        } else {
          i++;
          to = lit(d);
          cp2 = d.codePointAt(0)!;
        }
        if (cp2 < cp) fail('bad class range');
        out += `${from}-${to}`;
      } else {
        out += from;
      }
    }
  }
  function atom(): [string, number, boolean] {
    const c = src[i++]!;
    if (c === '(') {
      let name = '';
      if (peek() === '?') {
        const rest = src.slice(i, i + 4).join('');
        if (/^\?(=|!|<=|<!)/.test(rest)) fail('unsupported look-around');
        if (rest.startsWith('?:')) i += 2;
        else if (/^\?P?<[A-Za-z_]/.test(rest)) {
          const close = src.indexOf('>', i);
          name = src.slice(i, close).join('');
          if (close < 0 || !/^\?P?<[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail('bad group name');
          i = close + 1;
        } else fail('unsupported group syntax');
      }
      const [s, n] = alt();
      if (src[i++] !== ')') fail('missing )');
      return [`(?:${s})`, n + 2, false];
    }
    if (c === '[') return [cls(), 1, false];
    if (c === '\\') {
      const e = peek();
      if (e === 'A') { i++; return ['(?<![\\s\\S])', 1, true]; }
      if (e === 'z') { i++; return ['(?![\\s\\S])', 1, true]; }
      if (e === 'b' || e === 'B') { i++; return [`\\${e}`, 1, true]; }
      if (e === 'Q') {
        i++;
        let s = '';
        while (i < src.length && !(src[i] === '\\' && src[i + 1] === 'E')) s += lit(src[i++]!);
        if (i < src.length) i += 2;
        return [`(?:${s})`, Math.max(s.length, 1), false];
      }
      return [escape(false), 1, false];
    }
    if (c === '.') return [dotAll ? '[\\s\\S]' : '[^\\n]', 1, false];
    if (c === '^' || c === '$') return [c, 1, true];
    if (c === '*' || c === '+' || c === '?') fail('quantifier with nothing to repeat');
    if (c === ')') fail('unmatched )');
    return [lit(c), 1, false];
  }
  try {
    const [s, n] = alt();
    if (i < src.length) fail('unmatched )');
    if (n > 5000) fail('program too large');
    return { re: new RegExp(s, `u${multiline ? 'm' : ''}`), foldAscii: fold };
  } catch (e) {
    if (e instanceof LoadError) return e.detail;
    return (e as Error).message;
  }
}

// ---------------------------------------------------------------- datafile validation

interface Model {
  flags: Map<string, Obj>;
  segments: Map<string, Obj>;
  regexes: Map<string, CompiledRegex>;
  /** Flags with a structural problem: they evaluate to ERROR/MALFORMED_FLAG. */
  malformed: Set<Obj>;
  /** Clauses with a problem: they never match, negated or not. */
  never: Set<Obj>;
  warnings: Warning[];
}

function validate(df: Json): Model {
  const err = (path: string, msg: string): never => {
    throw new LoadError(path, msg);
  };
  const warnings: Warning[] = [];
  const malformed = new Set<Obj>();
  const never = new Set<Obj>();
  const brokenSegments = new Set<string>();
  /** Runs `check`; a problem it throws becomes a warning and `onProblem` runs. */
  const softly = (check: () => void, onProblem: () => void) => {
    try {
      check();
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      warnings.push({ path: e.path, message: e.detail });
      onProblem();
    }
  };
  if (!isObj(df)) err('datafile', 'must be an object');
  const d = df as Obj;
  if (!has(d, 'schemaVersion')) err('schemaVersion', 'is required');
  if (d.schemaVersion !== 1) err('schemaVersion', `unsupported schema version ${JSON.stringify(d.schemaVersion)}, must be 1`);
  if (has(d, 'revision') && !(isInt(d.revision) && d.revision >= 0)) err('revision', 'must be an integer >= 0');
  if (!has(d, 'flags')) err('flags', 'is required');
  if (!Array.isArray(d.flags)) err('flags', 'must be an array');
  if (has(d, 'segments') && !Array.isArray(d.segments)) err('segments', 'must be an array');
  const regexes = new Map<string, CompiledRegex>();

  const str = (o: Obj, k: string, p: string, required: boolean) => {
    if (!has(o, k)) return required ? err(`${p}.${k}`, 'is required') : undefined;
    if (typeof o[k] !== 'string') err(`${p}.${k}`, 'must be a string');
    return o[k] as string;
  };
  const arr = (o: Obj, k: string, p: string, required: boolean): Json[] => {
    if (!has(o, k)) return required ? err(`${p}.${k}`, 'is required') : [];
    if (!Array.isArray(o[k])) err(`${p}.${k}`, 'must be an array');
    return o[k] as Json[];
  };
  const bool = (o: Obj, k: string, p: string, required: boolean) => {
    if (!has(o, k)) return required ? err(`${p}.${k}`, 'is required') : undefined;
    if (typeof o[k] !== 'boolean') err(`${p}.${k}`, 'must be a boolean');
    return o[k];
  };
  const obj = (v: Json | undefined, p: string): Obj => (isObj(v) ? v : err(p, 'must be an object'));
  const index = (o: Obj, k: string, p: string, n: number, required = true) => {
    if (!has(o, k)) return required ? err(`${p}.${k}`, 'is required') : undefined;
    const v = o[k];
    if (!isInt(v)) return err(`${p}.${k}`, 'must be an integer');
    if (v < 0 || v >= n) err(`${p}.${k}`, `variation index ${v} out of range`);
    return v;
  };
  const kind = (o: Obj, k: string, p: string) => {
    const v = str(o, k, p, false);
    if (v !== undefined && (!KIND_RE.test(v) || v === 'kind' || v === 'multi')) err(`${p}.${k}`, 'invalid context kind');
  };
  const ref = (o: Obj, k: string, p: string, required: boolean) => {
    const v = str(o, k, p, required);
    if (v !== undefined && !parseRef(v)) err(`${p}.${k}`, 'invalid attribute reference');
  };

  const clause = (c: Json, p: string) => {
    const o = obj(c, p);
    kind(o, 'contextKind', p);
    const op = str(o, 'op', p, true)!;
    if (!OPS.has(op)) err(`${p}.op`, `unknown operator ${JSON.stringify(op)}`);
    ref(o, 'attribute', p, op !== 'segmentMatch');
    bool(o, 'negate', p, false);
    const values = arr(o, 'values', p, true);
    if (values.length === 0) err(`${p}.values`, 'must have at least one value');
    values.forEach((v, j) => {
      const vp = `${p}.values[${j}]`;
      switch (op) {
        case 'in':
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') err(vp, 'must be a string, number or boolean');
          break;
        case 'startsWith': case 'endsWith': case 'contains': case 'segmentMatch':
          if (typeof v !== 'string') err(vp, 'must be a string');
          break;
        case 'matches': {
          if (typeof v !== 'string') err(vp, 'must be a string');
          const r = compileRegex(v as string);
          if (typeof r === 'string') err(vp, `invalid regular expression: ${r}`);
          regexes.set(v as string, r as CompiledRegex);
          break;
        }
        case 'before': case 'after':
          if (parseTimestamp(v) === null) err(vp, 'invalid timestamp');
          break;
        case 'semVerEqual': case 'semVerLessThan': case 'semVerGreaterThan':
          if (typeof v !== 'string' || !parseSemVer(v)) err(vp, 'invalid semantic version');
          break;
        default:
          if (typeof v !== 'number') err(vp, 'must be a number');
      }
    });
  };
  const serve = (s: Json | undefined, p: string, n: number) => {
    const o = obj(s, p);
    if (has(o, 'variation') === has(o, 'rollout')) err(p, 'must have exactly one of variation and rollout');
    if (has(o, 'variation')) return void index(o, 'variation', p, n);
    const rp = `${p}.rollout`;
    const r = obj(o.rollout, rp);
    const k = str(r, 'kind', rp, false) ?? 'rollout';
    if (k !== 'rollout' && k !== 'experiment') err(`${rp}.kind`, `unknown rollout kind ${JSON.stringify(k)}`);
    kind(r, 'contextKind', rp);
    ref(r, 'bucketBy', rp, false);
    str(r, 'salt', rp, false);
    const vs = arr(r, 'variations', rp, true);
    if (vs.length === 0) err(`${rp}.variations`, 'must not be empty');
    let sum = 0;
    vs.forEach((w, j) => {
      const wp = `${rp}.variations[${j}]`;
      const wo = obj(w, wp);
      index(wo, 'variation', wp, n);
      if (!has(wo, 'weight')) err(`${wp}.weight`, 'is required');
      if (!isInt(wo.weight) || (wo.weight as number) < 0 || (wo.weight as number) > 100000) err(`${wp}.weight`, 'must be an integer in [0, 100000]');
      sum += wo.weight as number;
    });
    if (sum !== 100000) err(`${rp}.variations`, `weights add up to ${sum}, must be 100000`);
    if (k === 'experiment') {
      let ta = 100000;
      if (has(r, 'trafficAllocation')) {
        if (!isInt(r.trafficAllocation) || r.trafficAllocation < 0 || r.trafficAllocation > 100000) err(`${rp}.trafficAllocation`, 'must be an integer in [0, 100000]');
        ta = r.trafficAllocation as number;
      }
      index(r, 'untrackedVariation', rp, n, ta < 100000);
    }
  };

  // what cannot be a datafile is refused: entries that are no objects, keys missing, too long or repeated
  const flags = new Map<string, Obj>();
  const flagPaths = new Map<string, number>();
  const flagList: Obj[] = [];
  (d.flags as Json[]).forEach((f, i) => {
    const p = `flags[${i}]`;
    const o = obj(f, p);
    const key = str(o, 'key', p, true)!;
    const kl = utf8Len(key);
    if (kl < 1 || kl > 256) err(`${p}.key`, 'must be 1 to 256 bytes');
    if (flags.has(key)) err(`${p}.key`, `duplicate flag key ${JSON.stringify(key)}`);
    flags.set(key, o);
    flagPaths.set(key, i);
    flagList.push(o);
  });
  const segments = new Map<string, Obj>();
  const segIndex = new Map<string, number>();
  const segList: Obj[] = [];
  ((d.segments as Json[] | undefined) ?? []).forEach((s, i) => {
    const p = `segments[${i}]`;
    const o = obj(s, p);
    const key = str(o, 'key', p, true)!;
    const kl = utf8Len(key);
    if (kl < 1 || kl > 256) err(`${p}.key`, 'must be 1 to 256 bytes');
    if (segments.has(key)) err(`${p}.key`, `duplicate segment key ${JSON.stringify(key)}`);
    segments.set(key, o);
    segIndex.set(key, i);
    segList.push(o);
  });

  // anything wrong inside a flag or a segment is a warning: a clause never matches, a flag is malformed
  const clauses = (ro: Obj, rp: string) =>
    arr(ro, 'clauses', rp, false).forEach((c, k) =>
      softly(() => clause(c, `${rp}.clauses[${k}]`), () => isObj(c) && never.add(c)),
    );
  segList.forEach((o, i) => {
    const p = `segments[${i}]`;
    softly(() => {
      for (const k of ['included', 'excluded']) {
        arr(o, k, p, false).forEach((v, j) => typeof v === 'string' || err(`${p}.${k}[${j}]`, 'must be a string'));
      }
      for (const k of ['includedContexts', 'excludedContexts']) {
        arr(o, k, p, false).forEach((t, j) => {
          const tp = `${p}.${k}[${j}]`;
          const to = obj(t, tp);
          if (!has(to, 'contextKind')) err(`${tp}.contextKind`, 'is required');
          kind(to, 'contextKind', tp);
          arr(to, 'values', tp, true).forEach((v, m) => typeof v === 'string' || err(`${tp}.values[${m}]`, 'must be a string'));
        });
      }
      arr(o, 'rules', p, false).forEach((r, j) => clauses(obj(r, `${p}.rules[${j}]`), `${p}.rules[${j}]`));
    }, () => brokenSegments.add(o.key as string));
  });
  flagList.forEach((o, i) => {
    const p = `flags[${i}]`;
    softly(() => {
      bool(o, 'on', p, true);
      const vars = arr(o, 'variations', p, true);
      if (vars.length < 1 || vars.length > 4094) err(`${p}.variations`, 'must have 1 to 4094 items');
      const n = vars.length;
      if (has(o, 'offVariation') && o.offVariation !== null) index(o, 'offVariation', p, n);
      str(o, 'salt', p, false);
      bool(o, 'clientSide', p, false);
      arr(o, 'prerequisites', p, false).forEach((pr, j) => {
        const pp = `${p}.prerequisites[${j}]`;
        const po = obj(pr, pp);
        str(po, 'key', pp, true);
        if (!has(po, 'variation')) err(`${pp}.variation`, 'is required');
        if (!isInt(po.variation) || (po.variation as number) < 0) err(`${pp}.variation`, 'must be an integer >= 0');
      });
      arr(o, 'targets', p, false).forEach((t, j) => {
        const tp = `${p}.targets[${j}]`;
        const to = obj(t, tp);
        kind(to, 'contextKind', tp);
        arr(to, 'values', tp, true).forEach((v, k) => typeof v === 'string' || err(`${tp}.values[${k}]`, 'must be a string'));
        index(to, 'variation', tp, n);
      });
      arr(o, 'rules', p, false).forEach((r, j) => {
        const rp = `${p}.rules[${j}]`;
        const ro = obj(r, rp);
        str(ro, 'id', rp, false);
        clauses(ro, rp);
        if (!has(ro, 'serve')) err(`${rp}.serve`, 'is required');
        serve(ro.serve, `${rp}.serve`, n);
      });
      if (!has(o, 'fallthrough')) err(`${p}.fallthrough`, 'is required');
      serve(o.fallthrough, `${p}.fallthrough`, n);
    }, () => malformed.add(o));
  });

  // a clause naming a segment with a problem never matches
  const cutBroken = (owner: string, i: number, rules: Json | undefined) =>
    (Array.isArray(rules) ? (rules as Obj[]) : []).forEach((r, j) =>
      ((r.clauses as Obj[] | undefined) ?? []).forEach((c, k) => {
        if (never.has(c) || c.op !== 'segmentMatch') return;
        const m = (c.values as string[]).findIndex((v) => brokenSegments.has(v));
        if (m < 0) return;
        warnings.push({ path: `${owner}[${i}].rules[${j}].clauses[${k}].values[${m}]`, message: 'names a segment with a problem' });
        never.add(c);
      }),
    );
  segList.forEach((o, i) => brokenSegments.has(o.key as string) || cutBroken('segments', i, o.rules));
  flagList.forEach((o, i) => malformed.has(o) || cutBroken('flags', i, o.rules));

  // Graphs (SPEC.md §9): a depth-first walk in datafile order, each node's edges in order; an
  // edge that closes a cycle, or would make the walked path plus what lies below it longer than
  // MAX_DEPTH nodes, is cut: the flag it belongs to is malformed, the segment clause never matches.
  const fstate = new Map<Obj, number>(); // 1 on the stack, 2 done
  const fdepth = new Map<Obj, number>();
  const fstack: Obj[] = [];
  const visitFlag = (o: Obj) => {
    fstate.set(o, 1);
    fstack.push(o);
    let below = 0;
    const i = flagPaths.get(o.key as string)!;
    const prereqs = malformed.has(o) ? [] : ((o.prerequisites as Obj[] | undefined) ?? []);
    for (let j = 0; j < prereqs.length && !malformed.has(o); j++) {
      const pr = prereqs[j]!;
      const q = flags.get(pr.key as string);
      if (!q) continue;
      const pp = `flags[${i}].prerequisites[${j}]`;
      const cut = (path: string, message: string) => {
        warnings.push({ path, message });
        malformed.add(o);
      };
      if (!malformed.has(q) && (pr.variation as number) >= (q.variations as Json[]).length) cut(`${pp}.variation`, 'beyond the prerequisite flag\'s variations');
      else if (fstate.get(q) === 1) cut(pp, `prerequisite cycle through ${JSON.stringify(q.key)}`);
      else if ((!fstate.has(q) && fstack.length >= MAX_DEPTH) || (fstate.get(q) === 2 && fstack.length + fdepth.get(q)! > MAX_DEPTH)) {
        cut(pp, `prerequisite chain deeper than ${MAX_DEPTH}`);
      } else {
        if (!fstate.has(q)) visitFlag(q);
        below = Math.max(below, fdepth.get(q)!);
      }
    }
    fdepth.set(o, malformed.has(o) ? 1 : 1 + below);
    fstack.pop();
    fstate.set(o, 2);
  };
  for (const o of flagList) if (!fstate.has(o)) visitFlag(o);

  const sstate = new Map<string, number>();
  const sdepth = new Map<string, number>();
  const sstack: string[] = [];
  const visitSeg = (key: string) => {
    sstate.set(key, 1);
    sstack.push(key);
    let below = 0;
    const i = segIndex.get(key)!;
    const rules = brokenSegments.has(key) ? [] : ((segments.get(key)!.rules as Obj[] | undefined) ?? []);
    rules.forEach((r, j) => {
      ((r.clauses as Obj[] | undefined) ?? []).forEach((c, k) => {
        const values = c.values as string[];
        for (let m = 0; m < values.length && c.op === 'segmentMatch' && !never.has(c); m++) {
          const v = values[m]!;
          if (!segments.has(v)) continue;
          const vp = `segments[${i}].rules[${j}].clauses[${k}].values[${m}]`;
          if (sstate.get(v) === 1) {
            warnings.push({ path: vp, message: `segment cycle through ${JSON.stringify(v)}` });
            never.add(c);
          } else if ((!sstate.has(v) && sstack.length >= MAX_DEPTH) || (sstate.get(v) === 2 && sstack.length + sdepth.get(v)! > MAX_DEPTH)) {
            warnings.push({ path: vp, message: `segments nested deeper than ${MAX_DEPTH}` });
            never.add(c);
          } else {
            if (!sstate.has(v)) visitSeg(v);
            below = Math.max(below, sdepth.get(v)!);
          }
        }
      });
    });
    sdepth.set(key, 1 + below);
    sstack.pop();
    sstate.set(key, 2);
  };
  for (const o of segList) if (!sstate.has(o.key as string)) visitSeg(o.key as string);

  return { flags, segments, regexes, malformed, never, warnings };
}

// ---------------------------------------------------------------- contexts

type Ctx = Map<string, Obj>; // kind -> attributes

function validateContext(input: unknown): Ctx {
  const c = parseInput(input, 'context');
  const err = (path: string, msg: string): never => {
    throw new LoadError(path, msg);
  };
  if (!isObj(c)) err('context', 'must be a JSON object');
  const o = c as Obj;
  const kind = has(o, 'kind') ? o.kind : 'user';
  if (typeof kind !== 'string') err('context.kind', 'must be a string');
  const out: Ctx = new Map();
  if (kind === 'multi') {
    for (const [k, sub] of Object.entries(o)) {
      if (k === 'kind') continue;
      if (!KIND_RE.test(k) || k === 'multi') err(`context.${k}`, `invalid context kind ${JSON.stringify(k)}`);
      if (!isObj(sub)) err(`context.${k}`, 'must be an object');
      const so = sub as Obj;
      if (typeof so.key !== 'string' || so.key === '') err(`context.${k}.key`, 'must be a non-empty string');
      out.set(k, so);
    }
    if (out.size === 0) err('context', 'a multi-kind context needs at least one kind');
    return out;
  }
  if (!KIND_RE.test(kind as string) || kind === 'kind') err('context.kind', `invalid context kind ${JSON.stringify(kind)}`);
  if (typeof o.key !== 'string' || o.key === '') err('context.key', 'must be a non-empty string');
  out.set(kind as string, o);
  return out;
}

// ---------------------------------------------------------------- evaluation

const MISSING = Symbol('missing');

function readAttr(ctx: Ctx, kind: string, ref: string): Json | typeof MISSING {
  if (ref === 'kind') return [...ctx.keys()];
  const attrs = ctx.get(kind);
  if (!attrs) return MISSING;
  let cur: Json = attrs;
  for (const comp of parseRef(ref)!) {
    if (!isObj(cur) || !has(cur, comp)) return MISSING;
    cur = cur[comp]!;
  }
  return cur === null ? MISSING : cur;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
function bytesStartWith(a: Uint8Array, b: Uint8Array, at: number): boolean {
  if (at < 0 || at + b.length > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[at + i] !== b[i]) return false;
  return true;
}

class Evaluator {
  constructor(private _m: Model) {}

  private _op(op: string, a: Json, b: Json): boolean {
    switch (op) {
      case 'in':
        return (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') && typeof a === typeof b && a === b;
      case 'startsWith':
      case 'endsWith':
      case 'contains': {
        if (typeof a !== 'string' || typeof b !== 'string') return false;
        const x = utf8(a);
        const y = utf8(b);
        if (op === 'startsWith') return bytesStartWith(x, y, 0);
        if (op === 'endsWith') return bytesStartWith(x, y, x.length - y.length);
        for (let i = 0; i + y.length <= x.length; i++) if (bytesStartWith(x, y, i)) return true;
        return false;
      }
      case 'matches': {
        if (typeof a !== 'string') return false;
        const r = this._m.regexes.get(b as string)!;
        const subject = r.foldAscii ? a.replace(/[A-Z]/g, (t) => t.toLowerCase()) : a;
        return r.re.test(subject);
      }
      case 'lessThan': return typeof a === 'number' && a < (b as number);
      case 'lessThanOrEqual': return typeof a === 'number' && a <= (b as number);
      case 'greaterThan': return typeof a === 'number' && a > (b as number);
      case 'greaterThanOrEqual': return typeof a === 'number' && a >= (b as number);
      case 'before':
      case 'after': {
        const x = parseTimestamp(a);
        const y = parseTimestamp(b)!;
        if (x === null) return false;
        return op === 'before' ? x < y : x > y;
      }
      default: {
        if (typeof a !== 'string') return false;
        const x = parseSemVer(a);
        if (!x) return false;
        const r = cmpSemVer(x, parseSemVer(b as string)!);
        return op === 'semVerEqual' ? r === 0 : op === 'semVerLessThan' ? r < 0 : r > 0;
      }
    }
  }

  clause(c: Obj, ctx: Ctx, segStack: string[]): boolean {
    if (this._m.never.has(c)) return false;
    const values = c.values as Json[];
    if (c.op === 'segmentMatch') {
      const inAny = values.some((v) => this.inSegment(v as string, ctx, segStack));
      return c.negate === true ? !inAny : inAny;
    }
    const v = readAttr(ctx, (c.contextKind as string | undefined) ?? 'user', c.attribute as string);
    if (v === MISSING) return false;
    const candidates = Array.isArray(v) ? v : [v];
    const hit = candidates.some((a) => !Array.isArray(a) && !isObj(a) && a !== null && values.some((b) => this._op(c.op as string, a, b)));
    return c.negate === true ? !hit : hit;
  }

  inSegment(key: string, ctx: Ctx, stack: string[]): boolean {
    const s = this._m.segments.get(key);
    if (!s || stack.includes(key)) return false;
    const userKey = ctx.get('user')?.key as string | undefined;
    const inTargets = (list: Json[] | undefined, ctxList: Json[] | undefined) =>
      (userKey !== undefined && ((list as string[] | undefined) ?? []).includes(userKey)) ||
      ((ctxList as Obj[] | undefined) ?? []).some((t) => {
        const k = ctx.get(t.contextKind as string)?.key as string | undefined;
        return k !== undefined && (t.values as string[]).includes(k);
      });
    if (inTargets(s.included as Json[], s.includedContexts as Json[])) return true;
    if (inTargets(s.excluded as Json[], s.excludedContexts as Json[])) return false;
    return ((s.rules as Obj[] | undefined) ?? []).some((r) =>
      ((r.clauses as Obj[] | undefined) ?? []).every((c) => this.clause(c, ctx, [...stack, key])),
    );
  }

  private _serve(flag: Obj, s: Obj, ctx: Ctx): { variation: number; inExperiment: boolean } {
    if (has(s, 'variation')) return { variation: s.variation as number, inExperiment: false };
    const r = s.rollout as Obj;
    const salt = (r.salt as string | undefined) ?? (flag.salt as string | undefined) ?? (flag.key as string);
    const kind = (r.contextKind as string | undefined) ?? 'user';
    const raw = ctx.has(kind) ? readAttr(ctx, kind, (r.bucketBy as string | undefined) ?? 'key') : MISSING;
    let value: string | null = null;
    if (typeof raw === 'string') value = raw;
    else if (typeof raw === 'number' && Number.isSafeInteger(raw)) value = String(raw === 0 ? 0 : raw);
    const bucket = value === null ? 0 : bucketOf(salt, value).bucket;
    const weighted = () => {
      let acc = 0;
      const vs = r.variations as Obj[];
      for (const w of vs) {
        acc += w.weight as number;
        if (bucket < acc) return w.variation as number;
      }
      return vs[vs.length - 1]!.variation as number;
    };
    if (r.kind !== 'experiment') return { variation: weighted(), inExperiment: false };
    const ta = (r.trafficAllocation as number | undefined) ?? 100000;
    const traffic = value === null ? 0 : bucketOf(`${salt}:traffic`, value).bucket;
    if (traffic < ta) return { variation: weighted(), inExperiment: value !== null };
    return { variation: r.untrackedVariation as number, inExperiment: false };
  }

  evaluate(key: string, ctx: Ctx): EvaluationResult {
    const flag = this._m.flags.get(key);
    if (!flag) return { value: null, variation: null, reason: { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' }, inExperiment: false };
    if (this._m.malformed.has(flag)) return { value: null, variation: null, reason: { kind: 'ERROR', errorKind: 'MALFORMED_FLAG' }, inExperiment: false };
    const vars = flag.variations as Json[];
    const result = (variation: number | null, reason: Record<string, unknown>, inExperiment = false): EvaluationResult => ({
      value: variation === null ? null : vars[variation],
      variation,
      reason,
      inExperiment,
    });
    const off = (reason: Record<string, unknown>) => result((flag.offVariation as number | null | undefined) ?? null, reason);
    if (flag.on !== true) return off({ kind: 'OFF' });
    const prereqs = (flag.prerequisites as Obj[] | undefined) ?? [];
    for (let i = 0; i < prereqs.length; i++) {
      const p = prereqs[i]!;
      const pf = this._m.flags.get(p.key as string);
      const failed = !pf || pf.on !== true || this.evaluate(p.key as string, ctx).variation !== p.variation;
      if (failed) return off({ kind: 'PREREQUISITE_FAILED', prerequisiteIndex: i, prerequisiteKey: p.key });
    }
    for (const t of (flag.targets as Obj[] | undefined) ?? []) {
      const k = ctx.get((t.contextKind as string | undefined) ?? 'user')?.key;
      if (typeof k === 'string' && (t.values as string[]).includes(k)) return result(t.variation as number, { kind: 'TARGET_MATCH' });
    }
    const rules = (flag.rules as Obj[] | undefined) ?? [];
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (((r.clauses as Obj[] | undefined) ?? []).every((c) => this.clause(c, ctx, []))) {
        const s = this._serve(flag, r.serve as Obj, ctx);
        return result(s.variation, { kind: 'RULE_MATCH', ruleIndex: i, ruleId: (r.id as string | undefined) ?? null }, s.inExperiment);
      }
    }
    const s = this._serve(flag, flag.fallthrough as Obj, ctx);
    return result(s.variation, { kind: 'FALLTHROUGH' }, s.inExperiment);
  }
}

/** A ConformanceHost backed by this model. */
export function createReferenceHost(): ConformanceHost & { bucket(salt: string, value: string): number } {
  let evaluator: Evaluator | null = null;
  return {
    load(datafile) {
      try {
        const model = validate(parseInput(datafile, 'datafile'));
        evaluator = new Evaluator(model);
        return { error: null, warnings: model.warnings };
      } catch (e) {
        if (e instanceof LoadError) return e.message;
        throw e;
      }
    },
    evaluate(context, flagKey) {
      let ctx: Ctx;
      try {
        ctx = validateContext(context);
      } catch (e) {
        if (e instanceof LoadError) return e.message;
        throw e;
      }
      if (!evaluator) return { value: null, variation: null, reason: { kind: 'ERROR', errorKind: 'NO_DATAFILE' }, inExperiment: false };
      return evaluator.evaluate(flagKey, ctx);
    },
    bucket(salt, value) {
      return bucketOf(salt, value).bucket;
    },
  };
}
