// Which expressions of a built JavaScript file end up as messages (short-messages.ts rewrites the texts found there).
// Found by where a value goes, never by what it says: an argument of `new …Error(…)` or of a logger call
// (`.debug/.info/.warn/.error/.log`), the value of a property named `…message`, `…error`, `…problem` or `…help`, and a
// variable, parameter or function's returned value whose every use in the file is one of those (null checks and
// `typeof` aside). Through conditionals, `??`/`||`, `+` and template substitutions a value keeps its position; any
// other use (compared, sent, a key, an argument of any other call) is not a message position.
import ts from 'typescript';

const LOG_METHODS = new Set(['debug', 'info', 'warn', 'error', 'log']);
// a property whose name ends so (`message`, `errorMessage`, `lastError`, `keyHelp`…) holds a message when it holds a sentence
const MESSAGE_PROPERTY = /(message|error|problem|help)$/i;

type Callable = ts.FunctionLikeDeclaration;

/** Which expressions of one file end up as messages. */
export class MessageFlow {
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

