// What `@avsb/browser` and `@avsb/browser/inline` both export: everything but `createClient`, which each entry has its
// own of. The inline entry imports this, not index.ts, so that it reaches no module holding a .wasm's URL
// (evaluator-url.ts says why).
export { AvsbBrowserClient } from './browser-client';
export type { BrowserClientOptions } from './options';
export { AvsbConfigError, DEFAULT_BASE_URL } from './options';
export type { EngineInput } from './engine-loader';
export type { BootstrapValues, BrowserFlagDetail, BrowserFlagReason, ValueType } from './fallback-reads';
export { copyBootstrap, fallbackDetail } from './fallback-reads';
export type { ChangeInfo, ChangeListener, ChangeReason, DatafileSource, FlagChangeListener, ReadyListener, UpdateInfo, UpdateListener } from './flag-changes';
export { MAX_CACHE_CHARS } from './datafile-cache';
// the value is `@avsb/browser/json-datafiles`'s: its module alone holds the full engine's URL
export type { JsonDatafiles } from './json-fallback';
export { VERSION } from './version';
export { AvsbReadyError } from '@avsb/core/page';
export type { AvsbContext, JsonValue, LogLevel, Logger, ReadyErrorKind, ReadyResult, TrackOptions } from '@avsb/core/page';
