// The catalogue of a package's message codes, dist/MESSAGES.md: one Markdown table row per code, its package and its
// full text, read back by tests and by anyone who greps it.

/** One message text of a catalogue. */
export interface CatalogueEntry {
  /** The code a production build prints, e.g. `C4K2`. */
  code: string;
  /** The full text, its dynamic values as `{1}`, `{2}`… in the order the short text lists them. */
  text: string;
}

/** One row of a catalogue: a code, the package whose build writes it, and its full text. */
export interface CatalogueRow extends CatalogueEntry {
  packageName: string;
}

const ROW = /^\| ([0-9A-Z]{4}) \| (\S+) \| (.*) \|$/;

/** The rows of a catalogue (as `writeShortMessages` of short-messages.ts writes it). */
export function readCatalogue(markdown: string): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = ROW.exec(line);
    if (match !== null) rows.push({ code: match[1]!, packageName: match[2]!, text: match[3]!.replace(/\\([\\|])/g, '$1') });
  }
  return rows;
}

/** The text of `packageName`'s catalogue, `rows` in the order given. */
export function catalogueText(packageName: string, rows: readonly CatalogueRow[]): string {
  const lines = rows.map((row) => `| ${row.code} | ${row.packageName} | ${row.text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  return [
    `# ${packageName}: message codes`,
    '',
    "A web page's production build of this package and of the A vs B packages it uses (the `browser` export condition,",
    'without `development`) writes `avsb <code>: <values>` in place of each message below; `{1}`, `{2}`… are the values,',
    'in the order written, and a value that reads `avsb <code>` is a message of its own. Development builds (the',
    '`development` condition) and servers (Node) write the full texts.',
    '',
    '| code | package | message |',
    '|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}
