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
