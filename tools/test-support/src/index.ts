// Helpers shared by several packages' tests. `./real-server` is a subpath of its own: it loads @avsb/server.
export { call, cookiePair, listen } from './http';
export type { Listening, Reply } from './http';
export { CONTEXT_FROM_FAILURES, contextFromWarnings, failingContextFrom } from './context-from-failures';
export { MemoryLogger } from './memory-logger';
export type { LogLevel } from './memory-logger';
export { sleep, waitFor } from './wait';
