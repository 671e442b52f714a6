// Production message texts for web pages (issue 10): a built JS file rewritten so that each message text (an error's,
// a log line's, a problem a function reports) becomes a stable code and its dynamic values, `avsb C4K2F: checkout-v2`,
// while servers and development builds keep the full texts. The code is derived from the text's static parts, so it
// stays the same across builds and when other messages are added; the package's catalogue (MESSAGES.md) gives the full
// text of every code.
//
// Only texts in message positions are rewritten, found by where the text goes, never by what it says: an argument of
// `new …Error(…)` or of a logger call (`.debug/.info/.warn/.error/.log`), the value of a property named `…message`,
// `…error`, `…problem` or `…help`, a function's returned value, and a variable or parameter whose every use is one of
// those (so an argument of a function of the file that only ever reports it). Through conditionals, `??`/`||`, `+` and
// template substitutions a text keeps its position; any other use (compared, sent, a header, a key, an argument of any
// other call) leaves it as it is. A text must also look like a sentence (a space and at least MIN_CHARS characters of
// static text), which no protocol value, event kind or header name does.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Static text shorter than this stays: its code would save little. */
export const MIN_CHARS = 16;

const LOG_METHODS = new Set(['debug', 'info', 'warn', 'error', 'log']);
// a property whose name ends so (`message`, `errorMessage`, `lastError`, `keyHelp`…) holds a message when it holds a sentence
const MESSAGE_PROPERTY = /(message|error|problem|help)$/i;
// Crockford's base 32: no I, L, O or U, so a code read aloud or typed again is not misread
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** One message text of a catalogue. */
export interface CatalogueEntry {
  /** The code a production build prints, e.g. `C4K2F`. */
  code: string;
  /** The full text, its dynamic values as `{1}`, `{2}`… in the order the short text lists them. */
  text: string;
}

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
  const chosen: Text[] = [];
  const visit = (node: ts.Node): void => {
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
  const short = (node: Text): string => {
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
  const bits = createHash('sha256').update(parts.join('\0')).digest().readUInt32BE(0) >>> 12; // 20 bits: 4 characters
  let code = prefix;
  for (let shift = 15; shift >= 0; shift -= 5) code += ALPHABET[(bits >>> shift) & 31];
  return { code, text: parts.map((part, i) => (i === 0 ? part : `{${i}}${part}`)).join('') };
}

function lineCount(text: string): number {
  return text.split('\n').length - 1;
}

type Callable = ts.FunctionLikeDeclaration;

/** Which expressions of one file end up as messages. */
class MessageFlow {
  /** Variables and parameters whose every use is a message position. */
  private readonly _carriers = new Set<ts.VariableDeclaration | ts.ParameterDeclaration>();
  /** The file's functions by the name they are called by: `f(…)` for a declared function or variable, `this.f(…)` for a method. */
  private readonly _functions = new Map<string, Callable[]>();
  private readonly _methods = new Map<string, Callable[]>();

  /** Functions whose returned value is a message: every reference to them in the file is a call in a message position. */
  private readonly _reporters = new Set<Callable>();

  constructor(file: ts.SourceFile) {
    const uses = new Map<ts.VariableDeclaration | ts.ParameterDeclaration, ts.Identifier[]>();
    const references = new Map<Callable, ts.Node[]>();
    const members = new Map<string, ts.Node[]>();
    const visit = (node: ts.Node): void => {
      if ((ts.isVariableDeclaration(node) || ts.isParameter(node)) && ts.isIdentifier(node.name)) {
        const found = usesOf(node.name.text, scopeOf(node));
        if (found !== undefined && found.length > 0) uses.set(node, found);
      }
      const named = namedFunction(node);
      if (named !== undefined) {
        add(this._functions, named.name, named.callable);
        const found = usesOf(named.name, scopeOf(named.declaration));
        if (found !== undefined && found.length > 0) references.set(named.callable, found);
      }
      if (ts.isMethodDeclaration(node) && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name)) && node.body !== undefined) {
        add(this._methods, node.name.text, node);
      }
      if (ts.isPropertyAccessExpression(node)) add(members, node.name.text, node);
      ts.forEachChild(node, visit);
    };
    visit(file);
    for (const [name, methods] of this._methods) {
      for (const method of methods) references.set(method, members.get(name) ?? []);
    }
    // start from every candidate and leave out each with a use elsewhere until none is left (the largest consistent
    // set: variables, parameters and functions that pass a text on to one another are decided together)
    for (const declaration of uses.keys()) this._carriers.add(declaration);
    for (const [callable, found] of references) if (found.length > 0) this._reporters.add(callable);
    for (let changed = true; changed; ) {
      changed = false;
      for (const declaration of [...this._carriers]) {
        if (!uses.get(declaration)!.every((use) => isAssigned(use) || isChecked(use) || this.isMessage(use))) {
          this._carriers.delete(declaration);
          changed = true;
        }
      }
      for (const callable of [...this._reporters]) {
        if (!references.get(callable)!.every((reference) => ts.isCallExpression(reference.parent) && reference.parent.expression === reference && this.isMessage(reference.parent))) {
          this._reporters.delete(callable);
          changed = true;
        }
      }
    }
  }

  /** Whether the value of `node` ends up as a message, following it up through the expressions that keep it a text. */
  isMessage(node: ts.Node): boolean {
    let child: ts.Node = node;
    for (let parent = node.parent; parent !== undefined; child = parent, parent = parent.parent) {
      if (ts.isParenthesizedExpression(parent) || ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent)) continue;
      if (ts.isConditionalExpression(parent)) {
        if (child === parent.condition) return false;
        continue;
      }
      if (ts.isBinaryExpression(parent)) {
        const op = parent.operatorToken.kind;
        if (op === ts.SyntaxKind.PlusToken) continue;
        if ((op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) && child === parent.right) continue;
        if ((op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.PlusEqualsToken) && child === parent.right) return this._isCarrierTarget(parent.left);
        return false;
      }
      if (ts.isNewExpression(parent)) return child !== parent.expression && /Error$/.test(calleeName(parent.expression));
      if (ts.isCallExpression(parent)) return child !== parent.expression && (isLogCall(parent.expression) || this._isMessageArgument(parent, child));
      if (ts.isPropertyAssignment(parent)) return child === parent.initializer && MESSAGE_PROPERTY.test(propertyName(parent.name));
      if (ts.isShorthandPropertyAssignment(parent)) return MESSAGE_PROPERTY.test(parent.name.text);
      if (ts.isReturnStatement(parent)) return this._reporters.has(enclosingFunction(parent));
      if (ts.isArrowFunction(parent)) return child === parent.body && this._reporters.has(parent);
      if (ts.isVariableDeclaration(parent)) return child === parent.initializer && this._carriers.has(parent);
      return false;
    }
    return false;
  }

  /** `x = …` where x is a carrier, or `obj.somethingMessage = …`. */
  private _isCarrierTarget(left: ts.Expression): boolean {
    if (ts.isPropertyAccessExpression(left)) return MESSAGE_PROPERTY.test(left.name.text);
    if (!ts.isIdentifier(left)) return false;
    for (const declaration of this._carriers) {
      const scope = scopeOf(declaration);
      if ((declaration.name as ts.Identifier).text === left.text && scope.pos <= left.pos && scope.end >= left.end) return true;
    }
    return false;
  }

  /** Whether `argument` of `call` goes to a parameter that every function the call may reach uses as a message. */
  private _isMessageArgument(call: ts.CallExpression, argument: ts.Node): boolean {
    const index = call.arguments.indexOf(argument as ts.Expression);
    const callee = call.expression;
    const targets = ts.isIdentifier(callee)
      ? this._functions.get(callee.text)
      : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword
        ? this._methods.get(callee.name.text)
        : undefined;
    if (index < 0 || targets === undefined) return false;
    return targets.every((target) => {
      const parameter = target.parameters[index];
      return parameter !== undefined && parameter.dotDotDotToken === undefined && this._carriers.has(parameter);
    });
  }
}

/** A function declared by name: `function f() {}`, `const f = () => …`, `const f = function () {}`. */
function namedFunction(node: ts.Node): { name: string; callable: Callable; declaration: ts.Node } | undefined {
  if (ts.isFunctionDeclaration(node) && node.name !== undefined && node.body !== undefined) return { name: node.name.text, callable: node, declaration: node };
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
    return { name: node.name.text, callable: node.initializer, declaration: node };
  }
  return undefined;
}

function enclosingFunction(node: ts.Node): Callable {
  let scope = node.parent;
  while (!ts.isFunctionLike(scope)) scope = scope.parent;
  return scope as Callable;
}

/**
 * Whether `use` only tests the value (`x === null`, `x !== undefined`, `typeof x`, `!x`, `if (x)`, `x ? … : …`,
 * `x && …`): a message may be tested so.
 */
function isChecked(use: ts.Identifier): boolean {
  const parent = use.parent;
  if (ts.isTypeOfExpression(parent) || (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)) return true;
  if ((ts.isIfStatement(parent) && parent.expression === use) || (ts.isConditionalExpression(parent) && parent.condition === use)) return true;
  if (!ts.isBinaryExpression(parent)) return false;
  const op = parent.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return parent.left === use;
  const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  const other = parent.left === use ? parent.right : parent.left;
  return equality && (other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined') || ts.isVoidExpression(other));
}

function add<T>(map: Map<string, T[]>, name: string, item: T): void {
  const list = map.get(name);
  if (list === undefined) map.set(name, [item]);
  else list.push(item);
}

/** The function, or the file, whose body declares `node` (a parameter's function). */
function scopeOf(node: ts.Node): ts.Node {
  let scope = node.parent;
  while (!ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
  return scope;
}

/** The identifiers naming `name` in `scope`, or undefined when `name` is declared there more than once. */
function usesOf(name: string, scope: ts.Node): ts.Identifier[] | undefined {
  let declarations = 0;
  const uses: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) {
      const parent = node.parent;
      const declares =
        (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassLike(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isBindingElement(parent)) &&
        parent.name === node;
      const member =
        (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) &&
        parent.name === node;
      if (declares) declarations++;
      else if (!member) uses.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return declarations === 1 ? uses : undefined;
}

/** Whether `use` is the variable written by `=` or `+=` (the text assigned is then in the variable's position). */
function isAssigned(use: ts.Identifier): boolean {
  const parent = use.parent;
  return ts.isBinaryExpression(parent) && parent.left === use && (parent.operatorToken.kind === ts.SyntaxKind.EqualsToken || parent.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken);
}

function calleeName(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return '';
}

function isLogCall(callee: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(callee)) return LOG_METHODS.has(callee.name.text);
  if (ts.isElementAccessExpression(callee)) return methodNames(callee.argumentExpression).every((name) => LOG_METHODS.has(name));
  return false;
}

/** The method names an element access may read: `logger[cond ? 'debug' : 'warn']`. */
function methodNames(expression: ts.Expression): string[] {
  if (ts.isStringLiteral(expression)) return [expression.text];
  if (ts.isParenthesizedExpression(expression)) return methodNames(expression.expression);
  if (ts.isConditionalExpression(expression)) return [...methodNames(expression.whenTrue), ...methodNames(expression.whenFalse)];
  return [''];
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : '';
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

/** One row of a catalogue: a code, the package whose build writes it, and its full text. */
export interface CatalogueRow extends CatalogueEntry {
  packageName: string;
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

const ROW = /^\| ([0-9A-Z]{5}) \| (\S+) \| (.*) \|$/;

/** The rows of a catalogue written by {@link writeShortMessages}. */
export function readCatalogue(markdown: string): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = ROW.exec(line);
    if (match !== null) rows.push({ code: match[1]!, packageName: match[2]!, text: match[3]!.replace(/\\([\\|])/g, '$1') });
  }
  return rows;
}

function catalogueText(packageName: string, rows: readonly CatalogueRow[]): string {
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
