// Prerequisites and nested segments form graphs. A cycle (or a chain deeper
// than the evaluator's bound) is a load warning that cuts the graph where it
// was found, so evaluation never loops: the flag whose prerequisite closes a
// prerequisite cycle is malformed, the clause that closes a segment cycle
// never matches.

import { JsonValue } from "../json/value";
import { Clauses, Ruleset, OP_NEVER, OP_SEGMENT_MATCH } from "./model";
import { valueAt, valueSegment } from "./clause-values";
import { Path, ROOT, field, item, problemAt, reported } from "./check";
import { errInt, errQuoted, errText } from "../util/error";
import { Text, utf8 } from "../util/text";

export const MAX_CHAIN: i32 = 64;

/** Appends the quoted key of item `i` of `list` (flags or segments) to the message. */
function errKey(list: JsonValue, i: i32): void {
  const key = list[i].get(utf8("key"))!;
  errQuoted(key.strPtr, key.strLen);
}

/** Reports a cycle: `<what> "a" → "b" → "a"`. */
function reportCycle(path: Path, what: Text, list: JsonValue, stack: i32[], from: i32): void {
  problemAt(path);
  errText(what);
  for (let i = stack.indexOf(from); i < stack.length; i++) {
    errKey(list, stack[i]);
    errText(utf8(" → "));
  }
  errKey(list, from);
  reported();
}

/** Reports a chain cut at MAX_CHAIN: `<what> 64`. */
function reportTooDeep(path: Path, what: Text): void {
  problemAt(path);
  errText(what);
  errInt(MAX_CHAIN);
  reported();
}

function prerequisitePath(i: i32, j: i32): Path {
  return item(field(item(field(ROOT, utf8("flags")), i), utf8("prerequisites")), j);
}

// A depth-first walk in datafile order, each node's edges in order. `depth`
// is the number of nodes on the longest chain from a finished node; a chain
// is cut where the path walked so far plus what lies below would exceed
// MAX_CHAIN, so no evaluation ever recurses deeper than MAX_CHAIN (SPEC.md §9).
// state: 0 unvisited, 1 on the stack, 2 done

function visitFlag(rs: Ruleset, list: JsonValue, i: i32, state: StaticArray<u8>, depth: StaticArray<i32>, stack: i32[]): void {
  state[i] = 1;
  stack.push(i);
  const f = rs.flags[i];
  let below = 0;
  for (let j = 0; j < f.prerequisiteFlags.length && !f.malformed; j++) {
    const p = f.prerequisiteFlags[j];
    if (p < 0) continue;
    if (!rs.flags[p].malformed && f.prerequisiteVariations[j] >= rs.flags[p].variationCount) {
      problemAt(field(prerequisitePath(i, j), utf8("variation")));
      errText(utf8("flag "));
      errKey(list, p);
      errText(utf8(" has only "));
      errInt(rs.flags[p].variationCount);
      errText(utf8(" variations"));
      reported();
      f.malformed = true;
    } else if (state[p] == 1) {
      reportCycle(prerequisitePath(i, j), utf8("prerequisite cycle "), list, stack, p);
      f.malformed = true;
    } else if (state[p] == 0 && stack.length >= MAX_CHAIN || state[p] == 2 && stack.length + depth[p] > MAX_CHAIN) {
      reportTooDeep(prerequisitePath(i, j), utf8("prerequisite chain deeper than "));
      f.malformed = true;
    } else {
      if (state[p] == 0) visitFlag(rs, list, p, state, depth, stack);
      below = max(below, depth[p]);
    }
  }
  depth[i] = f.malformed ? 1 : 1 + below;
  stack.pop();
  state[i] = 2;
}

/** Marks the flags where a prerequisite cycle or an over-deep chain was found as malformed. */
export function checkPrerequisiteGraph(rs: Ruleset, list: JsonValue): void {
  const state = new StaticArray<u8>(rs.flags.length);
  const depth = new StaticArray<i32>(rs.flags.length);
  const stack: i32[] = []; // empty again after each walk: one for all of them
  for (let i = 0; i < rs.flags.length; i++) {
    if (state[i] == 0) visitFlag(rs, list, i, state, depth, stack);
  }
}

function segmentValuePath(i: i32, r: i32, c: i32, v: i32): Path {
  return item(field(item(field(item(field(item(field(ROOT, utf8("segments")), i), utf8("rules")), r), utf8("clauses")), c), utf8("values")), v);
}

function visitSegment(rs: Ruleset, list: JsonValue, i: i32, state: StaticArray<u8>, depth: StaticArray<i32>, stack: i32[]): void {
  state[i] = 1;
  stack.push(i);
  let below = 0;
  const rules = rs.segments[i].rules;
  for (let r = 0; r < rules.length; r++) {
    const clauses: Clauses = rules[r];
    for (let c = 0; c < clauses.length; c++) {
      const clause = clauses[c];
      for (let v = 0; v < clause.count && clause.op == OP_SEGMENT_MATCH; v++) {
        const s = valueSegment(valueAt(clause.values, v));
        if (s < 0) continue;
        if (state[s] == 1) {
          reportCycle(segmentValuePath(i, r, c, v), utf8("segment cycle "), list, stack, s);
          clause.op = OP_NEVER;
        } else if (state[s] == 0 && stack.length >= MAX_CHAIN || state[s] == 2 && stack.length + depth[s] > MAX_CHAIN) {
          reportTooDeep(segmentValuePath(i, r, c, v), utf8("segments nested deeper than "));
          clause.op = OP_NEVER;
        } else {
          if (state[s] == 0) visitSegment(rs, list, s, state, depth, stack);
          below = max(below, depth[s]);
        }
      }
    }
  }
  depth[i] = 1 + below;
  stack.pop();
  state[i] = 2;
}

/** Cuts segment cycles and over-deep nesting: the clause where one was found never matches. */
export function checkSegmentGraph(rs: Ruleset, list: JsonValue): void {
  const state = new StaticArray<u8>(rs.segments.length);
  const depth = new StaticArray<i32>(rs.segments.length);
  const stack: i32[] = [];
  for (let i = 0; i < rs.segments.length; i++) {
    if (state[i] == 0) visitSegment(rs, list, i, state, depth, stack);
  }
}

/**
 * A clause naming a malformed segment never matches (negated or not): what
 * the segment should hold is unknown. Reported at the clause's value.
 */
export function cutMalformedSegments(rs: Ruleset, clauses: Clauses, owner: Text, i: i32, r: i32, segs: JsonValue): void {
  for (let c = 0; c < clauses.length; c++) {
    const clause = clauses[c];
    if (clause.op != OP_SEGMENT_MATCH) continue;
    for (let v = 0; v < clause.count; v++) {
      const s = valueSegment(valueAt(clause.values, v));
      if (s < 0 || !rs.segments[s].malformed) continue;
      const path = item(field(item(field(item(field(item(field(ROOT, owner), i), utf8("rules")), r), utf8("clauses")), c), utf8("values")), v);
      problemAt(path);
      errText(utf8("segment "));
      errKey(segs, s);
      errText(utf8(" has a problem, so this clause never matches"));
      reported();
      clause.op = OP_NEVER;
      break;
    }
  }
}
