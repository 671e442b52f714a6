export { createClient } from './create-client';
export { AvsbBrowserClient } from './browser-client';
export type { BrowserClientOptions } from './options';
export { AvsbConfigError, DEFAULT_BASE_URL } from './options';
export type { EngineInput } from './engine-loader';
export type { BrowserFlagDetail, BrowserFlagReason, ValueType } from './fallback-reads';
export { copyBootstrap, fallbackDetail } from './fallback-reads';
export type { ChangeInfo, ChangeListener, ChangeReason, DatafileSource, FlagChangeListener, ReadyListener, UpdateInfo, UpdateListener } from './flag-changes';
export { MAX_CACHE_CHARS } from './datafile-cache';
// the value is `@avsb/browser/json-datafiles`'s: its module alone holds the full engine's URL
export type { JsonDatafiles } from './json-datafiles';
export { VERSION } from './version';
export { AvsbReadyError } from '@avsb/core/page';
export type { AvsbContext, JsonValue, LogLevel, Logger, ReadyErrorKind, ReadyResult, TrackOptions } from '@avsb/core/page';
