// Test support: the message catalogue of @avsb/browser (dist/MESSAGES.md, which lists the codes of the packages it uses
// too), read as a user reads it to turn a production build's `avsb <code>: <values>` back into the full text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogue } from '../../../../tools/build/message-catalogue';
import { PACKAGE_DIR } from './page-bundle';

/** Every code of @avsb/browser's catalogue with its full text (`{1}`, `{2}`… where its values go). */
export function browserCatalogue(): Map<string, string> {
  const rows = readCatalogue(readFileSync(join(PACKAGE_DIR, 'dist', 'MESSAGES.md'), 'utf8'));
  return new Map(rows.map((row) => [row.code, row.text]));
}

const CODE = /avsb ([0-9A-Z]{4})\b/;

/**
 * The full text of a message of a production build, as a user finds it: each code's catalogue text with its values put
 * in. A value that is a message itself (a code) is expanded too; it is taken to be the last value, as in every message
 * the tests read.
 */
export function expandMessage(message: string, catalogue: ReadonlyMap<string, string>): string {
  const match = CODE.exec(message);
  if (match === null) return message;
  const text = catalogue.get(match[1]!);
  if (text === undefined) throw new Error(`no catalogue has the code ${match[1]}`);
  const before = message.slice(0, match.index);
  let rest = message.slice(match.index + match[0].length);
  const count = new Set(text.match(/\{\d+\}/g) ?? []).size;
  if (count === 0) return before + text + expandMessage(rest, catalogue);
  if (!rest.startsWith(': ')) throw new Error(`${match[0]} has ${count} values, but none follow: ${message}`);
  rest = rest.slice(2);
  const values: string[] = [];
  for (let i = 1; i < count; i++) {
    const end = rest.indexOf(', ');
    if (end < 0) throw new Error(`${match[0]} has ${count} values, fewer follow: ${message}`);
    values.push(rest.slice(0, end));
    rest = rest.slice(end + 2);
  }
  values.push(expandMessage(rest, catalogue));
  return before + text.replace(/\{(\d+)\}/g, (_, n: string) => values[Number(n) - 1]!);
}
