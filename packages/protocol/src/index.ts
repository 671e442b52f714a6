/**
 * The A vs B protocol v1 in one place (PROTOCOL.md beside this package):
 * types and limits of the datafile, the event batch and the stream
 * messages, and the key rule. Runtime-neutral and dependency-free; the JSON
 * Schemas are files of this package (`@avsb/protocol/datafile.schema.json`,
 * `…/project.schema.json`) and checking documents against them is
 * `@avsb/validator`'s job.
 */
export type { Datafile, FlagDefinition, ClauseDefinition, RuleDefinition, ServeDefinition, SegmentDefinition, ProjectDocument } from './datafile';
export type {
  SdkInfo,
  ExposureEvent,
  CustomEvent,
  ContextEvent,
  FlagSummary,
  SummaryEvent,
  WireEvent,
  EventBatch,
} from './events';
export { EVENT_KINDS } from './events';
/** JSON values and context keys are defined once, in `@avsb/common`. */
export type { ContextKeys, JsonObject, JsonValue } from '@avsb/common';
export { KEY_INPUT_PATTERN, KEY_PATTERN, KEY_RULE, isValidKey } from './keys';
export { nestsDeeperThan } from './json-depth';
export {
  MAX_BATCH_BYTES,
  MAX_BATCH_ID_LENGTH,
  MAX_DATAFILE_BYTES,
  MAX_DATAFILE_KEY_BYTES,
  MAX_EVENTS_PER_BATCH,
  MAX_EVENT_NAME_LENGTH,
  MAX_JSON_DEPTH,
  MAX_VARIATIONS,
  TOTAL_WEIGHT,
} from './limits';
export type { StreamEventName, PutMessage, PatchMessage, DeleteMessage, StreamMessages } from './stream';
export { STREAM_HEARTBEAT_MS, STREAM_SILENCE_MS } from './stream';
