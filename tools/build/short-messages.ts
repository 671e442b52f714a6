// Production message texts for web pages (issue 10): a built JS file rewritten so that each message text (an error's,
// a log line's, a problem a function reports) becomes a stable code and its dynamic values, `avsb C4K2: checkout-v2`,
// while servers and development builds keep the full texts. The code is derived from the text's static parts, so it
// stays the same across builds and when other messages are added; the package's catalogue (MESSAGES.md) gives the full
// text of every code.
//
// Only texts in message positions are rewritten (message-flow.ts: found by where the text goes, never by what it says),
// and only those that look like sentences (a space and at least MIN_CHARS characters of static text), which no
// protocol value, event kind or header name does.
//
// The same production build leaves out development aids: each call of `developmentOnly(x)` (@avsb/core) becomes
// `(void 0)`, so that what only `x` reaches (the nearest-key search of a missing flag's message) is not bundled. Error
// information itself is never written that way: the development build has everything, the production build the codes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { type CatalogueEntry, type CatalogueRow, catalogueText, readCatalogue } from './message-catalogue';
import { MessageFlow } from './message-flow';

/** Static text shorter than this stays: its code would save little. */
export const MIN_CHARS = 16;

// Crockford's base 32: no I, L, O or U, so a code read aloud or typed again is not misread
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What {@link shortenMessages} made of one file. */
export interface ShortenedFile {
  /** The file with every message text in a message position replaced by its short form. */
  code: string;
  /** The texts replaced, by code (a text used twice is listed once). */
  messages: CatalogueEntry[];
}

/**
 * Rewrites the message texts of one built JavaScript file (ESM or CJS). `prefix` is the package's letter that starts
 * each of its codes (so a code names the package whose catalogue holds it). Lines stay where they were, so the file's
 * source map still finds each line. Throws when two different texts get the same code.
 */
export function shortenMessages(source: string, prefix: string, fileName = 'file.js'): ShortenedFile {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const flow = new MessageFlow(file);
  const chosen: (Text | ts.CallExpression)[] = [];
  const visit = (node: ts.Node): void => {
    // a development aid's call (what only it reaches is then left out by the page's bundler), or a message text
    if (isDevelopmentOnly(node)) return void chosen.push(node);
    if (isText(node) && isSentence(node) && flow.isMessage(node)) chosen.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const catalogue = new Map<string, string>();
  const render = (start: number, end: number): string => {
    let out = '';
    let at = start;
    for (const node of chosen) {
      if (node.getStart(file) < at || node.end > end) continue; // before the range, inside a node rendered, or after
      out += source.slice(at, node.getStart(file)) + short(node);
      at = node.end;
    }
    return out + source.slice(at, end);
  };
  const short = (node: Text | ts.CallExpression): string => {
    if (ts.isCallExpression(node)) return '(void 0)' + '\n'.repeat(lineCount(node.getText(file)));
    const { code, text } = entryOf(node, prefix);
    const known = catalogue.get(code);
    if (known !== undefined && known !== text) throw new Error(`${fileName}: two messages have the code ${code}; reword one of them:\n  ${known}\n  ${text}`);
    catalogue.set(code, text);
    const values = ts.isTemplateExpression(node) ? node.templateSpans.map((span) => `\${${render(span.expression.getStart(file), span.expression.end)}}`) : [];
    const replaced = values.length === 0 ? JSON.stringify(`avsb ${code}`) : `\`avsb ${code}: ${values.join(', ')}\``;
    const lost = lineCount(node.getText(file)) - lineCount(replaced);
    return replaced + '\n'.repeat(Math.max(0, lost));
  };
  const code = render(0, source.length);
  const messages = [...catalogue].map(([code, text]) => ({ code, text })).sort((a, b) => a.code.localeCompare(b.code));
  return { code, messages };
}

/**
 * The texts of a JavaScript file that look like sentences (as {@link shortenMessages} judges them), wherever they are:
 * their static parts joined by `{}` where a value goes. For checks of a bundle: what a page still carries in words.
 */
export function sentencesIn(source: string): string[] {
  const file = ts.createSourceFile('bundle.js', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (isText(node) && isSentence(node)) found.push(staticParts(node).join('{}'));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

type Text = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;

/**
 * A call of `developmentOnly` (`@avsb/core`'s `development-only.ts`; a bundle may have renamed it `developmentOnly2`):
 * the production build writes `(void 0)` in its place, so a page's bundler leaves out what only its argument reaches.
 */
function isDevelopmentOnly(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^developmentOnly\d*$/.test(node.expression.text);
}

function isText(node: ts.Node): node is Text {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

/** The text's static parts. */
function staticParts(node: Text): string[] {
  if (!ts.isTemplateExpression(node)) return [node.text];
  return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
}

function isSentence(node: Text): boolean {
  const text = staticParts(node).join('');
  return text.length >= MIN_CHARS && /\s/.test(text);
}

function entryOf(node: Text, prefix: string): CatalogueEntry {
  const parts = staticParts(node);
  // 15 bits, 3 characters: a package has a few dozen messages (a collision fails the build), and each character of a
  // code is random to gzip (4 characters cost a page 94 B more)
  const bits = createHash('sha256').update(parts.join('\0')).digest().readUInt32BE(0) >>> 17;
  let code = prefix;
  for (let shift = 10; shift >= 0; shift -= 5) code += ALPHABET[(bits >>> shift) & 31];
  return { code, text: parts.map((part, i) => (i === 0 ? part : `{${i}}${part}`)).join('') };
}

function lineCount(text: string): number {
  return text.split('\n').length - 1;
}

/** What {@link writeShortMessages} writes for one package. */
export interface ShortMessagesBuild {
  /** The package's `dist` directory. */
  dist: string;
  /** The package's name, for the catalogue. */
  packageName: string;
  /** The letter that starts the package's codes. */
  prefix: string;
  /** The output names (tsup's `entry` keys) to rewrite: `dist/<name>.js` and `.cjs` get `<name>.browser.js` and `.cjs`. */
  entries: readonly string[];
  /** The catalogues (`MESSAGES.md`) of the packages it depends on, whose codes its catalogue lists too. */
  dependencies: readonly string[];
}

/**
 * Writes the short-text twin of each entry's ESM and CJS file beside it, and the package's catalogue, `MESSAGES.md`:
 * every code of the package and of the packages it depends on (whose catalogues list theirs), so that one file
 * explains every code a page that bundles this package may write.
 */
export function writeShortMessages({ dist, packageName, prefix, entries, dependencies }: ShortMessagesBuild): CatalogueRow[] {
  const rows = new Map<string, CatalogueRow>();
  const add = (row: CatalogueRow): void => {
    const known = rows.get(row.code);
    if (known !== undefined && known.text !== row.text) throw new Error(`${packageName}: two messages have the code ${row.code}; reword one of them:\n  ${known.text}\n  ${row.text}`);
    rows.set(row.code, row);
  };
  for (const entry of entries) {
    for (const extension of ['js', 'cjs']) {
      const path = join(dist, `${entry}.${extension}`);
      if (!existsSync(path)) continue;
      const { code, messages } = shortenMessages(readFileSync(path, 'utf8'), prefix, path);
      for (const message of messages) add({ ...message, packageName });
      writeFileSync(join(dist, `${entry}.browser.${extension}`), code);
    }
  }
  for (const catalogue of dependencies) {
    if (existsSync(catalogue)) for (const row of readCatalogue(readFileSync(catalogue, 'utf8'))) add(row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
  writeFileSync(join(dist, 'MESSAGES.md'), catalogueText(packageName, sorted));
  return sorted;
}
