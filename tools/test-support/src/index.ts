// Helpers shared by several packages' tests. `./real-server` and `./real-project` are subpaths of their own: they load @avsb/server.
export { call, cookiePair, listen } from './http';
export type { Listening, Reply } from './http';
export { CONTEXT_FROM_FAILURES, contextFromWarnings, failingContextFrom } from './context-from-failures';
export { buildApp, startAppProcess } from './app-process';
export type { AppProcess } from './app-process';
export { datafileService } from './datafile-service';
export type { DatafileExchange } from './datafile-service';
export { MemoryLogger } from './memory-logger';
export { importedModules, inFreshNode, nodeCopyExports } from './node-copy';
export type { LogLevel } from './memory-logger';
export { sleep, timersDue, waitFor } from './wait';
export { holdTimers } from './held-timers';
export type { HeldTimer, HeldTimers, TimerFunctions } from './held-timers';
