/**
 * `@avsb/node`: the A vs B server SDK for Node. See README.md.
 */
export { AvsbServer } from './avsb-server';
export type { AvsbServerMetrics } from './avsb-server';
export { AvsbConfigError, DEFAULT_BASE_URL } from './options';
export type { AvsbEventOptions, AvsbServerOptions } from './options';
export { consoleLogger } from './console-logger';
export { createNodePlatform } from './node-platform';
export { VERSION } from './version';
export { AvsbReadyError, ScopedClient } from '@avsb/core';
export type {
  AllFlagsOptions,
  AvsbClient,
  AvsbContext,
  AvsbHook,
  DataSourceError,
  DataSourceFactory,
  EvaluationMethod,
  EvaluationSeriesContext,
  EvaluationSeriesData,
  FlagDetail,
  FlagErrorKind,
  FlagReason,
  FlagReasonKind,
  JsonValue,
  LogLevel,
  Logger,
  MultiKindContext,
  ReadyErrorKind,
  ReadyResult,
  SingleKindContext,
  TrackOptions,
  TrackSeriesContext,
  UpdateListener,
} from '@avsb/core';
