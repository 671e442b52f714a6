import { MAX_JSON_BUDGET } from './json-safe';
import { plainJsonString } from './keys-text';

/**
 * Places (a member's position in its context) whose piece is kept: a server's contexts come from one piece of code,
 * so the next context's members are mostly the same names, with values of the same types, at the same places.
 */
const PLACES = 16;

/** Per place, the member name its piece was made for, the shape (whether the value before and its own are strings), and the piece. */
const keptNames: string[] = [];
const keptShapes: number[] = [];
const keptPieces: string[] = [];
/** Per place, the last string value found to need no escaping (a kind, a plan, a country come back often). */
const keptValues: string[] = [];

/** How a context event of a flat context ends: after a string value, its closing quote too. */
const END_AFTER_STRING = '"}}';
const END = '}}';

/**
 * Pushes onto a batch's pieces the JSON of a flat context (its own members
 * only strings, finite numbers, booleans and null, no name or string that
 * JSON escapes), from its `{` to the `}}` that closes its context event too,
 * byte for byte what `JSON.stringify` gives a copy of it; `false`, with
 * nothing pushed, for any other context (the caller then writes a copy
 * made by the redactor: a `_meta`, anything but a plain object, a `toJSON`).
 * The caller has checked that nothing is private.
 *
 * Why: `JSON.stringify` of a copy cost a new user's context event ≈ 400 ns
 * (each member name ≈ 25 ns, whatever the serializer knows of the shape),
 * the copy ≈ 60 more. Here the context's text is its own strings between
 * pieces kept per place (`,"name":"`, with the quotes its neighbours need),
 * concatenated: one piece for the batch's `join`, which flattens it as it
 * copies it into the body (`join` costs ≈ 15–20 ns a piece: a piece for
 * each member and value was slower than `JSON.stringify`).
 */
export function pushFlatContext(parts: string[], context: Record<string, unknown>): boolean {
  try {
    // a class's instance, a proxy's other prototype or an inherited toJSON (Object.prototype's): the redactor's copy
    const proto: unknown = Object.getPrototypeOf(context);
    if ((proto !== Object.prototype && proto !== null) || typeof context.toJSON === 'function') return false;
    let json = '';
    const names = Object.keys(context);
    let chars = 0;
    let previousString = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const value = context[name];
      let text: string;
      let isString = 0;
      if (typeof value === 'string') {
        if (i >= PLACES || value !== keptValues[i]) {
          if (!plainJsonString(value)) break;
          if (i < PLACES) keptValues[i] = value;
        }
        text = value;
        isString = 1;
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) break;
        text = String(value);
      } else if (typeof value === 'boolean') text = value ? 'true' : 'false';
      else if (value === null) text = 'null';
      else break; // nested, or a member JSON leaves out: the redactor's copy decides
      // bounded as the redactor's flat copy is: well inside the walk's budget
      if ((chars += name.length + 1 + text.length) >= MAX_JSON_BUDGET / 2) break;
      const shape = (previousString << 1) | isString;
      let piece: string | undefined;
      if (i < PLACES && keptNames[i] === name && keptShapes[i] === shape) piece = keptPieces[i];
      else {
        // `_meta` is never sent (the redactor's copy leaves it out); a kept name is never `_meta`
        if (name === '_meta' || !plainJsonString(name)) break;
        const before = i === 0 ? '{"' : previousString === 1 ? '","' : ',"';
        piece = [before, name, isString === 1 ? '":"' : '":'].join('');
        if (i < PLACES) {
          keptNames[i] = name;
          keptShapes[i] = shape;
          keptPieces[i] = piece;
        }
      }
      json = json + piece! + text;
      previousString = isString;
      if (i === names.length - 1) {
        parts.push(json + (isString === 1 ? END_AFTER_STRING : END));
        return true;
      }
    }
    if (names.length === 0) {
      parts.push('{}}');
      return true;
    }
  } catch {
    // a getter or a proxy's trap threw: the redactor decides
  }
  return false;
}
