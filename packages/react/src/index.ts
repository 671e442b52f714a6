export { AvsbProvider } from './provider';
export type { AvsbProviderClientProps, AvsbProviderOptionsProps, AvsbProviderProps } from './provider';
export { useAvsbClient, useBoolFlag, useFlagDetails, useJsonFlag, useNumberFlag, useStringFlag, useTrack } from './hooks';
export type { AvsbBrowserClient, AvsbContext, BootstrapValues, BrowserClientOptions, BrowserFlagDetail, BrowserFlagReason, JsonValue, TrackOptions } from '@avsb/browser';
