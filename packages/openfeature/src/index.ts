/**
 * `@avsb/openfeature`: the OpenFeature server provider for A vs B. See README.md.
 */
export { AvsbProvider } from './avsb-provider';
export type { AvsbProviderOptions, AvsbProviderServer } from './avsb-provider';
