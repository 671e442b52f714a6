/**
 * `@avsb/common`: runtime-neutral basics shared by the A vs B SDK packages
 * (`@avsb/core`, `@avsb/events`, `@avsb/node`, the adapters and the server),
 * each defined once: the validated context, the logger, JSON values, the
 * platform, the delay policy and the service-URL check. No `node:` imports, no DOM.
 */
export { MAX_DELAY_MS, MAX_TIMER_MS, clampDelay } from './delay';
export { parseRetryAfter } from './retry-after';
export { MAX_HTTP_URL_LENGTH, parseHttpUrl } from './http-url';
export type { HttpUrlParse } from './http-url';
export { checkSdkKey } from './sdk-key';
export { optionProblem, optionProblems, optionValueFits, shownOptionValue } from './option-check';
export type { OptionRule } from './option-check';
export type { KeyPrefix, SdkKeyCheck } from './sdk-key';
export { BACKOFF_DEFAULTS, Backoff, backoffDelay, backoffFigures } from './backoff';
export type { BackoffOptions } from './backoff';
export { validateContext, validatedContext } from './context';
export type {
  AvsbContext,
  ContextKeys,
  ContextValidation,
  InvalidContext,
  MultiKindContext,
  SingleKindContext,
  ValidatedContext,
} from './context';
export { contextKeysOf, isObject } from './context-rules';
export type { ContextIdentity } from './context-rules';
export { MAX_KIND_NAME_LENGTH, isKindName } from './kind-name';
export { describeError } from './describe-error';
export { consoleLogger, levelLogger, loggerOf, redactKeys, silentLogger } from './logger';
export type { LogLevel, Logger, LoggerOptions } from './logger';
export type { JsonObject, JsonValue } from './json';
export { jitterSource } from './platform';
export type {
  AbortControllerLike,
  AbortSignalLike,
  FetchInit,
  FetchLike,
  Platform,
  ReadableStreamLike,
  ReadableStreamReaderLike,
  ResponseLike,
  TimerHandle,
} from './platform';
export { globalPlatform, pagePlatform, randomId, standardNow, standardRandom, unrefTimer } from './global-platform';
export type { GlobalPlatformOptions } from './global-platform';
