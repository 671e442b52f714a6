export type { AvsbClient } from './avsb-client';
export { ClientCore } from './client-core';
export { ClientCoreBase } from './client-core-base';
export type { ClientCoreBaseOptions, UpdateEvent } from './client-core-base';
export { ClientFacade } from './client-facade';
export type { EngineMetrics } from './client-facade';
export type { ClientCoreOptions } from './client-core';
export { ScopedClient } from './scoped-client';
export type { AllFlagsOptions, ScopeHost, TrackOptions } from './scoped-client';
export type { AvsbHook, EvaluationMethod, EvaluationSeriesContext, EvaluationSeriesData, TrackSeriesContext } from './hooks';
export type { HookRunner } from './hook-runner';
export { DatafileStore, Evaluator } from './datafile-store';
export { PageStore } from './page-store';
export { JsonPageStore } from './page-json-store';
export type { JsonLoader } from './page-store';
export type { PutOptions, UpdateListener, UpdateResult } from './datafile-store';
export { EngineFallback } from './engine-fallback';
export { changedFlagKeys } from './changed-flag-keys';
export { AvsbReadyError } from './ready-error';
export type { ReadyErrorKind, ReadyResult } from './ready-error';
export type { FlagDetail, FlagErrorKind, FlagReason, FlagReasonKind, JsonValue } from './flag-detail';
export type { AvsbContext, MultiKindContext, SingleKindContext } from './context';
// the one set of context rules (the engine's), with kinds, keys and canonical key worked out once
export { isKindName, validateContext, validatedContext } from '@avsb/common';
export type {
  ClauseDefinition,
  Datafile,
  DeleteUpdate,
  FlagDefinition,
  PatchUpdate,
  RuleDefinition,
  SegmentDefinition,
  ServeDefinition,
} from './datafile-format';
export type { CustomRecord, EventRecorder, ExposureRecord } from './event-recorder';
// defined in @avsb/common, part of core's API (named one by one: a star re-export would claim common's values too in the .d.ts)
export type {
  AbortControllerLike,
  AbortSignalLike,
  ContextKeys,
  ContextValidation,
  FetchInit,
  FetchLike,
  GlobalPlatformOptions,
  InvalidContext,
  LogLevel,
  Logger,
  Platform,
  ReadableStreamLike,
  ReadableStreamReaderLike,
  ResponseLike,
  TimerHandle,
  ValidatedContext,
} from '@avsb/common';
export { describeError, globalPlatform } from '@avsb/common';
export { LogOnce, consoleLogger, levelLogger, loggerOf, redactKeys, silentLogger } from './logger';
export type { LoggerOptions } from './logger';
export type { MaybeAsyncDisposable, MaybeDisposable } from './disposable';
export { ASYNC_DISPOSE, DISPOSE } from './disposable';
export type {
  DataSink,
  DataSource,
  DataSourceError,
  DataSourceFactory,
  PageSink,
  PageSourceFactory,
  ServiceEndpoint,
} from './data-sources/data-source';
export { PollingDataSource } from './data-sources/polling-data-source';
export type { PollingOptions } from './data-sources/polling-data-source';
export { StreamingDataSource } from './data-sources/streaming-data-source';
export type { StreamingOptions } from './data-sources/streaming-data-source';
export { DatafileRequestor } from './data-sources/datafile-requestor';
export type { DatafileResponse } from './data-sources/datafile-requestor';
export { SseParser } from './data-sources/sse-parser';
export type { SseListener } from './data-sources/sse-parser';
// the delay policy every data source schedules through (re-exported so runtimes need not depend on @avsb/common)
export { BACKOFF_DEFAULTS, Backoff, MAX_DELAY_MS, MAX_TIMER_MS, backoffDelay, clampDelay, parseRetryAfter } from '@avsb/common';
export type { BackoffOptions } from '@avsb/common';
// the checks every runtime's baseUrl and key go through (same reason)
export { checkSdkKey, optionProblem, optionProblems, parseHttpUrl, shownOptionValue } from '@avsb/common';
export type { HttpUrlParse, OptionRule } from '@avsb/common';
export { pollingDataSource, streamingDataSource } from './data-sources/factories';
// the client core of a web page (@avsb/browser, which imports it from the page entry, @avsb/core/page)
export { PageCore } from './page-core';
export type { PageCoreOptions } from './page-core';
