/**
 * `@avsb/events`: the event pipeline shared by the A vs B server and browser
 * SDKs. Runtime-neutral: everything platform-specific comes in through an
 * {@link EventPlatform}.
 */
export { EventPipeline, DEFAULT_CLOSE_TIMEOUT_MS } from './event-pipeline';
export { EventPipelineBase } from './event-pipeline-base';
export type { EventPipelineBaseOptions } from './event-pipeline-base';
export { PageEventPipeline } from './page-pipeline';
export type { CustomEventInput, EventContext, ExposureInput } from './inputs';
export type { EventPipelineOptions, ExposureMode } from './options';
export { DEFAULTS, EVENTS_VERSION, MAX_BATCH_EVENTS } from './options';
export type { EventDiagnostics } from './pipeline-stats';
export type { EventLogger, EventPlatform, EventTransport, TimerHandle, TransportResult } from './platform';
export { consoleLogger, createPlatform, randomId, unrefTimer } from './global-platform';
export type { CreatePlatformOptions, LogLevel } from './global-platform';
export { DEFAULT_REQUEST_TIMEOUT_MS, fetchTransport, parseRetryAfter } from './fetch-transport';
export { MAX_BATCH_BYTES, batchBody } from './batch-body';
export { BROWSER_KEEPALIVE_BYTES, browserTransport } from './browser-transport';
export type { BeaconFunction, BrowserTransportOptions } from './browser-transport';
export type { FetchFunction, FetchRequest, FetchResponse, FetchTransportOptions, TransportPlatform } from './fetch-transport';
export { ContextRedactor, parseReference } from './context-redactor';
export type { RedactionOptions } from './context-redactor';
export type {
  ContextEvent,
  ContextKeys,
  CustomEvent,
  EventBatch,
  ExposureEvent,
  FlagSummary,
  JsonObject,
  JsonValue,
  SdkInfo,
  SummaryEvent,
  WireEvent,
} from './wire';
