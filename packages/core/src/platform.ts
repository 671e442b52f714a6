// The platform is defined once, in @avsb/common; core re-exports it as part of its own API.
export type {
  AbortControllerLike,
  AbortSignalLike,
  FetchInit,
  FetchLike,
  LogLevel,
  Logger,
  Platform,
  ReadableStreamLike,
  ReadableStreamReaderLike,
  ResponseLike,
  TimerHandle,
} from '@avsb/common';
export { jitterSource } from '@avsb/common';
