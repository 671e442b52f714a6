// An asc transform: `utf8("text")` in assembly/ becomes static UTF-8 data.
//
// AssemblyScript stores every string literal as UTF-16 with a 20-byte
// header; the engine's messages only ever leave it as UTF-8 (the error and
// warning buffers), so each message literal cost twice its bytes plus the
// header. After parsing, every distinct text becomes one global constant,
// `__utf8_N`, whose value is the address of static data holding a length
// byte followed by the text's UTF-8 bytes, and each call `utf8("…")` becomes
// that constant. The same text is the same address everywhere, as string
// literals are, so the optimizer still folds code that differs by nothing
// else. A global is compiled, and its data laid out, only when compiled
// code reads it: a binary keeps only the texts of the functions it has (one
// table of every text parsed gave the evaluator 2.7 KB of the JSON load's
// and the regex parser's messages). The argument must be one string literal
// of at most 255 bytes of UTF-8; anything else stops the build.
//
// Used by asconfig.json ("transform") for every target. It sits beside
// asconfig.json because asc resolves a transform path in a subfolder as a
// package name.
import { Transform } from 'assemblyscript/transform';
import { LiteralKind, Node, NodeKind } from 'assemblyscript';

const NAME = 'utf8';
const PREFIX = '__utf8_';
const MAX = 255;
// The source that declares the texts' globals; never imported: `@global` makes each visible everywhere.
const SOURCE = 'assembly/util/utf8-texts.generated.ts';

function isUtf8Call(node) {
  return node.kind === NodeKind.Call && node.expression.kind === NodeKind.Identifier && node.expression.text === NAME;
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
    const names = new Map();
    const declarations = [];
    const seen = new Set();
    const replace = (node) => {
      if (!isUtf8Call(node)) return null;
      const range = node.range;
      const arg = node.args.length === 1 ? node.args[0] : null;
      if (arg === null || arg.kind !== NodeKind.Literal || arg.literalKind !== LiteralKind.String) {
        throw new Error(`${range.source.normalizedPath}: ${NAME}() takes one string literal`);
      }
      let name = names.get(arg.value);
      if (name === undefined) {
        const text = new TextEncoder().encode(arg.value);
        if (text.length > MAX) throw new Error(`${range.source.normalizedPath}: ${NAME}() text over ${MAX} bytes: ${arg.value}`);
        name = PREFIX + names.size;
        names.set(arg.value, name);
        declarations.push(`// @ts-ignore: decorator\n@global @lazy export const ${name}: usize = memory.data<u8>([${[text.length, ...text].join(',')}], 1);`);
      }
      return Node.createIdentifierExpression(name, range);
    };
    for (const source of parser.sources) {
      if (!source.normalizedPath.startsWith('~lib/')) walk(source.statements, seen, replace);
    }
    if (declarations.length === 0) return;
    parser.parseFile(declarations.join('\n'), SOURCE, false);
    // first of the sources, so that a module-level constant of any file may be initialised with a text
    parser.sources.unshift(parser.sources.pop());
  }
}
