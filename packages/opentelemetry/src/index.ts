/**
 * `@avsb/opentelemetry`: an A vs B hook that records flag evaluations as
 * OpenTelemetry span events. See README.md.
 */
export { OpenTelemetryHook } from './opentelemetry-hook';
export type { OpenTelemetryHookOptions } from './opentelemetry-hook';
export { EVALUATION_EVENT } from './attributes';
