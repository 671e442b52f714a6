// `@avsb/core/page`: what a web page's client (@avsb/browser) is built from, and nothing a server SDK adds. A page
// bundles this entry rather than the index, whose server classes bundlers keep even when unused (tsup.config.ts).
// Same sources as the index's exports, built apart: a class (AvsbReadyError) is the page entry's own copy.
export { PageCore } from './page-core';
export type { PageCoreOptions } from './page-core';
export { PageStore } from './page-store';
export { JsonPageStore } from './page-json-store';
export { changedFlagKeys } from './changed-flag-keys';
export type { ChangedKeys } from './changed-flag-keys';
export { DatafileStore } from './datafile-store';
export type { JsonLoader, PutOptions, UpdateListener, UpdateResult } from './page-store';
export { EngineFallback } from './engine-fallback';
export { trackRecord } from './scoped-client-support';
export type { TrackOptions, ValueType } from './scoped-client-support';
export { AvsbReadyError } from './ready-error';
export type { ReadyErrorKind, ReadyResult } from './ready-error';
export type { FlagDetail, FlagErrorKind, FlagReason, FlagReasonKind, JsonValue } from './flag-detail';
export { CLIENT_CLOSED, CLIENT_NOT_READY, WRONG_TYPE } from './flag-detail';
export type { AvsbContext, MultiKindContext, SingleKindContext } from './context';
export type { LogLevel, Logger, OptionRule, Platform } from '@avsb/common';
export { describeError, globalPlatform, isObject, optionProblem, optionProblems, optionValueFits, pagePlatform, parseHttpUrl } from '@avsb/common';
export { developmentOnly } from './development-only';
export { LogOnce, consoleLogger, levelLogger } from './logger';
export type { DataSink, DataSource, DataSourceError, DataSourceFactory, PageSink, PageSourceFactory, ServiceEndpoint } from './data-sources/data-source';
export { PageDataSource, pageDataSource } from './data-sources/page-data-source';
export type { PageSourceOptions } from './data-sources/page-data-source';
