// Interns the context kinds and attribute references a datafile mentions, so
// that a context is indexed once, into slots the evaluator reads by number.

import { Ruleset, RefNode, ATTR_KEY, ATTR_KIND, addKind } from "./model";
import { MAX_SLOTS } from "../context/record";
import { keyHash } from "../util/hash";
import { sameBytes } from "../util/bytes";
import { KeyIndex } from "./key-index";
import { errByte, errInt, errQuoted, errText } from "../util/error";
import { Text, textPtr, utf8 } from "../util/text";
import { Path, problemAt, reported } from "./check";

export function newRuleset(): Ruleset {
  const rs = new Ruleset();
  const user = copyBytes(textPtr(utf8("user")), 4);
  addKind(rs, user, keyHash(changetype<usize>(user), 4));
  const key = new RefNode();
  key.name = copyBytes(textPtr(utf8("key")), 3);
  key.hash = keyHash(changetype<usize>(key.name), 3);
  key.attr = ATTR_KEY;
  rs.refs.children.push(key);
  return rs;
}

/** `len` bytes at `ptr` in a buffer of their own (a name kept after the load's tree is gone). */
function copyBytes(ptr: usize, len: i32): ArrayBuffer {
  const b = new ArrayBuffer(len);
  memory.copy(changetype<usize>(b), ptr, <usize>len);
  return b;
}

// The names interned for the ruleset being compiled, found by hash: a search
// of every name interned so far made a load quadratic in distinct names
// (100,000 attributes, 4.8 MB: 50 s). One index holds both kinds, in scope 0,
// and reference nodes, each in its parent's scope (its number in `nodes`,
// + 1); its keys are the copied names, which the ruleset keeps. Built at the
// first name of a load from what newRuleset put in, and dropped after the
// load (releaseNames), so that the evaluator, which reads compiled datafiles
// and never interns, carries none of it.
let names: KeyIndex | null = null;
let nodes: RefNode[] = [];
let namesOf: Ruleset | null = null;

/** The index of `rs`'s names: made when `rs` is not the ruleset it was made for. */
function indexFor(rs: Ruleset): KeyIndex {
  if (namesOf === rs) return names!;
  const index = new KeyIndex();
  for (let i = 0; i < rs.kindNames.length; i++) index.add(changetype<usize>(rs.kindNames[i]), rs.kindNames[i].byteLength, i);
  nodes = [];
  addNode(index, rs.refs, -1);
  // newRuleset's nodes ("key") are children of the root
  const top = rs.refs.children;
  for (let i = 0; i < top.length; i++) addNode(index, top[i], 0);
  names = index;
  namesOf = rs;
  return index;
}

/** Numbers `node` and indexes its name under its parent's number (-1: the root, not indexed). */
function addNode(index: KeyIndex, node: RefNode, parent: i32): i32 {
  const n = nodes.length;
  nodes.push(node);
  if (parent >= 0) index.add(changetype<usize>(node.name), node.name.byteLength, n, parent + 1);
  return n;
}

/** Forgets the names of the last load (called after every load, so they keep nothing alive). */
export function releaseNames(): void {
  names = null;
  nodes = [];
  namesOf = null;
}

/** The index of the kind named by the UTF-8 bytes at `ptr` (copied only when new). */
export function internKind(rs: Ruleset, ptr: usize, len: i32): i32 {
  const index = indexFor(rs);
  const found = index.find(ptr, len);
  if (found >= 0) return found;
  const name = copyBytes(ptr, len);
  addKind(rs, name, keyHash(ptr, len));
  const k = rs.kindNames.length - 1;
  index.add(changetype<usize>(name), len, k);
  return k;
}

/** The number of the child of node number `parent` named by the UTF-8 bytes at `ptr` (copied only when new). */
function child(index: KeyIndex, parent: i32, ptr: usize, len: i32): i32 {
  const found = index.find(ptr, len, parent + 1);
  if (found >= 0) return found;
  const c = new RefNode();
  c.name = copyBytes(ptr, len);
  c.hash = keyHash(ptr, len);
  unchecked(nodes[parent]).children.push(c);
  return addNode(index, c, parent);
}

/** Last problem found by internAttribute (0 when none): what follows the reference in reportRef's message. */
let refError: Text = 0;

/** Reports why internAttribute refused the reference at `ptr` (its text is decoded only here). */
export function reportRef(path: Path, ptr: usize, len: i32): void {
  problemAt(path);
  errText(utf8("attribute reference "));
  if (len > 0) {
    errQuoted(ptr, len);
    errText(utf8(" "));
  }
  errText(refError);
  reported();
}

/**
 * Returns the attribute id of the reference (SPEC.md §3) whose UTF-8 bytes
 * are at `ptr`, ATTR_KIND for "kind", or -1 with refError set when the
 * reference is malformed.
 */
export function internAttribute(rs: Ruleset, ptr: usize, len: i32): i32 {
  refError = 0;
  if (len == 0) {
    refError = utf8("must not be empty");
    return -1;
  }
  if (load<u8>(ptr) == 0x2f) return internPath(rs, ptr, len);
  // a plain name, as most references are: looked up by its bytes, nothing decoded or allocated
  if (sameBytes(ptr, len, textPtr(utf8("kind")), 4)) return ATTR_KIND;
  const index = indexFor(rs);
  return attrOf(rs, child(index, 0, ptr, len));
}

/** The attribute id of reference node number `n`, given on first use. */
// @ts-ignore: decorator
@inline
function attrOf(rs: Ruleset, n: i32): i32 {
  const node = unchecked(nodes[n]);
  if (node.attr < 0) node.attr = rs.attrCount++;
  return node.attr;
}

/**
 * internAttribute for a reference with a leading "/", in a function of its
 * own: the rare form stays out of the code every plain name runs through
 * (and V8 compiles when that code gets hot). Two passes over the
 * components' bytes, unescaping ~1 and ~0 into `buf` as they go (nothing
 * decoded to UTF-16: `/` and `~` are never inside a UTF-8 sequence): the
 * first checks the whole reference, so a refused one interns nothing; the
 * second interns each component.
 */
function internPath(rs: Ruleset, ptr: usize, len: i32): i32 {
  const buf = changetype<usize>(new ArrayBuffer(len));
  let node = 0; // the root
  for (let pass = 0; pass < 2; pass++) {
    let n = 0; // the component's bytes so far
    for (let i = 1; i <= len; i++) {
      let c: u32 = i < len ? load<u8>(ptr + <usize>i) : 0x2f;
      if (c == 0x2f) {
        if (n == 0) {
          refError = utf8("has an empty path component");
          return -1;
        }
        if (pass == 1) {
          // "/kind" is the kind, as "kind" is; "/kind/x" is an attribute path
          if (node == 0 && i == len && sameBytes(buf, n, textPtr(utf8("kind")), 4)) return ATTR_KIND;
          node = child(indexFor(rs), node, buf, n);
        }
        n = 0;
        continue;
      }
      if (c == 0x7e) {
        c = i + 1 < len ? load<u8>(ptr + <usize>(++i)) : 0;
        if (c != 0x30 && c != 0x31) {
          refError = utf8("has a \"~\" not followed by 0 or 1");
          return -1;
        }
        c = c == 0x31 ? 0x2f : 0x7e;
      }
      store<u8>(buf + <usize>(n++), <u8>c);
    }
  }
  return attrOf(rs, node);
}

/**
 * Whether the kinds and attributes interned for `rs` fit each context's slot
 * table (MAX_SLOTS); if not, writes the message of the refused load. A
 * compiled datafile's reader holds its counts to the same bound. Every text
 * is in the evaluator's table too, so the message reuses texts it has.
 */
export function slotsFit(rs: Ruleset): bool {
  const kinds = rs.kindNames.length;
  if (rs.attrCount <= MAX_SLOTS / kinds) return true; // kinds > 0: "user" is always one
  errText(utf8("datafile: "));
  errInt(kinds);
  errByte(0x20);
  errText(utf8("kind"));
  errText(utf8("s × "));
  errInt(rs.attrCount);
  errByte(0x20);
  errText(utf8("attribute"));
  errText(utf8("s: over "));
  errInt(MAX_SLOTS);
  errText(utf8(" pairs"));
  return false;
}
