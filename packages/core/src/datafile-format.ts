/**
 * The datafile format's TypeScript shapes and the stream's `patch`/`delete`
 * messages, defined once in `@avsb/protocol` (PROTOCOL.md lives beside
 * them) and named here as core has always exported them.
 */
export type {
  ClauseDefinition,
  Datafile,
  FlagDefinition,
  RuleDefinition,
  SegmentDefinition,
  ServeDefinition,
  PatchMessage as PatchUpdate,
  DeleteMessage as DeleteUpdate,
} from '@avsb/protocol';

/**
 * The members of a JSON object text that come before its first object or
 * array member, parsed (`{"schemaVersion":1,"revision":7,"flags":[…` gives
 * `{ schemaVersion: 1, revision: 7 }`), or `null` when the text does not
 * start as an object. Cheap and bounded: the text up to its first `{` or `[`
 * after the opening brace, cut after the last comma before it, is parsed
 * (a cut inside a string leaves it unterminated, so a bracket in a string
 * gives `null` or the members before that string), never the flags; a caller
 * tells a datafile's revision and format by it before anything parses the
 * whole text, and parses the text when they are not there.
 */
export function datafileHead(text: string): Record<string, unknown> | null {
  const open = text.indexOf('{');
  if (open < 0 || text.slice(0, open).trim() !== '') return null;
  const brace = text.indexOf('{', open + 1);
  const bracket = text.indexOf('[', open + 1);
  const first = brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
  const head = text.slice(open + 1, first < 0 ? text.length : first);
  try {
    return JSON.parse(`{${head.slice(0, Math.max(0, head.lastIndexOf(',')))}}`) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * A datafile's JSON text as a server's data source received it (the body of
 * a datafile response), handed to `DatafileStore.put` unparsed; `revision`
 * is what its leading members say ({@link datafileHead}), for the source's
 * bookkeeping, while the store takes the revision the engine loads.
 */
export class DatafileText {
  private _head: Record<string, unknown> | null | undefined;

  constructor(readonly text: string) {}

  /** The members before the first object or array ({@link datafileHead}), read once. */
  get head(): Record<string, unknown> | null {
    return this._head === undefined ? (this._head = datafileHead(this.text)) : this._head;
  }

  get revision(): unknown {
    return this.head?.revision;
  }
}

/**
 * How a server's data source reads a datafile response's body: a JSON one
 * stays text ({@link DatafileText}), a compiled one (an evaluator's request,
 * `endpoint.compiled` read per body) is parsed, its document being loaded as
 * an object.
 */
export function serverBody(endpoint: { readonly compiled?: boolean }): (text: string) => unknown {
  return (text) => (endpoint.compiled === true ? JSON.parse(text) : new DatafileText(text));
}

/**
 * The datafile's text in a stream `put` event's data as the protocol writes
 * it, `{"datafile": …}` (PROTOCOL.md), or `null` for anything else: the data
 * from just after `"datafile":` to its last `}`, when what comes before that
 * `}` ends an object too (an envelope with members after the datafile whose
 * last value is no object is told apart; one whose last value is an object
 * is not, and the engine refuses the text).
 */
export function datafileInEnvelope(data: string): string | null {
  const start = /^\s*\{\s*"datafile"\s*:/.exec(data);
  if (start === null) return null;
  const end = data.trimEnd();
  const inner = end.slice(start[0].length, -1).trim();
  return end.endsWith('}') && inner.endsWith('}') ? inner : null;
}
