/**
 * `@avsb/openfeature/web`: the OpenFeature web provider for A vs B, over `@avsb/browser`. See README.md.
 */
export { AvsbWebProvider } from './avsb-web-provider';
export type { AvsbWebClientOptions, AvsbWebProviderClient, AvsbWebProviderOptions } from './avsb-web-provider';
