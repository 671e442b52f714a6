/** The number, time and JSON formats the pages share (pure: `assets.test.ts` runs them in Node). */

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

export function fmtInt(n: unknown): string {
  return finite(n) ? n.toLocaleString('en-US') : '–';
}

/** 0.1294 → "12.94%" */
export function fmtPct(x: unknown, digits = 2): string {
  return finite(x) ? (x * 100).toFixed(digits) + '%' : '–';
}

/** 0.294 → "+29.4%" */
export function fmtSignedPct(x: unknown, digits = 1): string {
  if (!finite(x)) return '–';
  const text = (x * 100).toFixed(digits) + '%';
  return x > 0 ? '+' + text : text;
}

export function fmtP(p: unknown): string {
  if (!finite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

export function fmtNum(x: unknown, digits = 2): string {
  return finite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–';
}

function pad(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * A time as ISO 8601 in UTC, "2026-12-05 14:03:07 UTC": the same for every
 * reader wherever they are (a locale's "05/12/2026" is the 5th of December
 * in London and the 12th of May in New York).
 */
export function fmtTime(ms: unknown): string {
  if (typeof ms !== 'number' && typeof ms !== 'string') return '–';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
    pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + ' UTC';
}

/** A JSON value shown compactly: strings quoted, long values cut. */
export function fmtJson(v: unknown, max = 60): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = String(v);
  }
  if (text === undefined) text = 'null';
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** "1 flag", "2 flags" */
export function plural(n: number, one: string, many = one + 's'): string {
  return n + ' ' + (n === 1 ? one : many);
}
