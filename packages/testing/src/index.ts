/**
 * `@avsb/testing`: `TestData` and `MockAvsbServer` for testing code that
 * uses A vs B. See README.md.
 */
export { TestData } from './test-data';
export type { FlagInput, TestDataOptions } from './test-data';
export { FlagBuilder } from './flag-builder';
export { RuleBuilder } from './rule-builder';
export type { RolloutOptions, RolloutWeight } from './serve';
export { MockAvsbServer } from './mock-avsb-server';
export type { MockAvsbServerMetrics, MockAvsbServerOptions } from './mock-avsb-server';
export type { RecordedExposure, TrackedEvent } from './event-recorder';
export type { LogLine } from './mock-platform';
export { TestDataError } from './values';
