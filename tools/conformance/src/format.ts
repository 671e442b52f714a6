/**
 * Writes vector files in a stable, diff-friendly layout: objects and arrays
 * that fit in `width` columns stay on one line, and every case (or vector)
 * tuple is exactly one line, whatever its length.
 */

function compact(value: unknown): string {
  return JSON.stringify(value);
}

function pretty(value: unknown, indent: string, width: number): string {
  const flat = compact(value);
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + pretty(v, inner, width)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner, width)}`)
    .join(',\n')}\n${indent}}`;
}

/** Formats a vector file: top-level members pretty-printed, `cases`/`vectors` one tuple per line. */
export function formatCaseFile(file: Record<string, unknown>, width = 100): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(file)) {
    if ((key === 'cases' || key === 'vectors') && Array.isArray(value)) {
      const rows = value.map((row) => `    ${compact(row)}`);
      lines.push(`  ${JSON.stringify(key)}: [\n${rows.join(',\n')}\n  ]`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${pretty(value, '  ', width)}`);
    }
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}
