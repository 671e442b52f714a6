// Prerequisites and nested segments form graphs; a cycle (or a chain deeper
// than the evaluator's bound) is rejected at load, so evaluation never loops.

import { JsonValue } from "../json/value";
import { Clause, Ruleset, OP_SEGMENT_MATCH } from "./model";
import { field, item, report } from "./check";

export const MAX_CHAIN: i32 = 64;

function keyOf(list: JsonValue[], i: i32): string {
  return list[i].get("key")!.str;
}

function describeCycle(list: JsonValue[], stack: i32[], from: i32): string {
  let s = "";
  let start = stack.indexOf(from);
  for (let i = start; i < stack.length; i++) s += "\"" + keyOf(list, stack[i]) + "\" → ";
  return s + "\"" + keyOf(list, from) + "\"";
}

// state: 0 unvisited, 1 on the stack, 2 done
function visitFlag(rs: Ruleset, list: JsonValue[], i: i32, state: StaticArray<u8>, stack: i32[]): bool {
  state[i] = 1;
  stack.push(i);
  const f = rs.flags[i];
  for (let j = 0; j < f.prerequisiteFlags.length; j++) {
    const p = f.prerequisiteFlags[j];
    const path = item(field(item("flags", i), "prerequisites"), j);
    if (p < 0) continue;
    if (f.prerequisiteVariations[j] >= rs.flags[p].variationCount) {
      report(field(path, "variation"), "flag \"" + keyOf(list, p) + "\" has only " + rs.flags[p].variationCount.toString() + " variations");
      return false;
    }
    if (state[p] == 1) {
      report(path, "prerequisite cycle " + describeCycle(list, stack, p));
      return false;
    }
    if (stack.length >= MAX_CHAIN) {
      report(path, "prerequisite chain deeper than " + MAX_CHAIN.toString());
      return false;
    }
    if (state[p] == 0 && !visitFlag(rs, list, p, state, stack)) return false;
  }
  stack.pop();
  state[i] = 2;
  return true;
}

export function checkPrerequisiteGraph(rs: Ruleset, list: JsonValue[]): bool {
  const state = new StaticArray<u8>(rs.flags.length);
  for (let i = 0; i < rs.flags.length; i++) {
    if (state[i] == 0 && !visitFlag(rs, list, i, state, [])) return false;
  }
  return true;
}

function visitSegment(rs: Ruleset, list: JsonValue[], i: i32, state: StaticArray<u8>, stack: i32[]): bool {
  state[i] = 1;
  stack.push(i);
  const rules = rs.segments[i].rules;
  for (let r = 0; r < rules.length; r++) {
    const clauses: StaticArray<Clause> = rules[r];
    for (let c = 0; c < clauses.length; c++) {
      const clause = clauses[c];
      if (clause.op != OP_SEGMENT_MATCH) continue;
      for (let v = 0; v < clause.values.length; v++) {
        const s = clause.values[v].segment;
        if (s < 0) continue;
        const path = item(field(item(field(item(field(item("segments", i), "rules"), r), "clauses"), c), "values"), v);
        if (state[s] == 1) {
          report(path, "segment cycle " + describeCycle(list, stack, s));
          return false;
        }
        if (stack.length >= MAX_CHAIN) {
          report(path, "segments nested deeper than " + MAX_CHAIN.toString());
          return false;
        }
        if (state[s] == 0 && !visitSegment(rs, list, s, state, stack)) return false;
      }
    }
  }
  stack.pop();
  state[i] = 2;
  return true;
}

export function checkSegmentGraph(rs: Ruleset, list: JsonValue[]): bool {
  const state = new StaticArray<u8>(rs.segments.length);
  for (let i = 0; i < rs.segments.length; i++) {
    if (state[i] == 0 && !visitSegment(rs, list, i, state, [])) return false;
  }
  return true;
}
