// An asc transform: `utf8("text")` in assembly/ becomes static UTF-8 data.
//
// AssemblyScript stores every string literal as UTF-16 with a 20-byte
// header; the engine's messages only ever leave it as UTF-8 (the error and
// warning buffers), so each message literal cost twice its bytes plus the
// header. After parsing, every distinct text is laid out once in one static
// array, UTF8_TEXTS of util/text.ts, as a length byte followed by its UTF-8
// bytes, and each call `utf8("…")` becomes `UTF8_TEXTS + offset`, a constant
// once compiled. The same text is the same address everywhere, as string
// literals are, so the optimizer still folds code that differs by nothing
// else. The argument must be one string literal of at most 255 bytes of
// UTF-8; anything else stops the build.
//
// Used by asconfig.json ("transform") for every target. It sits beside
// asconfig.json because asc resolves a transform path in a subfolder as a
// package name.
import { Transform } from 'assemblyscript/transform';
import { LiteralKind, Node, NodeKind, Token } from 'assemblyscript';

const NAME = 'utf8';
const TABLE = 'UTF8_TEXTS';
const MAX = 255;

function isUtf8Call(node) {
  return node.kind === NodeKind.Call && node.expression.kind === NodeKind.Identifier && node.expression.text === NAME;
}

function isTable(node) {
  return node.kind === NodeKind.VariableDeclaration && node.name.text === TABLE;
}

// The parser's nodes form a tree below each source's statements; a range
// points back at its source, so ranges are not followed. `replace` returns
// the node to put in place of a node, or null to look inside it.
function walk(parent, seen, replace) {
  for (const key of Object.keys(parent)) {
    const value = parent[key];
    if (key === 'range' || value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const next = typeof value.kind === 'number' ? replace(value) : null;
    if (next !== null) parent[key] = next;
    else walk(value, seen, replace);
  }
}

export default class Utf8Texts extends Transform {
  afterParse(parser) {
    const bytes = [];
    const offsets = new Map();
    let table = null;
    const seen = new Set();
    const replace = (node) => {
      if (isTable(node)) table = node;
      if (!isUtf8Call(node)) return null;
      const range = node.range;
      const arg = node.args.length === 1 ? node.args[0] : null;
      if (arg === null || arg.kind !== NodeKind.Literal || arg.literalKind !== LiteralKind.String) {
        throw new Error(`${range.source.normalizedPath}: ${NAME}() takes one string literal`);
      }
      let offset = offsets.get(arg.value);
      if (offset === undefined) {
        const text = new TextEncoder().encode(arg.value);
        if (text.length > MAX) throw new Error(`${range.source.normalizedPath}: ${NAME}() text over ${MAX} bytes: ${arg.value}`);
        offset = bytes.length;
        offsets.set(arg.value, offset);
        bytes.push(text.length, ...text);
      }
      return Node.createBinaryExpression(Token.Plus, Node.createIdentifierExpression(TABLE, range), int(offset, range), range);
    };
    for (const source of parser.sources) {
      if (!source.normalizedPath.startsWith('~lib/')) walk(source.statements, seen, replace);
    }
    if (offsets.size === 0) return;
    if (table === null) throw new Error(`${NAME}() is used but ${TABLE} (util/text.ts) was not parsed`);
    const range = table.range;
    table.initializer = Node.createCallExpression(
      Node.createPropertyAccessExpression(Node.createIdentifierExpression('memory', range), Node.createIdentifierExpression('data', range), range),
      [Node.createNamedType(Node.createSimpleTypeName('u8', range), null, false, range)],
      [Node.createArrayLiteralExpression(bytes.map((b) => int(b, range)), range)],
      range,
    );
  }
}

function int(v, range) {
  return Node.createIntegerLiteralExpression(globalThis.i64_new(v, 0), range);
}
