// Interns the context kinds and attribute references a datafile mentions, so
// that a context is indexed once, into slots the evaluator reads by number.

import { Ruleset, RefNode, ATTR_KEY, ATTR_KIND } from "./model";
import { fnv1a, } from "../util/hash";
import { sameBytes } from "../util/bytes";
import { errQuoted, errText } from "../util/error";
import { Text, utf8 } from "../util/text";
import { Path, problemAt, reported } from "./check";

export function newRuleset(): Ruleset {
  const rs = new Ruleset();
  internKind(rs, "user");
  const key = new RefNode();
  key.name = String.UTF8.encode("key");
  key.hash = fnv1a(changetype<usize>(key.name), key.name.byteLength);
  key.attr = ATTR_KEY;
  rs.refs.children.push(key);
  return rs;
}

export function internKind(rs: Ruleset, name: string): i32 {
  const b = String.UTF8.encode(name);
  const h = fnv1a(changetype<usize>(b), b.byteLength);
  for (let i = 0; i < rs.kindNames.length; i++) {
    const k = rs.kindNames[i];
    if (rs.kindHashes[i] == h && sameBytes(changetype<usize>(k), k.byteLength, changetype<usize>(b), b.byteLength)) return i;
  }
  rs.kindNames.push(b);
  rs.kindHashes.push(h);
  return rs.kindNames.length - 1;
}

function child(node: RefNode, name: string): RefNode {
  const b = String.UTF8.encode(name);
  const h = fnv1a(changetype<usize>(b), b.byteLength);
  for (let i = 0; i < node.children.length; i++) {
    const c = node.children[i];
    if (c.hash == h && sameBytes(changetype<usize>(c.name), c.name.byteLength, changetype<usize>(b), b.byteLength)) return c;
  }
  const c = new RefNode();
  c.name = b;
  c.hash = h;
  node.children.push(c);
  return c;
}

/** Last problem found by internAttribute (0 when none): what follows the reference in reportRef's message. */
let refError: Text = 0;

/** Reports why internAttribute refused `ref`. */
export function reportRef(path: Path, ref: string): void {
  problemAt(path);
  errText(utf8("attribute reference "));
  if (ref.length > 0) {
    errQuoted(ref);
    errText(utf8(" "));
  }
  errText(refError);
  reported();
}

/**
 * Returns the attribute id of a reference (SPEC.md §3), ATTR_KIND for "kind",
 * or -1 with refError set when the reference is malformed.
 */
export function internAttribute(rs: Ruleset, ref: string): i32 {
  refError = 0;
  if (ref.length == 0) {
    refError = utf8("must not be empty");
    return -1;
  }
  let node = rs.refs;
  if (ref.charCodeAt(0) != 0x2f) {
    // a plain name, as most references are: no list of parts to allocate
    if (ref == "kind") return ATTR_KIND;
    node = child(node, ref);
  } else {
    const parts: string[] = [];
    const n = ref.length;
    // one pass over the components, unescaping ~1 and ~0 as it goes (no split
    // or replaceAll: the standard library's cost 880 bytes of .wasm)
    let start = 1;
    for (let i = 1; i <= n; i++) {
      if (i < n && ref.charCodeAt(i) != 0x2f) continue;
      if (i == start) {
        refError = utf8("has an empty path component");
        return -1;
      }
      let part = "";
      let last = start;
      for (let j = start; j < i; j++) {
        if (ref.charCodeAt(j) != 0x7e) continue;
        const c = j + 1 < i ? ref.charCodeAt(j + 1) : 0;
        if (c != 0x30 && c != 0x31) {
          refError = utf8("has a \"~\" not followed by 0 or 1");
          return -1;
        }
        part += ref.substring(last, j) + (c == 0x31 ? "/" : "~");
        last = ++j + 1;
      }
      parts.push(part + ref.substring(last, i));
      start = i + 1;
    }
    if (parts.length == 1 && parts[0] == "kind") return ATTR_KIND;
    for (let i = 0; i < parts.length; i++) node = child(node, parts[i]);
  }
  if (node.attr < 0) node.attr = rs.attrCount++;
  return node.attr;
}
