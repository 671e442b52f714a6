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
 * start as an object. Bounded: it reads strings without escapes, numbers and
 * literals up to the first other member, never the flags, so a caller can
 * tell a datafile's revision and format before anything parses the whole
 * text (and falls back to parsing it when they are not there).
 */
export function datafileHead(text: string): Record<string, unknown> | null {
  const head = /^\s*\{((?:\s*"[^"\\]*"\s*:\s*(?:"[^"\\]*"|[\w.+-]+)\s*,)*)/.exec(text);
  try {
    return head === null ? null : (JSON.parse(`{${head[1]!.slice(0, -1)}}`) as Record<string, unknown>);
  } catch {
    return null;
  }
}
