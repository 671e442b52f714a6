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
