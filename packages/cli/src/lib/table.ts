/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function renderTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]! + cell.length - width(cell)) : cell.padEnd(widths[c]! + cell.length - width(cell))))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Display width: code points (the table has no wide characters). */
function width(text: string): number {
  return [...text].length;
}
