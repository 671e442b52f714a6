/**
 * The wire format of `POST /sdk/v1/events` (PROTOCOL.md, "Events"): what
 * leaves the process. Every value here is plain JSON.
 */

/** JSON values and context keys (kind → key, e.g. `{ "user": "u_1", "org": "acme" }`) are defined once, in @avsb/common. */
export type { ContextKeys, JsonObject, JsonValue } from '@avsb/common';

/** The event types are the protocol's, defined once in `@avsb/protocol` beside its limits. */
export type {
  CustomEvent,
  ContextEvent,
  EventBatch,
  ExposureEvent,
  FlagSummary,
  SdkInfo,
  SummaryEvent,
  WireEvent,
} from '@avsb/protocol';
